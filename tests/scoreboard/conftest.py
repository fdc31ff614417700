# The one-stop fixtures (city, people, receive, hn) serve the scoreboard tests too.
from tests.onestop.conftest import PROC, all_documents, city, hn, people, receive  # noqa: F401
