"""Loading the learner's Flask app, and classifying what went wrong while doing so.

The targets to try, in order, come from ``_target.py`` (``FLASK_TUTOR_APP``, ``FLASK_APP``, the
conventions). In a module, a factory (``create_app``/``make_app``) wins over an
``app``/``application`` Flask object, then over a single Flask object of any name."""

import difflib
import importlib
import inspect
import os
import sys

from ._errors import SandboxWriteError
from ._target import candidates, module_exists
from ._timeout import CheckTimeout
from ._util import (
    deepest_learner_location,
    exc_line,
    format_exception,
    location,
    pip_name,
)

FACTORY_NAMES = ("create_app", "make_app")
APP_NAMES = ("app", "application")


class LoadError(Exception):
    """The app could not be loaded; carries the fields of the ``app`` error event."""

    def __init__(self, code, message, location=None, traceback=None, **extra):
        super().__init__(message)
        self.code = code
        self.message = message
        self.location = location
        self.traceback = traceback
        self.extra = extra

    def event_fields(self):
        fields = {
            "status": "error",
            "code": self.code,
            "message": self.message,
            "location": self.location,
            "traceback": self.traceback,
        }
        fields.update(self.extra)
        return fields


class Loaded:
    """The result of loading: module + either a factory or a module-level app."""

    def __init__(self, target, module, kind, factory=None, app=None, attr=None):
        self.target = target
        self.module = module
        self.kind = kind  # "factory" | "module"
        self.factory = factory
        self.app = app
        self.attr = attr

    @property
    def target_name(self):
        return "%s:%s" % (self.target.module, self.attr)


def _find_in_module(module, target, Flask):
    if target.attr:
        if not hasattr(module, target.attr):
            return None
        obj = getattr(module, target.attr)
        if isinstance(obj, Flask):
            return Loaded(target, module, "module", app=obj, attr=target.attr)
        if callable(obj):
            return Loaded(target, module, "factory", factory=obj, attr=target.attr)
        return None
    for name in FACTORY_NAMES:
        obj = getattr(module, name, None)
        if callable(obj) and not isinstance(obj, Flask) and not inspect.isclass(obj):
            return Loaded(target, module, "factory", factory=obj, attr=name)
    for name in APP_NAMES:
        obj = getattr(module, name, None)
        if isinstance(obj, Flask):
            return Loaded(target, module, "module", app=obj, attr=name)
    found = [(k, v) for k, v in vars(module).items() if isinstance(v, Flask)]
    if len(found) == 1:
        return Loaded(target, module, "module", app=found[0][1], attr=found[0][0])
    return None


def learner_module_names(learner, skip=frozenset()):
    """Names of imported modules whose file is in the learner's folder (``skip``: names known
    not to be, e.g. everything imported before the plugin started)."""
    names = []
    for name in [n for n in sys.modules if n not in skip]:
        mod = sys.modules.get(name)
        f = getattr(mod, "__file__", None)
        if f and learner.contains(f):
            names.append(name)
            continue
        if f is None:
            paths = getattr(mod, "__path__", None)
            try:
                if paths and any(learner.contains(os.path.join(p, "__init__.py")) for p in paths):
                    names.append(name)
            except TypeError:
                pass
    return names


def purge_learner_modules(learner, skip=frozenset()):
    for name in learner_module_names(learner, skip):
        sys.modules.pop(name, None)


def _ensure_sys_path(app_dir, extra=None):
    for p in ([extra] if extra and extra != app_dir else []) + [app_dir]:
        while p in sys.path:
            sys.path.remove(p)
        sys.path.insert(0, p)


def import_target(target, learner):
    _ensure_sys_path(learner.path, target.sys_path)
    importlib.invalidate_caches()
    try:
        return importlib.import_module(target.module)
    except CheckTimeout:
        raise
    except BaseException as e:
        if isinstance(e, KeyboardInterrupt):
            raise
        raise classify(e, learner, "import", target) from e


