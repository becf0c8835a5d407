"""The pytest plugin: app loading, fixtures, per-check time limit, plain-language results and
the event stream (docs/verify-protocol.md).

Heavy imports (flask, sqlalchemy, coverage) happen only when a run needs them."""

import io
import os
import sys
import time

import pytest

from . import _boot, _state
from ._events import EventSink
from ._timeout import CheckTimeout, Deadline, TimeLimit
from ._util import (
    PKG_DIR,
    LearnerDir,
    blame,
    deepest_frame_in,
    deepest_learner_location,
    ends_sentence,
    exc_line,
    format_exception,
    full_stop,
    is_inside,
    learner_location_from_frame,
    norm,
    own_learner_location,
)

DEFAULT_TIMEOUT = 10.0
_STATE = None


# current_learner() / current_loaded() live in _state (the modules below the hooks read them
# there); kept importable from here for check authors who used them.
from ._state import current_learner, current_loaded  # noqa: E402,F401


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
        self.compare_at = None
        self.compare_literal = None  # "left" | "right": the side the check wrote as a literal
        self.hint = None  # the check author's hint for this failure (helpers.about, mark.hint)
        self.deadline = None
        self.app = None
        self.root = None
        self.module = None
        self.analyzed = False


class State:
    def __init__(self, config):
        self.config = config
        self.t0 = time.monotonic()
        self.sink = _open_sink()
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
            protection=_boot.PROTECTION,
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
        from ._loader import LoadError, classify, find_app, purge_learner_modules

        try:
            import flask  # noqa: F401 - before the time limit starts; installs the Flask patches
        except ImportError as e:
            self.load_error = classify(e, self.learner, "import")
            return
        if self.coverage is not None:
            self.coverage.start()  # after importing Flask: only the learner's files are measured
        purge_learner_modules(self.learner, self.sandbox.baseline_modules)  # imported too early: again
        root = self.sandbox.new_root("load")
        buf = _LoadOutput()
        old_out, old_err = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = buf.stream
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
            self.load_output = buf.text()
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
        self._analyze(item, rec, exc, when)
        if rec.location is None and rec.outcome == "failed":
            rec.location = self._no_route_location(rec, exc)

    def apply_guidance(self, item, rec, exc):
        """The check author's ``hint`` and ``blame`` (helpers.about, or the check's markers)."""
        hint = getattr(exc, "flask_tutor_hint", None)
        blame = getattr(exc, "flask_tutor_blame", None)
        if hint is None:
            m = item.get_closest_marker("hint")
            hint = m.args[0] if m is not None and m.args else None
        if blame is None:
            m = item.get_closest_marker("blame")
            blame = m.args[0] if m is not None and m.args else None
        if hint:
            rec.hint = str(hint)
        if blame and self.learner is not None:
            try:
                from ._blame import blame_location

                loc = blame_location(str(blame), self.learner, self.loaded)
            except Exception:
                loc = None
            if loc is not None:
                rec.location = loc

    def _analyze(self, item, rec, exc, when):
        from ._client import route_problem
        from ._explain import decorator_order_note, explain_exception
        from ._loader import LoadError
        from .helpers import CheckFailed

        learner = self.learner
        check_file = norm(str(item.path))
        is_check = _check_code(check_file, learner)
        rec.check_location = deepest_frame_in(exc.__traceback__, lambda f: norm(f) == check_file)
        if rec.check_location is None:  # raised in a helper module of the checks folder
            rec.check_location = deepest_frame_in(exc.__traceback__, is_check)

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

        crashed = [r for r in rec.requests if r.exception is not None and r.status in (500, None)]
        # A 404/405 the check provoked on purpose (its code expects that status) gets no route
        # advice: "Add 'DELETE' to methods" would contradict the brief.
        deliberate = _statuses_expected_by(item)
        problems = [
            r for r in rec.requests
            if r.match in ("no-route", "method", "redirect") and r.status not in deliberate
        ]

        if isinstance(exc, pytest.fail.Exception):
            # pytest.fail("...") (and pytest.raises' "DID NOT RAISE"): an ordinary check failure
            # whose message is the text, exactly as written.
            text = getattr(exc, "msg", None)
            parts = [str(text).strip() if text else "The check failed."]
            self._request_context(rec, parts, crashed, problems, route_problem)
            if len(parts) > 1:  # more sentences follow the text
                parts[0] = full_stop(parts[0])
            rec.message = " ".join(parts)
            return

        if isinstance(exc, CheckFailed):
            # A plain verdict of the check: the message, the diff and the requests say it all; the
            # check's own traceback is our internals, not something the learner can act on.
            rec.traceback = None
            rec.message = exc.message
            rec.expected, rec.actual = exc.expected, exc.actual
            from ._client import record_for

            r = record_for(exc.response) if exc.response is not None else None
            if r is not None and r.exception is not None and r.status in (500, None):
                rec.location = self._fix_location(r.exception, deepest_learner_location(r.exception, learner))
                rec.message = full_stop(rec.message) + " " + self._crash_sentence(r)
            elif r is not None and r.view_location and learner and learner.contains(r.view_location["file"]):
                rec.location = r.view_location
            return

        if isinstance(exc, AssertionError) and _assert_in_check(exc, is_check):
            rec.traceback = None  # as for CheckFailed: the sentence and the diff, not pytest's rewrite
            text = str(exc)
            author = None
            if text and not text.startswith("assert "):
                author = text.split("\nassert ", 1)[0].strip()
            parts = []
            if rec.compare is not None and rec.compare_at not in (None, _raising_line(exc)):
                rec.compare = None  # from an earlier assert (one the check caught), not this one
            if rec.compare is not None:
                op, left, right = rec.compare
                last = rec.requests[-1] if rec.requests else None
                rec.expected, rec.actual, sentence, about_status = _compare_fields(op, left, right, last, rec.compare_literal)
                # with the author's own message, only "==" on a status adds its sentence (as it
                # always did); the other operators just fill expected/actual
                if sentence and (not author or (about_status and op == "==")):
                    parts.append(sentence)
            if author:
                parts.insert(0, full_stop(author))
            if not parts:
                first = text.splitlines()[0] if text else ""
                parts.append(("The check failed: %s" % full_stop(first)) if first else "The check failed.")
            self._request_context(rec, parts, crashed, problems, route_problem)
            rec.message = " ".join(parts)
            return

        # Any other exception. Blame goes by the frames of the exception that was raised (not
        # the one it was raised while handling): the learner's code, the check's own code, or
        # neither (a library the check called).
        kind, raised_in_check = blame(exc, learner, is_check)
        detail = explain_exception(exc, learner, rec.app)
        req = next((r for r in reversed(crashed) if r.exception is exc), None)
        if kind == "learner" or req is not None:
            # the learner's code raised it, or the app did while answering a request (an
            # extension's hook, a view that returned nothing...)
            loc = own_learner_location(exc, learner)
            if req is None and crashed:
                req = crashed[-1]
            view = req.view_location if req is not None else None
            if loc is None and view and learner is not None and learner.contains(view["file"]):
                loc = view
            rec.location = self._fix_location(exc, loc)
            if req is not None:
                rec.message = self._crash_sentence(req)
                order = decorator_order_note(rec.app, [r.endpoint for r in rec.requests if r.endpoint])
                if order:
                    rec.message = "%s %s" % (order, rec.message)
            else:
                msg = "Your code raised %s (%s, line %d)." % (exc_line(exc), learner.rel(loc["file"]), loc["line"])
                rec.message = msg + (" " + detail if detail else "")
            return
        json_hint = self._not_json_hint(exc, rec)
        if json_hint:
            rec.message = json_hint
            return
        missing = self._missing_learner_name(exc)
        if missing is not None:
            rec.message, rec.location = missing
            return
        if raised_in_check:
            # A bug of the check itself (a typo, an unguarded lookup, an error raised while
            # handling another one): errored, and never blamed on the learner.
            rec.outcome = "errored"
            where = ""
            cl = rec.check_location
            if cl:
                where = " (%s, line %d)" % (os.path.basename(cl["file"]), cl["line"])
            rec.message = (
                "The check itself failed: its own code raised %s%s. This is an error in the check, "
                "not a verdict on your code." % (exc_line(exc).rstrip("."), where)
            )
            return
        if detail:
            rec.message = detail
        else:
            rec.message = "The check stopped with %s" % ends_sentence(exc_line(exc))
        if problems:
            hint = route_problem(problems[-1], learner)
            if hint:
                rec.message = full_stop(rec.message) + " " + hint

    def _request_context(self, rec, parts, crashed, problems, route_problem):
        """Add what the requests of a failed check tell (no route / method, a crash) to
        ``parts``, and point ``rec.location`` at the learner's code to look at."""
        learner = self.learner
        if problems:
            hint = route_problem(problems[-1], learner)
            if hint:
                parts.append(hint)
        if crashed:
            parts.append(self._crash_sentence(crashed[-1]))
            exc = crashed[-1].exception
            rec.location = self._fix_location(exc, deepest_learner_location(exc, learner))
        elif (
            learner is not None
            and rec.requests
            and rec.requests[-1].view_location
            and learner.contains(rec.requests[-1].view_location["file"])
        ):
            rec.location = rec.requests[-1].view_location

    def _no_route_location(self, rec, exc):
        """When the request the check looked at matched no route (a 404 no view answered),
        where the app's routes are registered: the factory's ``def`` line, or the line creating
        a module-level app. None otherwise."""
        from ._client import record_for
        from ._loader import app_setup_location
        from .helpers import CheckFailed

        r = None
        if isinstance(exc, CheckFailed) and exc.response is not None:
            r = record_for(exc.response)
        if r is None and rec.requests:
            r = rec.requests[-1]
        if r is None or r.match != "no-route" or self.loaded is None or self.learner is None:
            return None
        return app_setup_location(self.loaded, self.learner)

    def _missing_learner_name(self, exc):
        """(message, location) when the check looked up a name the learner's code lacks
        (``app_module.slugify``, ``from app import slugify``, ``Item.title``): the learner's
        failure, even though the check's own line raised it. None otherwise."""
        import re

        from ._util import location

        learner = self.learner
        name = getattr(exc, "name", None)
        if learner is None or not name:
            return None
        cls = None
        if isinstance(exc, ImportError) and not isinstance(exc, ModuleNotFoundError):
            filename = getattr(exc, "path", None)
            m = re.search(r"cannot import name '([^']+)'", str(exc))
            if not (filename and m):
                return None
            owner, attr = name, m.group(1)
        elif isinstance(exc, AttributeError) and getattr(exc, "obj", None) is not None:
            obj, attr = exc.obj, name
            if _is_module(obj):
                owner, filename = obj.__name__, getattr(obj, "__file__", None)
            else:
                cls = obj if isinstance(obj, type) else type(obj)
                module = sys.modules.get(getattr(cls, "__module__", None) or "")
                owner, filename = cls.__name__, getattr(module, "__file__", None)
        else:
            return None
        if not filename or not learner.contains(filename):
            return None
        rel = learner.rel(filename)
        line = 1
        if cls is not None:
            where = "%s (%s) has no attribute %r" % (cls.__name__, rel, attr)
            pattern = re.compile(r"^\s*class\s+%s\b" % re.escape(cls.__name__))
            import linecache

            line = next((n for n, t in enumerate(linecache.getlines(filename), 1) if pattern.match(t)), 1)
        else:
            where = "%s defines no %r" % (rel, attr)
        message = "The check uses %s.%s, but %s. Define it, or check its spelling." % (owner, attr, where)
        return message, location(filename, line)

    def _fix_location(self, exc, loc):
        """Where the learner should change something for ``exc``: a missing SECRET_KEY is fixed
        where the app is created (the factory), not in the view that touched the session."""
        from ._explain import is_missing_secret_key

        if is_missing_secret_key(exc) and self.loaded is not None:
            from ._loader import app_setup_location

            where = app_setup_location(self.loaded, self.learner)
            if where:
                return where
        return loc

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
        return ends_sentence("%s crashed%s%s: %s" % (r.label, view, where, exc_line(exc).rstrip(".")))

    def _not_json_hint(self, exc, rec):
        if not rec.requests:
            return None
        text = str(exc)
        names = {c.__name__ for c in type(exc).__mro__}
        last = rec.requests[-1]
        looks_json = (
            # reading a key of get_json()'s None: only when the answer really was not JSON
            (isinstance(exc, TypeError) and "NoneType" in text and last.is_json is False)
            or "JSONDecodeError" in names
            or "UnsupportedMediaType" in names
            or ("BadRequest" in names and "JSON" in text)
        )
        if not looks_json:
            return None
        from ._client import route_problem

        text = "%s did not answer with JSON, so reading its JSON gave nothing (%s)." % (last.label, exc_line(exc))
        # no route (or not for this method): no view ran, so say that instead of how to return JSON
        hint = route_problem(last, self.learner) if last.match in ("no-route", "method") else None
        return "%s %s" % (text, hint or "Return a dict or list (or jsonify(...)) from the view.")

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
            "hint": rec.hint,
        }


