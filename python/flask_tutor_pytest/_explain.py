"""Plain-language explanations of common Flask / SQLAlchemy / Jinja failures."""

import os
import re

from ._util import short


def _cls_names(exc):
    return {"%s.%s" % (c.__module__, c.__name__) for c in type(exc).__mro__}


def _is(exc, *names):
    have = _cls_names(exc)
    return any(n in have for n in names)


def explain_exception(exc, learner=None, app=None):
    """A sentence or two for well-known failures, or None."""
    try:
        return _explain(exc, learner, app)
    except Exception:  # an explanation must never break the report
        return None


_NO_SESSION_KEY = "no secret key was set"  # Flask: "The session is unavailable because no secret key was set."
_NO_CSRF_KEY = "secret key is required to use CSRF"  # Flask-WTF: "A secret key is required to use CSRF."


def is_missing_secret_key(exc):
    """Did ``exc`` come from a missing SECRET_KEY (Flask's session, Flask-WTF's CSRF tokens)?"""
    if not isinstance(exc, RuntimeError):
        return False
    text = str(exc)
    return _NO_SESSION_KEY in text or _NO_CSRF_KEY in text


def _where_app_is_made():
    """ "in create_app()" (the learner's factory) or "where you create the app"."""
    try:
        from ._state import current_loaded

        loaded = current_loaded()
    except Exception:
        loaded = None
    if loaded is not None and loaded.kind == "factory" and loaded.attr:
        return "in %s()" % loaded.attr
    if loaded is not None and loaded.kind == "module":
        return "right after creating the app (%s = Flask(__name__))" % (loaded.attr or "app")
    return "in create_app()"


def _missing_secret_key(exc):
    fix = "Set app.config['SECRET_KEY'] (from an environment variable in production) %s." % _where_app_is_made()
    if _NO_CSRF_KEY in str(exc):
        return (
            "Your app has no SECRET_KEY, so Flask-WTF cannot sign the form's CSRF token (and Flask "
            "cannot sign the session cookie). " + fix
        )
    return "Your app has no SECRET_KEY, so Flask cannot sign the session cookie. " + fix


def _undefined(text):
    """Jinja's UndefinedError: a missing variable, a missing attribute, or csrf_token without CSRFProtect."""
    m = re.match(r"'(.+?)(?: object)?' has no attribute '(\w+)'", text)
    if m:
        kind = m.group(1).split(".")[-1]
        return (
            "A template asked for %s.%s, but a %s has no attribute %r. Check the spelling against "
            "the object's fields (the model's columns or the dict's keys)." % (kind.lower(), m.group(2), kind, m.group(2))
        )
    m = re.match(r"'(\w+)' is undefined", text)
    if m and m.group(1) == "csrf_token":
        return (
            "A template called csrf_token(), which exists only when Flask-WTF's CSRFProtect guards "
            "the app: CSRFProtect(app), or csrf = CSRFProtect() and csrf.init_app(app) where the app "
            "is made."
        )
    return (
        "A template used a variable that does not exist (%s). Pass it to render_template(), "
        "for example render_template(\"page.html\", name=name), or fix its spelling." % short(text, 160)
    )


