"""The run's state: the event channel, the learner's folder and its sandbox, loading the app once
and building it for each check, and the helpers the hooks use around a run (output capture,
threads left running, signals). The pytest hooks (plugin.py) drive it; the failure analysis is
its base class (_analysis.py)."""

import io
import os
import sys
import time

import pytest

from . import _boot
from ._analysis import FailureAnalysis
from ._events import EventSink
from ._records import AppLoadFailed
from ._timeout import CheckTimeout, TimeLimit
from ._util import LearnerDir, deepest_learner_location, exc_line, format_exception, is_inside, learner_location_from_frame, norm

DEFAULT_TIMEOUT = 10.0


class State(FailureAnalysis):
    """The run: options, the event channel, the learner's folder and sandbox, the loaded app and
    one record per check."""

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




def _sqlalchemy_db(ext):
    """The Flask-SQLAlchemy object from ``app.extensions["sqlalchemy"]`` (see _db.sqlalchemy_db)."""
    from ._db import sqlalchemy_db

    return sqlalchemy_db(ext)


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
