"""The launch contract, Python side: how the extension starts a verify (cold: a process per run;
warm: a fork of the warm worker) and what crosses that boundary. Mirror of
``src/engine/launchContract.ts``; both are described in docs/worker-protocol.md. Change the two
together and bump ``LAUNCH_VERSION`` on any incompatible change.

Standard library only, no package import: the supervisor and the worker run it as a plain
script module (``import _launch``), the plugin as ``flask_tutor_pytest._launch``."""

LAUNCH_VERSION = 1

# The descriptor carrying the run's secret (Linux; elsewhere the secret is in ENV_SECRET).
SECRET_FD = 3

# Environment variables of a run (docs/verify-protocol.md, "How the extension starts a run").
ENV_EVENTS = "FLASK_TUTOR_EVENTS"
ENV_APP_DIR = "FLASK_TUTOR_APP_DIR"
ENV_APP = "FLASK_TUTOR_APP"
ENV_CHECK_TIMEOUT = "FLASK_TUTOR_CHECK_TIMEOUT"
ENV_COVERAGE = "FLASK_TUTOR_COVERAGE"
ENV_SECRET_FD = "FLASK_TUTOR_SECRET_FD"
ENV_SECRET = "FLASK_TUTOR_SECRET"
ENV_WRITABLE = "FLASK_TUTOR_WRITABLE"
ENV_HARD_EXIT = "FLASK_TUTOR_HARD_EXIT"
ENV_STACK_FILE = "FLASK_TUTOR_STACK_FILE"
ENV_OUTER_PROTECTION = "FLASK_TUTOR_OUTER_PROTECTION"
ENV_PASS_FDS = "FLASK_TUTOR_PASS_FDS"

# The warm worker: ``python <copy>/flask_tutor_pytest/_worker.py --idle SECONDS``, JSON lines on
# its stdin (requests) and stdout (replies), one object per line.
# extension -> worker
MSG_RUN = "run"  # {type, id, argv (after "-m pytest"), env, cwd, secret|null}
MSG_QUIT = "quit"  # {type}; end of stdin means the same
# worker -> extension
MSG_READY = "ready"  # {type, v, pid, python, preloaded: [...], threads, sitedirs: [...]}
MSG_STARTED = "started"  # {type, id, pid}: the run's supervisor (own session; kill -pid ends it)
MSG_OUTPUT = "output"  # {type, id, stream: "stdout"|"stderr", text}
MSG_EXIT = "exit"  # {type, id, code: int|null, signal: str|null}: the supervisor ended
MSG_CLOSED = "closed"  # {type, id}: the run's stdout and stderr reached end of file
MSG_REFUSED = "refused"  # {type, id, reason}: no child was started (the extension runs it cold)

# What the worker imports before any run (where installed). Learner code: never.
PRELOAD = (
    "pytest",
    "flask",
    "werkzeug",
    "werkzeug.test",
    "jinja2",
    "sqlalchemy",
    "sqlalchemy.orm",
    "sqlalchemy.dialects.sqlite",
    "flask_sqlalchemy",
    "flask.testing",
    # Standard library modules the plugin and pytest import on every run.
    "ast",
    "ctypes",
    "difflib",
    "hmac",
    "inspect",
    "sqlite3",
    "socket",
    "tempfile",
    "runpy",
    "pdb",
    "faulthandler",
    "encodings.idna",
    "_pytest._argcomplete",
    "_pytest.config.compat",
)
