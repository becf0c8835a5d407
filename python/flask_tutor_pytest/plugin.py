"""The pytest plugin: app loading, fixtures, per-check time limit, plain-language results and
the event stream (docs/verify-protocol.md).

Heavy imports (flask, sqlalchemy, coverage) happen only when a run needs them."""

import io
import os
import sys
import time

import pytest

from ._events import EventSink
from ._timeout import CheckTimeout, Deadline, TimeLimit
from ._util import (
    LearnerDir,
    deepest_frame_in,
    deepest_learner_location,
    exc_line,
    format_exception,
    is_inside,
    learner_location_from_frame,
    norm,
)

DEFAULT_TIMEOUT = 10.0
_STATE = None


def current_learner():
    return _STATE.learner if _STATE is not None else None


class AppLoadFailed(Exception):
    """Raised in every check's setup when the app could not be loaded."""

    def __init__(self, load_error):
        super().__init__(load_error.message)
        self.load_error = load_error


class TestRecord:
    __test__ = False

    def __init__(self, nodeid):
        self.nodeid = nodeid
        self.outcome = None
        self.duration = 0.0
        self.message = None
        self.expected = None
        self.actual = None
        self.location = None
        self.check_location = None
        self.traceback = None
        self.requests = []
        self.output = ""
        self.compare = None
        self.deadline = None
        self.app = None
        self.root = None
        self.module = None
        self.analyzed = False