def find_app(learner, env):
    """Import candidates in order; return :class:`Loaded` or raise :class:`LoadError`."""
    import flask  # noqa: F401 - imported before timing the learner's import; triggers patches

    targets, notes, strict = candidates(learner.path, env)
    looked = list(notes)
    for target in targets:
        if not module_exists(target):
            if strict:
                looked.append("%s (there is no module %r in the folder)" % (target.origin, target.module))
            else:
                looked.append("%s (missing)" % target.origin)
            continue
        module = import_target(target, learner)
        loaded = _find_in_module(module, target, flask.Flask)
        if loaded is not None:
            return loaded
        if strict and target.attr:
            looked.append("%s (%s has no Flask app or factory named %r)" % (target.origin, target.module, target.attr))
        else:
            looked.append(
                "%s (no create_app()/make_app() factory and no Flask object named app or application)"
                % target.origin
            )
    if not strict and not any(t.origin.endswith("__init__.py") for t in targets):
        looked.append("package folders <name>/__init__.py and src/<name>/__init__.py (none)")
    raise LoadError(
        "not-found",
        "Could not find your Flask app. Looked in: %s. Create app.py with `app = Flask(__name__)` "
        "(or a `create_app()` factory), or check the file name." % "; ".join(looked),
        None,
        None,
        looked=looked,
    )


def wants_config(factory):
    """Does the factory take a test-config mapping as its first argument?"""
    try:
        sig = inspect.signature(factory)
    except (TypeError, ValueError):
        return False
    params = [
        p
        for p in sig.parameters.values()
        if p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    ]
    if not params:
        return False
    default = params[0].default
    if default is inspect.Parameter.empty or default is None:
        return True
    try:
        from collections.abc import Mapping

        return isinstance(default, Mapping)
    except Exception:  # pragma: no cover
        return False


def make_app(loaded, learner, test_config):
    """Call the factory (or take the module's app) and apply the test configuration."""
    import flask

    if loaded.kind == "factory":
        try:
            if loaded.target.call_args is not None:
                app = loaded.factory(*loaded.target.call_args)
            elif wants_config(loaded.factory):
                app = loaded.factory(dict(test_config))
            else:
                app = loaded.factory()
        except CheckTimeout:
            raise
        except BaseException as e:
            if isinstance(e, KeyboardInterrupt):
                raise
            raise classify(e, learner, "factory", loaded.target, loaded.attr) from e
        if not isinstance(app, flask.Flask):
            loc = None
            try:
                code = inspect.unwrap(loaded.factory).__code__
                loc = location(code.co_filename, code.co_firstlineno)
            except Exception:
                pass
            raise LoadError(
                "app-error",
                "%s() returned %s instead of a Flask app. Did you forget `return app` at the end "
                "of the factory?" % (loaded.attr, "None" if app is None else type(app).__name__),
                loc,
                None,
            )
    else:
        app = loaded.app
    app.config.update(test_config)
    app.config["TESTING"] = True
    # No SECRET_KEY is filled in: an app without one must fail its session/CSRF checks as it
    # would in real life (the failure is explained, and located where the app is created).
    return app


def app_setup_location(loaded, learner):
    """Where the learner configures the app: the factory's ``def`` line, or the line creating
    the module-level app (``app = Flask(__name__)``). None when not in the learner's folder."""
    import linecache
    import re

    try:
        if loaded.kind == "factory":
            code = inspect.unwrap(loaded.factory).__code__
            filename, first = code.co_filename, code.co_firstlineno
            for n in range(first, first + 30):
                text = linecache.getline(filename, n).lstrip()
                if text.startswith(("def ", "async def ")):
                    first = n
                    break
            return location(filename, first) if learner.contains(filename) else None
        filename = getattr(loaded.module, "__file__", None)
        if not filename or not learner.contains(filename):
            return None
        pattern = re.compile(r"^\s*%s\s*(?::[^=]+)?=\s*[\w.]*Flask\(" % re.escape(loaded.attr or "app"))
        lines = linecache.getlines(filename)
        for n, text in enumerate(lines, 1):
            if pattern.match(text):
                return location(filename, n)
        for n, text in enumerate(lines, 1):
            if "Flask(" in text and not text.lstrip().startswith(("#", "class ")):
                return location(filename, n)
        return location(filename, 1)
    except Exception:
        return None