class _KeepOpenBytes(io.BytesIO):
    def close(self):  # a learner's own wrapper around sys.stdout.buffer must not close it
        pass


class _LoadOutput:
    """What the app prints while loading. ``stream`` stands in for sys.stdout/sys.stderr and
    behaves like them: text, plus ``.buffer`` for bytes (``sys.stdout.buffer.write(...)``), and
    ``reconfigure()``; bytes that are not UTF-8 come out as U+FFFD."""

    def __init__(self):
        self._bytes = _KeepOpenBytes()
        self.stream = io.TextIOWrapper(
            self._bytes, encoding="utf-8", errors="backslashreplace", newline="\n", write_through=True
        )

    def text(self):
        try:
            self.stream.flush()
        except Exception:  # closed by the learner's code: what it wrote is still there
            pass
        return self._bytes.getvalue().decode("utf-8", "replace")


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


def _open_sink():
    """The channel _boot opened at import (signed, address already out of the environment); a
    second session in one process (the plugin's own in-process tests) opens its own."""
    ch = _boot.CHANNEL
    if ch is not None and not ch.dead and not getattr(ch, "claimed", False):
        ch.claimed = True
        return ch
    return EventSink(os.environ.pop("FLASK_TUTOR_EVENTS", None), os.environ.pop("FLASK_TUTOR_SECRET", None))