class State:
    def __init__(self, config):
        self.config = config
        self.t0 = time.monotonic()
        self.sink = EventSink(os.environ.get("FLASK_TUTOR_EVENTS"))
        app_dir = config.getoption("flask_tutor_app_dir", None) or os.environ.get("FLASK_TUTOR_APP_DIR")
        self.app_dir = os.path.abspath(app_dir) if app_dir else None
        self.learner = None
        self.sandbox = None
        self.coverage = None
        self.timeout = _timeout_setting()
        self.load_error = None
        self.loaded = None
        self.preloaded = None
        self.load_output = ""
        self.records = {}
        self.current = None
        self.orig_cwd = os.getcwd()

    # -- session -------------------------------------------------------------------------
    def emit_session(self):
        self.sink.emit(
            "session",
            python=".".join(str(p) for p in sys.version_info[:3]),
            executable=sys.executable,
            pytest=pytest.__version__,
            flask=_dist_version("flask"),
            werkzeug=_dist_version("werkzeug"),
            sqlalchemy=_dist_version("sqlalchemy"),
            appDir=self.app_dir,
        )

    def start(self):
        if not self.app_dir:
            return
        from ._loader import LoadError

        if not os.path.isdir(self.app_dir):
            self.load_error = LoadError(
                "not-found", "The exercise folder %s does not exist." % self.app_dir, None, None
            )
            self._emit_app()
            return
        from ._sandbox import Sandbox

        # Import the plugin's own modules now, while their bytecode may still be cached:
        # install() switches bytecode writing off for the rest of the run.
        from . import _client, _db, _explain, _loader  # noqa: F401

        self.learner = LearnerDir(self.app_dir)
        self.sandbox = Sandbox(self.learner, os.path.join(self.app_dir, "instance"), _temp_base(self.learner))
        self.sandbox.install()
        os.chdir(self.sandbox.cwd)
        cov_spec = os.environ.get("FLASK_TUTOR_COVERAGE")
        if cov_spec:
            from ._coverage import LearnerCoverage

            self.coverage = LearnerCoverage(cov_spec, self.learner, self.sandbox.run_root)
        self._load()
        self._emit_app()

    def _load(self):
        from ._loader import LoadError, classify, find_app

        try:
            import flask  # noqa: F401 - before the time limit starts; installs the Flask patches
        except ImportError as e:
            self.load_error = classify(e, self.learner, "import")
            return
        if self.coverage is not None:
            self.coverage.start()  # after importing Flask: only the learner's files are measured
        root = self.sandbox.new_root("load")
        buf = io.StringIO()
        old_out, old_err = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = buf
        self.sandbox.guard_active = True
        try:
            with TimeLimit(self.timeout):
                loaded = find_app(self.learner, os.environ)
                app = self._configure(loaded, {})
            self.loaded = loaded
            self.preloaded = (root, loaded, app)
        except CheckTimeout as e:
            self.load_error = self._timeout_error(e)
        except LoadError as e:
            self.load_error = e
        except Exception as e:  # our own bug or an unexpected failure: still report it plainly
            self.load_error = classify(e, self.learner, "import")
        finally:
            self.sandbox.guard_active = False
            sys.stdout, sys.stderr = old_out, old_err
            self.load_output = buf.getvalue()
        if self.load_error is not None:
            root.close()
            self.sandbox.current = None

    def _timeout_error(self, e):
        from ._loader import LoadError

        loc = learner_location_from_frame(e.frame, self.learner) or deepest_learner_location(e, self.learner)
        where = " Python was running %s, line %d." % (self.learner.rel(loc["file"]), loc["line"]) if loc else ""
        return LoadError(
            "timeout",
            "Loading your app took longer than %ss — is there an infinite loop, or a call that waits "
            "forever (input(), a server start, a network call), at the top level of your code?%s"
            % ("%g" % self.timeout, where),
            loc,
            format_exception(e),
        )

    def _configure(self, loaded, overrides):
        """Build the app for one check (or for the load) in the current root."""
        from ._client import install
        from ._loader import LoadError, make_app

        config = {"TESTING": True}
        config.update(overrides)
        app = make_app(loaded, self.learner, config)
        install(app, lambda: self.current.requests if self.current is not None else None)
        if loaded.kind == "module":
            ext = app.extensions.get("sqlalchemy")
            if ext is not None:
                db = _sqlalchemy_db(ext)
                try:
                    with app.app_context():
                        db.create_all()
                except CheckTimeout:
                    raise
                except Exception as e:
                    from ._explain import explain_exception

                    loc = deepest_learner_location(e, self.learner)
                    detail = explain_exception(e, self.learner, app)
                    raise LoadError(
                        "app-error",
                        "Creating the database tables (db.create_all()) failed: %s.%s"
                        % (exc_line(e), " " + detail if detail else ""),
                        loc,
                        format_exception(e),
                    ) from e
        return app

    def _emit_app(self):
        if self.load_error is not None:
            fields = self.load_error.event_fields()
            if self.load_output:
                fields["output"] = self.load_output
            self.sink.emit("app", **fields)
            return
        fields = {"status": "ok", "kind": self.loaded.kind, "target": self.loaded.target_name}
        if self.sandbox.notes:
            fields["notes"] = list(self.sandbox.notes)
        if self.load_output:
            fields["output"] = self.load_output
        self.sink.emit("app", **fields)

    # -- per check app -------------------------------------------------------------------
    def app_for(self, item):
        from ._loader import LoadError, _find_in_module, import_target, purge_learner_modules

        if self.load_error is not None:
            raise AppLoadFailed(self.load_error)
        if self.loaded is None:
            raise RuntimeError(
                "flask_tutor_pytest: no learner app. Set FLASK_TUTOR_APP_DIR (or --flask-tutor-app-dir)."
            )
        rec = self.current
        marker = item.get_closest_marker("app_config")
        overrides = dict(marker.kwargs) if marker else {}
        if marker and marker.args and isinstance(marker.args[0], dict):
            overrides = dict(marker.args[0], **overrides)
        os.chdir(self.sandbox.cwd)
        if self.preloaded is not None and not overrides:
            root, loaded, app = self.preloaded
            self.preloaded = None
            self.sandbox.current = root
        else:
            if self.preloaded is not None:
                self.preloaded[0].close()
                self.preloaded = None
            root = self.sandbox.new_root("check")
            purge_learner_modules(self.learner, self.sandbox.baseline_modules)
            import flask

            try:
                module = import_target(self.loaded.target, self.learner)
                target = self.loaded.target
                loaded = _find_in_module(
                    module, type(target)(target.module, self.loaded.attr, target.call_args, target.sys_path), flask.Flask
                )
                if loaded is None:
                    raise LoadError("not-found", "%s disappeared from %s." % (self.loaded.attr, target.module))
                app = self._configure(loaded, overrides)
            except LoadError as e:
                raise AppLoadFailed(e) from None
        if rec is not None:
            rec.app = app
            rec.root = root
            rec.module = loaded.module
        return app, loaded.module, root

    # -- results -------------------------------------------------------------------------
    def analyze(self, item, rec, exc, when):
        from ._client import route_problem
        from ._explain import explain_exception
        from ._loader import LoadError
        from .helpers import CheckFailed, show

        learner = self.learner
        check_file = norm(str(item.path))
        rec.check_location = deepest_frame_in(exc.__traceback__, lambda f: norm(f) == check_file)

        if isinstance(exc, AppLoadFailed):
            le = exc.load_error
            rec.message, rec.location, rec.traceback = le.message, le.location, le.traceback
            rec.outcome = "errored"
            return
        if isinstance(exc, LoadError):  # pragma: no cover - defensive
            rec.message, rec.location = exc.message, exc.location
            return
        if isinstance(exc, CheckTimeout):
            loc = learner_location_from_frame(exc.frame, learner) or deepest_learner_location(exc, learner)
            rec.location = loc
            pending = [r for r in rec.requests if r.status is None and r.exception is exc]
            msg = "The check took longer than %ss — is there an infinite loop?" % ("%g" % exc.seconds)
            if loc:
                msg += " Your code was running %s, line %d" % (learner.rel(loc["file"]), loc["line"])
                if pending:
                    msg += " while answering %s" % pending[-1].label
                    if pending[-1].endpoint:
                        msg += " (view %r)" % pending[-1].endpoint
                msg += "."
            elif pending:
                msg += " It was answering %s." % pending[-1].label
            rec.message = msg
            rec.outcome = "failed"
            return

        if isinstance(exc, pytest.fail.Exception):  # pytest.fail("...") / pytest.raises: DID NOT RAISE
            rec.message = str(getattr(exc, "msg", None) or exc) or "The check failed."
            if rec.requests and learner and rec.requests[-1].view_location:
                loc = rec.requests[-1].view_location
                rec.location = loc if learner.contains(loc["file"]) else None
            return

        loc = deepest_learner_location(exc, learner) if learner else None
        crashed = [r for r in rec.requests if r.exception is not None and r.status in (500, None)]
        problems = [r for r in rec.requests if r.match in ("no-route", "method")]

        if isinstance(exc, CheckFailed):
            rec.message = exc.message
            rec.expected, rec.actual = exc.expected, exc.actual
            from ._client import record_for

            r = record_for(exc.response) if exc.response is not None else None
            if r is not None and r.exception is not None and r.status in (500, None):
                rec.location = deepest_learner_location(r.exception, learner)
                rec.message += " " + self._crash_sentence(r)
            elif r is not None and r.view_location and learner and learner.contains(r.view_location["file"]):
                rec.location = r.view_location
            return

        if isinstance(exc, AssertionError) and not _raised_outside_check(exc, check_file):
            text = str(exc)
            author = None
            if text and not text.startswith("assert "):
                author = text.split("\nassert ", 1)[0].strip()
            parts = []
            if rec.compare is not None:
                left, right = rec.compare
                rec.expected, rec.actual = show(right), show(left)
                last = rec.requests[-1] if rec.requests else None
                if (
                    last is not None
                    and _is_status(left)
                    and _is_status(right)
                    and last.status == left
                ):
                    from .helpers import _status_text

                    parts.append(
                        "%s answered %s; expected %s." % (last.label, _status_text(left), _status_text(right))
                    )
                    rec.expected, rec.actual = _status_text(right), _status_text(left)
                elif not author:
                    if len(rec.expected) <= 80 and len(rec.actual) <= 80 and "\n" not in rec.expected + rec.actual:
                        parts.append("Expected %s but got %s." % (rec.expected, rec.actual))
                    else:
                        parts.append("The value the check got is not the one it expected (compare expected and actual).")
            if author:
                parts.insert(0, author if author.endswith((".", "!", "?")) else author + ".")
            if not parts:
                parts.append("The check failed: %s." % text.splitlines()[0] if text else "The check failed.")
            if problems:
                hint = route_problem(problems[-1], learner)
                if hint:
                    parts.append(hint)
            if crashed:
                parts.append(self._crash_sentence(crashed[-1]))
                rec.location = deepest_learner_location(crashed[-1].exception, learner)
            elif (
                learner is not None
                and rec.requests
                and rec.requests[-1].view_location
                and learner.contains(rec.requests[-1].view_location["file"])
            ):
                rec.location = rec.requests[-1].view_location
            rec.message = " ".join(parts)
            return

        # Any other exception: in the learner's code (through a request or not) or in the check.
        detail = explain_exception(exc, learner, rec.app)
        req = next((r for r in reversed(crashed) if r.exception is exc), None)
        if req is None and crashed and loc:
            req = crashed[-1]
        if loc:
            rec.location = loc
            if req is not None:
                rec.message = self._crash_sentence(req)
            else:
                msg = "Your code raised %s (%s, line %d)." % (exc_line(exc), learner.rel(loc["file"]), loc["line"])
                rec.message = msg + (" " + detail if detail else "")
            return
        json_hint = self._not_json_hint(exc, rec)
        if json_hint:
            rec.message = json_hint
            return
        if detail:
            rec.message = detail
        else:
            rec.message = "The check stopped with %s." % exc_line(exc)
        if problems:
            hint = route_problem(problems[-1], learner)
            if hint:
                rec.message += " " + hint

    def _crash_sentence(self, r):
        from ._explain import explain_exception

        exc = r.exception
        loc = deepest_learner_location(exc, self.learner)
        where = ""
        if loc:
            where = " (%s, line %d)" % (self.learner.rel(loc["file"]), loc["line"])
        view = (" in the view %r" % r.endpoint) if r.endpoint else ""
        detail = explain_exception(exc, self.learner, r.app)
        if detail:
            return "%s crashed%s%s. %s" % (r.label, view, where, detail)
        return "%s crashed%s%s: %s." % (r.label, view, where, exc_line(exc).rstrip("."))

    def _not_json_hint(self, exc, rec):
        if not rec.requests:
            return None
        text = str(exc)
        names = {c.__name__ for c in type(exc).__mro__}
        looks_json = (
            (isinstance(exc, TypeError) and "NoneType" in text)
            or "JSONDecodeError" in names
            or "UnsupportedMediaType" in names
            or ("BadRequest" in names and "JSON" in text)
        )
        if not looks_json:
            return None
        last = rec.requests[-1]
        return (
            "%s did not answer with JSON, so reading its JSON gave nothing (%s). Return a dict or "
            "list (or jsonify(...)) from the view." % (last.label, exc_line(exc))
        )

    def result_event(self, rec):
        return {
            "nodeid": rec.nodeid,
            "outcome": rec.outcome or "passed",
            "duration": round(rec.duration, 6),
            "message": rec.message,
            "expected": rec.expected if rec.expected is not None and rec.actual is not None else None,
            "actual": rec.actual if rec.expected is not None and rec.actual is not None else None,
            "location": rec.location,
            "checkLocation": rec.check_location,
            "requests": [r.to_event() for r in rec.requests],
            "output": rec.output,
            "traceback": rec.traceback,
        }