def _explain(exc, learner, app):
    from ._errors import SandboxWriteError

    text = str(exc)
    if is_missing_secret_key(exc):
        return _missing_secret_key(exc)
    if isinstance(exc, SandboxWriteError):
        return (
            "Your code tried to %s %s inside your exercise folder while a check ran. Checks never "
            "change your files: write to app.instance_path, or to a folder you read from "
            "app.config (for example UPLOAD_FOLDER), so the checks can point it somewhere safe."
            % (exc.action, exc.path)
        )
    if isinstance(exc, OSError) and "reading from stdin while output is captured" in text:
        return (
            "Your code calls input(), which waits for someone to type an answer: checks cannot type. "
            "Read the value from app.config or os.environ instead, and keep interactive code under "
            "`if __name__ == \"__main__\":`."
        )
    if isinstance(exc, RecursionError):
        return _recursion(exc, learner)
    if _is(exc, "werkzeug.routing.exceptions.BuildError", "werkzeug.routing.BuildError"):
        return _build_error(exc, app)
    if _is(exc, "jinja2.exceptions.TemplateNotFound"):
        return _template_not_found(exc, app, learner)
    if _is(exc, "jinja2.exceptions.UndefinedError"):
        return _undefined(text)
    if isinstance(exc, RuntimeError) and "outside of application context" in text:
        return (
            "Code that needs the app (db.session, current_app, url_for, a query...) ran outside an "
            "application context. Run it inside a view, or wrap it in `with app.app_context():`."
        )
    if isinstance(exc, RuntimeError) and "outside of request context" in text:
        return (
            "Code used `request` or `session` outside of a request. Only use them inside a view "
            "function (or a function a view calls)."
        )
    if isinstance(exc, RuntimeError) and "not registered with this 'SQLAlchemy' instance" in text:
        return (
            "The db object was never connected to this app. Call db.init_app(app) in create_app() "
            "(or create it with db = SQLAlchemy(app))."
        )
    if _is(exc, "sqlalchemy.exc.IntegrityError", "sqlite3.IntegrityError"):
        return _integrity(exc)
    if _is(exc, "sqlalchemy.exc.OperationalError", "sqlite3.OperationalError"):
        return _operational(exc)
    if _is(exc, "sqlalchemy.exc.PendingRollbackError"):
        return (
            "A previous database error left the session in a failed transaction. After a failed "
            "commit, call db.session.rollback() before using the session again."
        )
    if isinstance(exc, TypeError) and "did not return a valid response" in text:
        m = re.search(r"view function for '([^']+)'", text)
        return (
            "The view %s returned nothing (None). Every view must return a response: a string, a "
            "dict/list (sent as JSON), a template, or a (body, status) tuple."
            % ("'%s'" % m.group(1) if m else "")
        ).replace("view  returned", "view returned")
    if isinstance(exc, AssertionError) and "View function mapping is overwriting an existing endpoint function" in text:
        name = text.rsplit(":", 1)[-1].strip()
        return (
            "Two view functions have the same name (%s). Each route needs a view function with its "
            "own name (or a distinct endpoint=...)." % name
        )
    if isinstance(exc, ValueError) and "already registered" in text and "blueprint" in text.lower():
        return "The same blueprint name is registered twice. Give each blueprint its own name."
    if isinstance(exc, ModuleNotFoundError) and getattr(exc, "name", None):
        from ._util import pip_name

        return "Python cannot find the module %r. If it is a package, install it: python -m pip install %s" % (
            exc.name,
            pip_name(exc.name.split(".")[0]),
        )
    return None


def _build_error(exc, app):
    endpoint = getattr(exc, "endpoint", None)
    values = getattr(exc, "values", None) or {}
    rules = []
    if app is not None:
        try:
            rules = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]
        except Exception:
            rules = []
    if rules:
        needed = sorted(set().union(*(r.arguments for r in rules)) - set(values))
        return (
            "url_for(%r) could not build a URL: the route %s needs %s. Pass %s to url_for()."
            % (
                endpoint,
                rules[0].rule,
                ", ".join(repr(n) for n in needed) or "other values",
                ", ".join("%s=..." % n for n in needed) or "the missing values",
            )
        )
    suggestion = ""
    if app is not None:
        import difflib

        names = sorted({r.endpoint for r in app.url_map.iter_rules()})
        close = difflib.get_close_matches(str(endpoint), names, n=1, cutoff=0.5)
        if close:
            suggestion = " Did you mean %r?" % close[0]
    return (
        "url_for(%r) failed: there is no endpoint with that name. The endpoint is the view "
        "function's name (with a blueprint: 'blueprint_name.function_name').%s" % (endpoint, suggestion)
    )