def _lingering_threads():
    """Non-daemon threads the learner's code left running, as 'name (started in file:line)'."""
    import threading

    found = []
    for t in threading.enumerate():
        if t is threading.main_thread() or t.daemon or not t.is_alive():
            continue
        target = getattr(t, "_target", None)
        code = getattr(target, "__code__", None)
        where = " (%s:%d)" % (code.co_filename, code.co_firstlineno) if code is not None else ""
        found.append("%s%s" % (t.name, where))
    return found


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
            _boot.arm_stack_dump(signal.SIGTERM)
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


def _is_module(obj):
    import types

    return isinstance(obj, types.ModuleType)


def _check_code(check_file, learner):
    """Predicate: is a file the check's own code? The check file, and the other files of its
    folder (helper modules, conftest.py), unless they belong to the learner's folder."""
    check_dir = os.path.dirname(check_file)
    cache = {}

    def is_check(filename):
        hit = cache.get(filename)
        if hit is None:
            if not filename or filename.startswith("<"):
                hit = False
            else:
                n = norm(filename)
                hit = n == check_file or (
                    is_inside(n, check_dir) and not (learner is not None and learner.contains(filename))
                )
            cache[filename] = hit
        return hit

    return is_check


def _assert_in_check(exc, is_check):
    """True when the AssertionError was raised by check code (or by our helpers), not by the
    learner's own ``assert`` or a library's."""
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = tb
        tb = tb.tb_next
    if last is None:
        return True
    filename = last.tb_frame.f_code.co_filename
    if is_check(filename):
        return True
    return filename.startswith(os.path.dirname(__file__)) or norm(filename).startswith(PKG_DIR + os.sep)