def _temp_base(learner):
    """Where the run's temporary folder goes: inside the working directory when that is a fresh
    empty folder (the extension deletes it after the run, even when it had to kill pytest), else
    in the system's temporary folder."""
    try:
        cwd = os.getcwd()
        if not os.listdir(cwd) and not is_inside(norm(cwd), learner.norm) and os.access(cwd, os.W_OK):
            return cwd
    except OSError:
        pass
    return None


def _terminate_gracefully():
    """SIGTERM (the extension cancelling a run) ends the run like Ctrl+C, so the session still
    finishes: a ``finished`` event, coverage written, temporary files removed."""
    import signal
    import threading

    if not hasattr(signal, "SIGTERM") or threading.current_thread() is not threading.main_thread():
        return
    try:
        if signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):

            def on_term(signum, frame):
                raise KeyboardInterrupt("terminated")

            signal.signal(signal.SIGTERM, on_term)
    except (ValueError, OSError):
        pass


def _drop_leaked_contexts():
    """Pop request/app contexts a check (or an interrupted request) left pushed, so the next
    check starts outside any context (Flask >= 2.2 keeps them in context variables)."""
    try:
        from flask import globals as fg
    except Exception:
        return
    for name in ("_cv_request", "_cv_app"):
        var = getattr(fg, name, None)
        if var is None:
            continue
        for _ in range(50):
            ctx = var.get(None)
            if ctx is None:
                break
            try:
                ctx.pop()
            except Exception:
                break