def template_folders(app):
    folders = []
    if app is None:
        return folders
    try:
        loaders = [app.jinja_loader] + [bp.jinja_loader for bp in app.iter_blueprints()]
    except Exception:
        return folders
    for loader in loaders:
        for p in getattr(loader, "searchpath", None) or []:
            if p not in folders:
                folders.append(p)
    return folders


def _template_not_found(exc, app, learner):
    names = getattr(exc, "templates", None) or [getattr(exc, "name", None)]
    names = [n for n in names if n]
    folders = template_folders(app)
    shown = [learner.rel(f) + "/" if learner else f for f in folders]
    where = (" Flask looked in: %s." % ", ".join(shown)) if shown else ""
    existing = ""
    for f in folders:
        if not os.path.isdir(f):
            existing = " (the folder %s does not exist: create it next to your app module)" % (
                learner.rel(f) if learner else f
            )
            break
    return (
        "The template %s was not found.%s%s Put the file in the templates/ folder or fix the name "
        "passed to render_template()." % (" or ".join(repr(n) for n in names), where, existing)
    )


def _orig_text(exc):
    orig = getattr(exc, "orig", None)
    return str(orig if orig is not None else exc).strip()


def _params_of(exc):
    params = getattr(exc, "params", None)
    if isinstance(params, dict):
        return list(params.values())
    if isinstance(params, (list, tuple)):
        flat = []
        for p in params:
            flat.extend(p.values() if isinstance(p, dict) else (p if isinstance(p, (list, tuple)) else [p]))
        return flat
    return []


def _raw_sqlite(exc):
    """True when the app talks to SQLite with the ``sqlite3`` module itself (Flask's tutorial,
    flaskr), not through SQLAlchemy: the advice then speaks of SQL and the connection."""
    return not _is(exc, "sqlalchemy.exc.SQLAlchemyError") and _is(exc, "sqlite3.Error")


def _rollback(exc):
    return "call rollback() on the connection" if _raw_sqlite(exc) else "call db.session.rollback()"


def _integrity(exc):
    text = _orig_text(exc)
    m = re.search(r"UNIQUE constraint failed: ([\w.]+(?:, [\w.]+)*)", text)
    if m:
        cols = m.group(1)
        return (
            "The database refused the change: a row with the same %s already exists (UNIQUE "
            "constraint failed: %s). Look for an existing row with that %s before adding one: reuse "
            "it, or refuse the request if your API forbids duplicates; and %s after a failed "
            "commit." % (cols.split(".")[-1], cols, cols.split(".")[-1], _rollback(exc))
        )
    m = re.search(r"NOT NULL constraint failed: ([\w.]+)", text)
    statement = (getattr(exc, "statement", None) or "").lstrip().upper()
    if m and statement.startswith("UPDATE") and None in _params_of(exc):
        # SQLAlchemy detaching children from a deleted parent sets their foreign key to NULL.
        return (
            "The database refused the change: deleting (or detaching) a parent row made SQLAlchemy set "
            "%s to NULL, which the column refuses. When the parent goes, its children should go too: "
            "cascade=\"all, delete-orphan\" on the parent's relationship (or delete them first)." % m.group(1)
        )
    if m:
        return (
            "The database refused the change: %s is required (NOT NULL) but no value was given. "
            "Set it before adding the row, or validate the input and answer 400." % m.group(1)
        )
    if "FOREIGN KEY constraint failed" in text:
        return (
            "The database refused the change: it refers to a row that does not exist (FOREIGN KEY "
            "constraint failed)."
        )
    return "The database refused the change (%s). After a failed commit, %s." % (short(text, 160), _rollback(exc))