# assert <left> <op> <right>: (expected, sentence) for the ops a diff reads naturally for; the
# actual value is the left side (for "in"/"not in": the container, the right side).
_OP_WORDS = {
    "!=": ("anything but %s", "Expected anything but %s, and got exactly that."),
    "<": ("less than %s", "Expected a value less than %s but got %s."),
    "<=": ("at most %s", "Expected a value of at most %s but got %s."),
    ">": ("more than %s", "Expected a value greater than %s but got %s."),
    ">=": ("at least %s", "Expected a value of at least %s but got %s."),
}


def _opaque(text):
    """A default ``repr`` such as ``<sqlalchemy...ColumnCollection object at 0x7f...>``."""
    import re

    return re.match(r"^<\S.* object at 0x[0-9a-fA-F]+>$", text) is not None


def _compare_fields(op, left, right, last, literal_side=None):
    """``(expected, actual, sentence, about_status)`` for a failed ``assert left <op> right``.

    ``sentence`` is None when the values are too long to repeat in a message. ``about_status``:
    the comparison was about the status code of the last request (the sentence names it)."""
    from .helpers import _status_text, show

    if last is not None and _is_status(left) and last.status == left:
        statuses = None
        if op == "==" and _is_status(right):
            statuses = [right]
        elif op == "in" and isinstance(right, (list, tuple, set, frozenset, range)) and right:
            if all(_is_status(c) for c in right):
                statuses = sorted(right)
        if statuses is not None:
            expected = " or ".join(_status_text(c) for c in statuses)
            actual = _status_text(left)
            return expected, actual, "%s answered %s; expected %s." % (last.label, actual, expected), True
        actual = _status_text(left)
        if op == "!=" and _is_status(right):
            expected = "anything but %s" % _status_text(right)
            return expected, actual, "%s answered %s; expected another status." % (last.label, actual), True
        if op in ("<", "<=", ">", ">=") and isinstance(right, int) and not isinstance(right, bool):
            expected = _OP_WORDS[op][0] % right
            return expected, actual, "%s answered %s; expected a status %s." % (last.label, actual, expected), True

    def short(text):
        return len(text) <= 80 and "\n" not in text

    if op != "==" and (_opaque(show(right)) or _opaque(show(left))):
        return None, None, None, False  # "<Thing object at 0x...>" tells nothing

    def quoted(value):  # strings quoted in a sentence, so their edges show
        return repr(value) if isinstance(value, str) else show(value)

    generic = "The value the check got is not the one it expected (compare expected and actual)."
    if op in ("in", "not in") and literal_side == "right":
        # `got in ("a", "b")` / `got not in FORBIDDEN`: the member is what the app sent
        member, options = show(left), repr(right) if len(repr(right)) <= 200 else show(right)
        if op == "in":
            expected = "one of %s" % options
            sentence = "Got %s; expected one of %s." % (quoted(left), options)
        else:
            expected = "none of %s" % options
            sentence = "Got %s, which must not be one of %s." % (quoted(left), options)
        return expected, member, sentence if short(sentence) or len(sentence) < 200 else generic, False
    sets = (set, frozenset, type({}.keys()))
    if op in ("<", "<=", ">", ">=") and isinstance(left, sets) and isinstance(right, sets) and literal_side:

        def braces(values):
            return "{%s}" % ", ".join(sorted(repr(v) for v in values))

        small, big = (left, right) if op in ("<", "<=") else (right, left)
        small_is_literal = (literal_side == "left") == (op in ("<", "<="))
        diff = ", ".join(sorted(repr(v) for v in set(small) - set(big)))
        if small_is_literal:  # `REQUIRED <= got`: got must include every required item
            sentence = "The value the check got lacks %s (compare expected and actual)." % diff if diff else generic
            return "includes all of %s" % braces(small), braces(big), sentence, False
        # `got <= ALLOWED`: nothing outside the allowed items
        sentence = "The value the check got has %s, which is not allowed (compare expected and actual)." % diff if diff else generic
        return "only items of %s" % braces(big), braces(small), sentence, False
    if op in ("in", "not in"):
        member, container = show(left), show(right)
        m, c = quoted(left), quoted(right)
        if op == "in":
            expected = "contains %s" % member
            if short(c):
                sentence = "Expected %s to contain %s." % (c, m)
            else:
                sentence = "The value the check got does not contain %s (compare expected and actual)." % m
        else:
            expected = "does not contain %s" % member
            if short(c):
                sentence = "Expected %s not to contain %s." % (c, m)
            else:
                sentence = "The value the check got contains %s, which it must not (compare expected and actual)." % m
        return expected, container, sentence if short(m) else generic, False
    if op in _OP_WORDS:
        actual, bound = show(left), show(right)
        expected = _OP_WORDS[op][0] % bound
        a, b = quoted(left), quoted(right)
        sentence = generic
        if short(a) and short(b):
            sentence = _OP_WORDS[op][1] % ((b,) if op == "!=" else (b, a))
        return expected, actual, sentence, False
    # "==" (and anything else pytest reports): the right side is the expected value
    expected, actual = show(right), show(left)
    if short(expected) and short(actual):
        sentence = "Expected %s but got %s." % (expected, actual)
    else:
        sentence = generic
    return expected, actual, sentence, False