def _raised_outside_check(exc, check_file):
    """True when the AssertionError came from non-check code (e.g. the learner's own assert)."""
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = tb
        tb = tb.tb_next
    if last is None:
        return False
    return norm(last.tb_frame.f_code.co_filename) != check_file and not last.tb_frame.f_code.co_filename.startswith(
        os.path.dirname(__file__)
    )


def _sqlalchemy_db(ext):
    """The Flask-SQLAlchemy object from ``app.extensions["sqlalchemy"]`` (2.x keeps a state)."""
    return ext.db if type(ext).__name__ == "_SQLAlchemyState" else ext


def _is_status(v):
    return isinstance(v, int) and not isinstance(v, bool) and 100 <= v <= 599


def _timeout_setting():
    raw = os.environ.get("FLASK_TUTOR_CHECK_TIMEOUT")
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if value > 0 else None


_DIST_RE = None


def _dist_version(name):
    """Installed version of a distribution, read from its ``.dist-info``/``.egg-info`` folder
    name (importing importlib.metadata costs more than the whole lookup)."""
    global _DIST_RE
    import re

    if _DIST_RE is None:
        _DIST_RE = re.compile(r"^([A-Za-z0-9_.\-]+?)-(\d[^-]*?)(?:-py\d[^-]*)?\.(?:dist|egg)-info$")
    want = re.sub(r"[-_.]+", "_", name).lower()
    for entry in sys.path:
        try:
            names = _listdir(entry or ".")
        except OSError:
            continue
        for n in names:
            if not n.endswith("-info"):
                continue
            m = _DIST_RE.match(n)
            if m and re.sub(r"[-_.]+", "_", m.group(1)).lower() == want:
                return m.group(2)
    return None


