from tests.portal.fixtures import *  # noqa: F401,F403