def _operational(exc):
    text = _orig_text(exc)
    m = re.search(r"no such table: ([\w.]+)", text)
    if m and _raw_sqlite(exc):
        return (
            "The table %r does not exist in the database. Create it before it is used: run your "
            "schema (the CREATE TABLE statements, e.g. schema.sql) when the app sets up its database, "
            "as flaskr's init_db() does." % m.group(1)
        )
    if m:
        return (
            "The table %r does not exist in the database. Create the tables: call db.create_all() "
            "inside `with app.app_context():` in your factory (after the models are imported), or "
            "run the migration (flask db upgrade)." % m.group(1)
        )
    m = re.search(r"(?:no such column|has no column named):? ([\w.]+)", text)
    if m and _raw_sqlite(exc):
        return (
            "The table has no column %r: check the column name in your SQL against the CREATE TABLE "
            "statement of your schema (a typo in the query, or a schema that needs recreating)."
            % m.group(1)
        )
    if m:
        return (
            "The database has no column %r: the table was created from an older version of the "
            "model. Check the column name in the model, or recreate the tables / add a migration."
            % m.group(1)
        )
    if "database is locked" in text:
        return "The SQLite database is locked: a connection or transaction was left open. Commit or close it."
    if "unable to open database file" in text:
        return "SQLite could not open the database file: check the path in SQLALCHEMY_DATABASE_URI (its folder must exist)."
    return None


def decorator_order_note(app, endpoints):
    """A sentence when a requested view was registered before a decorator wrapped it.

    ``@login_required`` written above ``@bp.get(...)`` wraps the function *after* the route
    registered it: the route keeps the unprotected function, and the module name points at the
    wrapper (``functools.wraps`` sets ``__wrapped__``). Returns None when that is not the case.
    """
    import sys

    for endpoint in endpoints:
        view = (getattr(app, "view_functions", None) or {}).get(endpoint)
        module = sys.modules.get(getattr(view, "__module__", None) or "")
        name = getattr(view, "__name__", None)
        if view is None or module is None or not name:
            continue
        outer = getattr(module, name, None)
        inner = outer
        depth = 0
        while inner is not None and inner is not view and depth < 5:
            inner = getattr(inner, "__wrapped__", None)
            depth += 1
        if outer is not None and outer is not view and inner is view:
            return (
                "The route registers %s() without its other decorators: a decorator such as "
                "@login_required written above the route decorator wraps the function after the "
                "route registered it. Put the route decorator on top, then @login_required under it."
                % name
            )
    return None


def _recursion(exc, learner):
    """RecursionError: name the learner function that keeps calling itself, from the innermost
    frames (the traceback was bounded to its first and last frames, see bound_traceback)."""
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame.f_code)
        tb = tb.tb_next
    counts = {}
    for code in frames[-30:]:
        if learner is not None and learner.contains(code.co_filename):
            counts[code] = counts.get(code, 0) + 1
    if counts:
        code = max(counts, key=counts.get)
        return (
            "%s() keeps calling itself and never stops (%s, line %d): Python gave up at its recursion "
            "limit. Each call must move towards a case that returns without calling again."
            % (code.co_name, learner.rel(code.co_filename), code.co_firstlineno)
        )
    return (
        "Python gave up at its recursion limit: a function keeps calling itself (or two call each "
        "other) and never stops."
    )


# Frames kept of a very long traceback: the outermost (where the check called in) and the
# innermost (where it went wrong). A RecursionError under a raised recursion limit has hundreds of
# thousands of frames, and formatting each one took pytest longer than the whole run timeout.
TRACEBACK_HEAD = 15
TRACEBACK_TAIL = 40


def bound_traceback(exc):
    """Cut the middle out of ``exc``'s traceback (and those of its cause and context) when it is
    longer than TRACEBACK_HEAD + TRACEBACK_TAIL frames, in place (``tb_next`` is writable)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        entries = []
        tb = exc.__traceback__
        while tb is not None:
            entries.append(tb)
            tb = tb.tb_next
        if len(entries) > TRACEBACK_HEAD + TRACEBACK_TAIL:
            try:
                entries[TRACEBACK_HEAD - 1].tb_next = entries[-TRACEBACK_TAIL]
            except (AttributeError, TypeError):  # Python < 3.7: tb_next is read-only
                pass
        exc = exc.__cause__ or exc.__context__