_LISTDIR = {}


def _listdir(path):
    if path not in _LISTDIR:
        _LISTDIR[path] = os.listdir(path) if os.path.isdir(path) else []
    return _LISTDIR[path]


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


def pytest_configure(config):
    global _STATE
    config.addinivalue_line(
        "markers", "app_config(**values): extra Flask config for this check's app (passed to the factory)"
    )
    if _STATE is None:
        _STATE = State(config)
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
        st.sandbox.guard_active = True
    try:
        if rec is not None and st.app_dir:
            with rec.deadline.limit():
                yield
        else:
            yield
    finally:
        if st.sandbox is not None:
            st.sandbox.guard_active = False


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
        if st.sandbox is not None:
            st.sandbox.guard_active = False


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
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
    rec = _STATE.current if _STATE is not None else None
    if rec is not None and op == "==":
        rec.compare = (left, right)
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
    st.sink.emit("finished", exitStatus=code, duration=round(time.monotonic() - st.t0, 6))


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
    _STATE = None


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
    """The learner's Flask app, configured for testing (TESTING=True, a SECRET_KEY, a temporary
    instance folder and database). A fresh app -- and freshly imported learner modules -- for
    every check."""
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
    """Read the app's database: ``tables()``, ``columns(t)``, ``column_info(t)``, ``rows(t)``,
    ``count(t)``, ``query(sql, params)``."""
    from ._db import DBInspector

    return DBInspector(app, _STATE.sandbox)