def _sqlalchemy_db(ext):
    """The Flask-SQLAlchemy object from ``app.extensions["sqlalchemy"]`` (see _db.sqlalchemy_db)."""
    from ._db import sqlalchemy_db

    return sqlalchemy_db(ext)


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


_COMPARE_OPS = frozenset({"==", "!=", "in", "not in", "<", "<=", ">", ">="})


def pytest_assertrepr_compare(config, op, left, right):
    """Remember the operands of a failed ``assert a <op> b`` for ``expected``/``actual``."""
    rec = _STATE.current if _STATE is not None else None
    if rec is not None and op in _COMPARE_OPS:
        rec.compare = (op, left, right)
        rec.compare_at = _asserting_line()
        rec.compare_literal = _literal_side(rec.compare_at)
    return None


def _statuses_expected_by(item):
    """HTTP statuses (300-599) the check's own code compares a status with: ``status_code ==
    405``, ``status_code in (404, 410)``, ``expect_status(r, 404)``."""
    import inspect
    import re

    try:
        source = inspect.getsource(item.obj)
    except (TypeError, OSError, AttributeError):
        return set()
    found = set()
    for m in re.finditer(r"status(?:_code)?\s*(?:==|in)\s*([\[(]?[^\n:]*)|expect_status\([^,\n]+,\s*([^\n)]*)", source):
        for n in re.findall(r"\b([345]\d\d)\b", m.group(1) or m.group(2) or ""):
            found.add(int(n))
    return found


