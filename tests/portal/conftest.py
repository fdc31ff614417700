from tests.portal.fixtures import *  # noqa: F401,F403
from tests.portal.fixtures import _media  # noqa: F401  (autouse; not exported by *)