def classify(exc, learner, phase, target=None, factory_name=None):
    """Turn an exception raised while loading into a :class:`LoadError`."""
    from ._explain import explain_exception

    if isinstance(exc, LoadError):
        return exc
    tb_text = format_exception(exc)
    rel = learner.rel
    if isinstance(exc, SyntaxError):
        filename = exc.filename or ""
        loc = location(filename, exc.lineno or 1, exc.offset) if filename else None
        what = exc.msg or "invalid syntax"
        kind = "indentation" if isinstance(exc, IndentationError) else "syntax"
        message = "Python cannot read %s: there is a%s error on line %s: %s." % (
            rel(filename) if filename else "your code",
            "n " + kind if kind == "indentation" else " " + kind,
            exc.lineno,
            what,
        )
        return LoadError("syntax-error", message, loc, tb_text)
    loc = deepest_learner_location(exc, learner)
    where = " (%s, line %d)" % (rel(loc["file"]), loc["line"]) if loc else ""
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        missing = exc.name
        top = missing.split(".")[0]
        local = sorted(
            n[:-3] if n.endswith(".py") else n
            for n in os.listdir(learner.path)
            if (n.endswith(".py") or os.path.isdir(os.path.join(learner.path, n))) and not n.startswith(".")
        )
        is_local_pkg = top in local
        close = difflib.get_close_matches(top, local, n=1, cutoff=0.75)
        if is_local_pkg or close:
            hint = (
                " There is no module %r in your folder%s." % (missing, "; did you mean %r?" % close[0] if close and close[0] != top else "")
            )
            return LoadError(
                "app-error",
                "Your code imports %r, which Python cannot find%s.%s" % (missing, where, hint),
                loc,
                tb_text,
            )
        package = pip_name(top)
        importer = _library_importer(exc, learner)
        if importer is not None:
            # The import statement is a library's: most often SQLAlchemy loading the driver that
            # the database URL names ("postgresql://" needs psycopg2).
            if importer == "sqlalchemy":
                what = (
                    "Your database URL needs the driver %r, which is not installed in the Python "
                    "environment that runs the checks (%s); SQLAlchemy imports it when the database "
                    "is set up%s. Install it with: python -m pip install %s, or use a URL whose "
                    "driver you have (sqlite:///app.db needs none)." % (top, sys.executable, where, package)
                )
            else:
                what = (
                    "The library %r imports %r, which is not installed in the Python environment "
                    "that runs the checks (%s); your code called it%s. Install it with: python -m "
                    "pip install %s" % (importer, top, sys.executable, where, package)
                )
            return LoadError("import-error", what, loc, tb_text, missingModule=top, missingPackage=package)
        return LoadError(
            "import-error",
            "Your code imports %r%s, but it is not installed in the Python environment that runs "
            "the checks (%s). Install it with: python -m pip install %s"
            % (top, where, sys.executable, package),
            loc,
            tb_text,
            missingModule=top,
            missingPackage=package,
        )
    if isinstance(exc, CheckTimeout):  # pragma: no cover - handled by the caller
        raise exc
    if isinstance(exc, SystemExit):
        return LoadError(
            "app-error",
            "Your code called sys.exit()/exit() while loading%s, so the app never got created. "
            "Move it under `if __name__ == \"__main__\":`." % where,
            loc,
            tb_text,
        )
    if isinstance(exc, SandboxWriteError):
        return LoadError(
            "app-error",
            "Loading your app tried to %s %s inside your exercise folder%s. Checks never change your "
            "files: write to app.instance_path, or to a folder you read from app.config (for example "
            "UPLOAD_FOLDER), so the checks can point it somewhere safe." % (exc.action, exc.path, where),
            loc,
            tb_text,
        )
    detail = explain_exception(exc, learner=learner)
    if isinstance(exc, OSError) and "reading from stdin while output is captured" in str(exc):
        # pytest's own words ("Consider using -s") are advice for pytest users, not for learners
        return LoadError("app-error", "Loading your app stopped at input()%s. %s" % (where, detail), loc, tb_text)
    if phase == "factory":
        head = "Calling %s() failed%s: %s." % (factory_name or "the factory", where, exc_line(exc))
    else:
        head = "Loading %s failed%s: %s." % (
            (target.origin if target and target.origin.endswith(".py") else (target.module if target else "your app")),
            where,
            exc_line(exc),
        )
    message = head + (" " + detail if detail else "")
    return LoadError("app-error", message, loc, tb_text)


def _library_importer(exc, learner):
    """The top-level package whose code ran the failing import, when that is not the learner's
    code (nor Python's import machinery); None when the learner's own import statement failed."""
    tb = exc.__traceback__
    innermost = None
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if not name.startswith("<"):  # <frozen importlib._bootstrap>
            innermost = tb.tb_frame
        tb = tb.tb_next
    if innermost is None or learner.contains(innermost.f_code.co_filename):
        return None
    module = innermost.f_globals.get("__name__") or ""
    top = module.split(".")[0]
    return top or None