def _literal_side(at):
    """Which operand of the failing ``assert a <op> b`` the check wrote as a literal (a set, list,
    tuple, dict, constant, ``set(...)`` of literals, or an UPPER_CASE name): that side is the
    expectation, the other what the app gave. None when neither or both are."""
    if not at:
        return None
    import ast
    import linecache

    filename, lineno = at
    text = ""
    for n in range(lineno, lineno + 15):  # an assert may span lines
        line = linecache.getline(filename, n)
        if not line:
            break
        text += line
        try:
            tree = ast.parse(__import__("textwrap").dedent(text))
        except SyntaxError:
            continue
        node = next((x for x in ast.walk(tree) if isinstance(x, ast.Assert)), None)
        if node is None or not isinstance(node.test, ast.Compare) or len(node.test.comparators) != 1:
            return None

        def literal(e):
            if isinstance(e, (ast.Set, ast.List, ast.Tuple, ast.Dict, ast.Constant)):
                return True
            if isinstance(e, ast.Name):
                return e.id.isupper()
            if isinstance(e, ast.Call) and isinstance(e.func, ast.Name) and e.func.id in ("set", "frozenset"):
                return all(literal(a) for a in e.args)
            return False

        left, right = literal(node.test.left), literal(node.test.comparators[0])
        if left == right:
            return None
        return "left" if left else "right"
    return None


def _asserting_line():
    """(file, line) of the assert being explained: the first frame outside pytest and us."""
    try:
        f = sys._getframe(1)
    except Exception:  # pragma: no cover
        return None
    while f is not None:
        name = f.f_globals.get("__name__") or ""
        if not name.startswith(("_pytest.", "pluggy", "pytest", "flask_tutor_pytest")):
            return (f.f_code.co_filename, f.f_lineno)
        f = f.f_back
    return None


def _raising_line(exc):
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return (tb.tb_frame.f_code.co_filename, tb.tb_lineno) if tb is not None else None


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
