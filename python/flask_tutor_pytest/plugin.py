"""The pytest plugin: the hooks and the fixtures, nothing else. Below them, without a cycle:
_run.py (the run's state: event channel, sandbox, loading the app), _analysis.py (a failure's
message, location and data) with _compare.py (reading failed asserts), _records.py, and the
modules they use (_loader, _sandbox, _client, _db, _explain, helpers) over _state.py and _util.py.
See docs/verify-protocol.md for the events.

Heavy imports (flask, sqlalchemy, coverage) happen only when a run needs them."""

import os
import sys
import time

import pytest

from . import _boot, _state
from ._compare import _COMPARE_OPS, _asserting_line, _literal_side
from ._records import AppLoadFailed, TestRecord
from ._run import State, _drop_leaked_contexts, _lingering_threads, _terminate_gracefully
from ._timeout import Deadline
from ._util import exc_line, format_exception

# current_learner() / current_loaded() live in _state (the modules below the hooks read them
# there); kept importable from here for check authors who used them.
from ._state import current_learner, current_loaded  # noqa: F401

_STATE = None


# ---------------------------------------------------------------------------------------
# hooks


def pytest_addoption(parser):
    group = parser.getgroup("flask-tutor")
    group.addoption(
        "--flask-tutor-app-dir",
        dest="flask_tutor_app_dir",
        default=None,
        help="the learner's exercise folder (default: $FLASK_TUTOR_APP_DIR)",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    """The checks' own conftest.py may import the learner's modules (``from app import
    create_app``): pytest imports it before any session hook, so the learner folder (and its
    ``src/``) goes on sys.path now, as docs/verify-protocol.md promises."""
    app_dir = os.environ.get("FLASK_TUTOR_APP_DIR")
    for i, a in enumerate(args):
        if a == "--flask-tutor-app-dir" and i + 1 < len(args):
            app_dir = args[i + 1]
        elif a.startswith("--flask-tutor-app-dir="):
            app_dir = a.split("=", 1)[1]
    if not app_dir or not os.path.isdir(app_dir):
        return
    app_dir = os.path.abspath(app_dir)
    for p in (os.path.join(app_dir, "src"), app_dir):
        if os.path.isdir(p) and p not in sys.path:
            sys.path.insert(0, p)


def pytest_configure(config):
    global _STATE
    config.addinivalue_line(
        "markers", "app_config(**values): extra Flask config for this check's app (passed to the factory)"
    )
    config.addinivalue_line(
        "markers", "req(*numbers): the numbered requirements of the brief this check covers (traceability)"
    )
    config.addinivalue_line("markers", "hint(text): shown first when this check fails (see helpers.about)")
    config.addinivalue_line("markers", "blame(place): where the fix belongs when this check fails (see helpers.about)")
    if _STATE is None:
        _STATE = _state.RUN = State(config)
        if _STATE.app_dir:
            _terminate_gracefully()


def pytest_sessionstart(session):
    st = _STATE
    st.emit_session()
    try:
        st.start()
    except Exception as e:  # a bug of ours must not become a pytest INTERNALERROR without results
        from ._loader import LoadError

        st.load_error = LoadError(
            "app-error",
            "Flask Tutor could not load your app because of an internal error (%s). Please report it."
            % exc_line(e),
            None,
            format_exception(e),
        )
        st._emit_app()


def pytest_collectreport(report):
    if report.failed:
        lines = [ln.strip() for ln in report.longreprtext.splitlines() if ln.strip()]
        last = lines[-1] if lines else "?"
        if last.startswith("E "):
            last = last[2:].strip()
        _STATE.sink.emit(
            "result",
            nodeid=report.nodeid,
            outcome="errored",
            duration=0.0,
            message="The check file could not be loaded: %s" % last,
            expected=None,
            actual=None,
            location=None,
            checkLocation=None,
            requests=[],
            output="",
            traceback=report.longreprtext,
        )


def pytest_collection_finish(session):
    tests = []
    for item in session.items:
        fn = getattr(item, "function", None)
        doc = None
        if fn is not None and fn.__doc__:
            lines = [ln.strip() for ln in fn.__doc__.strip().splitlines() if ln.strip()]
            doc = lines[0] if lines else None
        loc = item.location
        tests.append(
            {
                "nodeid": item.nodeid,
                "name": item.name,
                "file": os.path.abspath(str(item.path)),
                "line": (loc[1] + 1) if loc and loc[1] is not None else None,
                "doc": doc,
            }
        )
    _STATE.sink.emit("collected", tests=tests)


def pytest_runtest_logstart(nodeid, location):
    rec = TestRecord(nodeid)
    _STATE.records[nodeid] = rec
    _STATE.current = rec
    _STATE.sink.emit("started", nodeid=nodeid)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    st = _STATE
    rec = st.records.get(item.nodeid)
    if rec is not None:
        rec.deadline = Deadline(st.timeout)
    if st.sandbox is not None:
        # No root is current until the app fixture picks one: an app made otherwise (by the
        # check itself, by a module-scoped fixture) gets a fresh root of its own, never the
        # preloaded app's or the previous check's.
        st.sandbox.current = None
        st.sandbox.guard_active = True
    try:
        if rec is not None and st.app_dir:
            with rec.deadline.limit():
                yield
        else:
            yield
    finally:
        _leave_if_forked()
        if st.sandbox is not None:
            st.sandbox.guard_active = False


_OWNER_PID = os.getpid()


def _leave_if_forked():
    """A child that the learner's code forked (``os.fork()`` in a view) and that returned into
    the check instead of exiting must not run the rest of the session (every later check a second
    time): it ends here, quietly. Its events were never sent (EventSink checks the pid too)."""
    if os.getpid() != _OWNER_PID:
        os._exit(0)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    st = _STATE
    rec = st.records.get(item.nodeid)
    if st.sandbox is not None:
        st.sandbox.guard_active = True
    try:
        if rec is not None and rec.deadline is not None:
            with rec.deadline.limit():
                yield
        else:
            yield
    finally:
        _leave_if_forked()
        if st.sandbox is not None:
            st.sandbox.guard_active = False


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    st = _STATE
    sb = st.sandbox if st is not None else None
    if sb is None or sb.current is None:
        return
    # a root made on demand during the check (see pytest_runtest_setup): done with it
    root = sb.current
    sb.current = None
    if st.preloaded is None or root is not st.preloaded[0]:
        try:
            root.close(remove=False)  # the whole run folder is removed at the end
        except Exception:
            pass


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    _leave_if_forked()
    if call.excinfo is not None:
        from ._explain import bound_traceback

        bound_traceback(call.excinfo.value)
    outcome = yield
    report = outcome.get_result()
    st = _STATE
    rec = st.records.get(item.nodeid)
    if rec is None:
        return
    rec.duration += getattr(report, "duration", 0.0) or 0.0
    rec.output = "\n".join("----- %s -----\n%s" % (title, content) for title, content in report.sections if content)
    when = call.when
    if report.skipped:
        if rec.outcome is None:
            rec.outcome = "skipped"
            reason = None
            if hasattr(report, "wasxfail"):
                reason = "expected to fail" + (": " + report.wasxfail if report.wasxfail else "")
            elif isinstance(report.longrepr, tuple) and len(report.longrepr) == 3:
                reason = str(report.longrepr[2]).replace("Skipped: ", "", 1)
            rec.message = reason
        return
    if not report.failed or rec.analyzed:
        if report.passed and when == "call" and rec.outcome is None:
            rec.outcome = "passed"
        return
    rec.analyzed = True
    rec.outcome = "errored" if when in ("setup", "teardown") else "failed"
    rec.traceback = report.longreprtext
    exc = call.excinfo.value if call.excinfo is not None else None
    if exc is None:
        rec.message = "The check failed."
        return
    try:
        st.analyze(item, rec, exc, when)
    except Exception as e:  # never lose a result because of an explanation bug
        rec.message = "The check failed with %s. (Flask Tutor could not explain it: %s)" % (exc_line(exc), e)
    if rec.outcome == "failed":  # the author's guidance is about the learner's code, not a check bug
        st.apply_guidance(item, rec, exc)
    if isinstance(exc, AppLoadFailed):
        rec.traceback = exc.load_error.traceback or rec.traceback


def pytest_runtest_logfinish(nodeid, location):
    st = _STATE
    rec = st.records.pop(nodeid, None)
    if rec is None:
        return
    st.sink.emit("result", **st.result_event(rec))
    if st.current is rec:
        st.current = None


def pytest_assertrepr_compare(config, op, left, right):
    """Remember the operands of a failed ``assert a <op> b`` for ``expected``/``actual``."""
    rec = _STATE.current if _STATE is not None else None
    if rec is not None and op in _COMPARE_OPS:
        rec.compare = (op, left, right)
        rec.compare_at = _asserting_line()
        rec.compare_literal = _literal_side(rec.compare_at)
    return None


def pytest_sessionfinish(session, exitstatus):
    st = _STATE
    if st.coverage is not None:
        try:
            st.coverage.stop_and_write()
        except Exception:
            pass
    try:
        code = int(exitstatus)
    except (TypeError, ValueError):
        code = 1
    _boot.EXIT_STATUS = code
    st.sink.emit("finished", exitStatus=code, duration=round(time.monotonic() - st.t0, 6))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    global _STATE
    st = _STATE
    if st is None:
        return
    st.sink.close()
    try:
        os.chdir(st.orig_cwd)
    except OSError:
        pass
    if st.preloaded is not None:
        st.preloaded[0].close(remove=False)
    if st.sandbox is not None:
        st.sandbox.uninstall()
    _STATE = _state.RUN = None
    if _boot.HARD_EXIT:
        # Under the extension: end now. Learner atexit handlers, __del__ at shutdown and threads
        # left running would otherwise run after every result is in (and outside any check).
        lingering = _lingering_threads()
        if lingering:
            sys.stderr.write(
                "Flask Tutor: your code left %s running: %s. The run ended without waiting for %s.\n"
                % ("a thread" if len(lingering) == 1 else "threads", ", ".join(lingering), "it" if len(lingering) == 1 else "them")
            )
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(_boot.EXIT_STATUS if _boot.EXIT_STATUS is not None else 1)


# ---------------------------------------------------------------------------------------
# fixtures


@pytest.fixture
def _flask_tutor_app(request):
    st = _STATE
    app, module, root = st.app_for(request.node)
    yield app, module
    try:
        _drop_leaked_contexts()
        root.close(remove=False)  # the whole run folder is removed at the end
    finally:
        if st.sandbox is not None and st.sandbox.current is root:
            st.sandbox.current = None


@pytest.fixture(autouse=True)
def _flask_tutor_check(request):
    """Every check: fail fast (errored) when the app could not be loaded."""
    __tracebackhide__ = True
    st = _STATE
    if st is not None and st.load_error is not None:
        raise AppLoadFailed(st.load_error)
    yield


@pytest.fixture
def app(_flask_tutor_app):
    """The learner's Flask app, configured for testing (TESTING=True, a temporary instance
    folder and database; no SECRET_KEY is added). A fresh app -- and freshly imported learner
    modules -- for every check."""
    return _flask_tutor_app[0]


@pytest.fixture
def app_module(_flask_tutor_app):
    """The learner's module that holds the app or factory, freshly imported for this check
    (use it instead of importing the learner's modules at the top of a check file)."""
    return _flask_tutor_app[1]


@pytest.fixture
def client(app):
    """``app.test_client()``; every request it makes is recorded in the check's result."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """``app.test_cli_runner()`` for checks of ``flask`` CLI commands."""
    return app.test_cli_runner()


@pytest.fixture
def app_dir():
    """``pathlib.Path`` of the learner's exercise folder (read it, never write to it)."""
    import pathlib

    if _STATE is None or not _STATE.app_dir:
        pytest.fail("FLASK_TUTOR_APP_DIR is not set")
    return pathlib.Path(_STATE.app_dir)


@pytest.fixture
def sql_counter(app):
    """``with sql_counter() as c:`` ... ``c.count`` / ``c.statements``: SQL run in the block."""
    from ._db import SQLCounter

    return SQLCounter(_STATE.sandbox)


@pytest.fixture
def db_inspect(app):
    """The app's database: ``tables()``, ``columns(t)``, ``column_info(t)``, ``rows(t)``,
    ``count(t)``, ``query(sql, params)`` (read), ``execute(sql, params)`` (write, committed)."""
    from ._db import DBInspector

    return DBInspector(app, _STATE.sandbox)


@pytest.fixture
def redis_service(request):
    """The check's Redis (services.py; docs/exercise-format.md, "Services (Redis)"): the real
    server of ``FLASK_TUTOR_REDIS_URL`` when it answers, else fakeredis; emptied before and after
    the check. The check's app gets ``REDIS_CLIENT`` (and ``REDIS_URL``) in its config, so
    request this fixture before ``app``/``client`` (``pytestmark =
    pytest.mark.usefixtures("redis_service")``). Prints which Redis it used."""
    from .services import ServiceUnavailable, open_service

    rec = _STATE.current if _STATE is not None else None
    if rec is not None and getattr(rec, "app", None) is not None:
        raise RuntimeError("redis_service must be set up before the app fixture: list it first, or use pytest.mark.usefixtures")
    try:
        service = open_service()
    except ServiceUnavailable as e:
        pytest.fail(str(e), pytrace=False)
    print(service.note)
    config = {}  # every app_config marker (module, class, check), the closest winning per key
    for marker in reversed(list(request.node.iter_markers("app_config"))):
        if marker.args and isinstance(marker.args[0], dict):
            config.update(marker.args[0])
        config.update(marker.kwargs)
    request.node.add_marker(pytest.mark.app_config(**service.app_config(**config)), append=False)
    yield service
    try:
        if service.kind == "redis":
            service.flush()
    finally:
        service.close()


@pytest.fixture
def amqp_service(request):
    """The check's message broker (services_amqp.py; docs/exercise-format.md, "Services
    (RabbitMQ)"): the real RabbitMQ of ``FLASK_TUTOR_AMQP_URL`` when it answers, else an in-memory
    broker; what the check declared is deleted after it. The check's app gets ``AMQP_BROKER``,
    ``AMQP_PREFIX`` (and ``AMQP_URL``) in its config, so request this fixture before
    ``app``/``client``. Prints which broker it used."""
    from .services_amqp import ServiceUnavailable, open_service

    rec = _STATE.current if _STATE is not None else None
    if rec is not None and getattr(rec, "app", None) is not None:
        raise RuntimeError("amqp_service must be set up before the app fixture: list it first, or use pytest.mark.usefixtures")
    try:
        service = open_service()
    except ServiceUnavailable as e:
        pytest.fail(str(e), pytrace=False)
    print(service.note)
    config = {}
    for marker in reversed(list(request.node.iter_markers("app_config"))):
        if marker.args and isinstance(marker.args[0], dict):
            config.update(marker.args[0])
        config.update(marker.kwargs)
    request.node.add_marker(pytest.mark.app_config(**service.app_config(**config)), append=False)
    yield service
    service.close()


@pytest.fixture
def celery_service(request, redis_service):
    """The check's Celery (services_celery.py; docs/exercise-format.md, "Services (Celery)"): the
    app gets ``CELERY`` (broker and result backend: the check's Redis, else in memory) in its
    config, is made, and a real worker runs ``app.extensions["celery"]`` in a thread of the check
    process until the check ends. Request it instead of ``app`` (``client`` then uses the same
    app). Prints which broker it used."""
    from .services import ServiceUnavailable
    from .services_celery import forget_shared_tasks, open_service

    try:
        service = open_service(redis_service)
    except ServiceUnavailable as e:
        pytest.fail(str(e), pytrace=False)
    print(service.note)
    config = {}
    for marker in reversed(list(request.node.iter_markers("app_config"))):
        if marker.args and isinstance(marker.args[0], dict):
            config.update(marker.args[0])
        config.update(marker.kwargs)
    own = config.get("CELERY")
    config["CELERY"] = service.config(**(own if isinstance(own, dict) else {}))
    request.node.add_marker(pytest.mark.app_config(**config), append=False)
    forget_shared_tasks(_STATE.app_dir if _STATE is not None else None)
    problem = service.start(request.getfixturevalue("app"))
    if problem:
        print("Celery: " + problem)
    yield service
    warning = service.stop()
    if warning:
        print(warning)
