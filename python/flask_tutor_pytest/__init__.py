"""Flask Backend Tutor's pytest plugin: loads the learner's Flask app safely, gives checks
``app``/``client``/``sql_counter``/``db_inspect`` fixtures and ``expect_*`` helpers, and streams
results as JSON lines (see docs/verify-protocol.md).

Use: ``python -m pytest -p flask_tutor_pytest -c <this folder>/pytest.ini ...``"""

# Before anything else of ours (and long before any learner code): take the run's secret and
# events address out of the environment, open the channel, switch on write protection.
from . import _boot

_boot.take_over()

from .helpers import CheckFailed, about, expect_header, expect_in, expect_json, expect_status, set_cookie, show  # noqa: E402

__all__ = ["CheckFailed", "about", "expect_status", "expect_json", "expect_header", "expect_in", "set_cookie", "show"]
__version__ = "1.0.0"

# ``-p flask_tutor_pytest`` registers this module; pytest then loads the hooks and fixtures.
pytest_plugins = ["flask_tutor_pytest.plugin"]
