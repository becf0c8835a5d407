"""Small helpers shared by the plugin: paths, locations, text clipping.

Only the standard library is imported here: this module is loaded with the plugin."""

import os
import sys
import traceback

FIELD_LIMIT = 64 * 1024
_TRUNC_MARK = "\n[... {n} characters cut by Flask Tutor ...]\n"

# Folders inside a learner's exercise folder that are never "the learner's code"
# (.flasktutor-backups: the copies Reset Exercise keeps, see docs/exercise-format.md).
SKIP_DIRS = frozenset(
    {
        ".venv", "venv", "env", ".env", "virtualenv", ".virtualenv", "site-packages",
        "dist-packages", "__pypackages__", "node_modules", ".git", ".hg", ".svn",
        ".tox", ".nox", "__pycache__", ".mypy_cache", ".pytest_cache", ".idea", ".vscode",
        ".flasktutor-backups",
    }
)

PKG_DIR = os.path.normcase(os.path.dirname(os.path.realpath(__file__)))


def norm(path):
    """Normalised absolute real path, used for comparisons only."""
    return os.path.normcase(os.path.realpath(os.path.abspath(path)))


def is_inside(path_norm, dir_norm):
    if path_norm == dir_norm:
        return True
    return path_norm.startswith(dir_norm.rstrip(os.sep) + os.sep)


def clean_text(value, limit=FIELD_LIMIT):
    """Make ``value`` a str that is valid UTF-8 and at most ~``limit`` characters."""
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    elif not isinstance(value, str):
        try:
            value = str(value)
        except Exception:  # pragma: no cover - exotic __str__
            value = "<unprintable %s>" % type(value).__name__
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "replace").decode("utf-8", "replace")
    if len(value) > limit:
        tail = limit // 8
        head = limit - tail
        cut = len(value) - head - tail
        value = value[:head] + _TRUNC_MARK.format(n=cut) + value[-tail:]
    return value


def clean_json(obj, limit=FIELD_LIMIT, _depth=0):
    """Recursively clean every string of a JSON-able structure."""
    if isinstance(obj, str):
        return clean_text(obj, limit)
    if obj is None or isinstance(obj, (bool, int, float)):
        return obj
    if _depth > 20:
        return clean_text(repr(obj), limit)
    if isinstance(obj, dict):
        return {clean_text(k, 1024): clean_json(v, limit, _depth + 1) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [clean_json(v, limit, _depth + 1) for v in obj]
    return clean_text(obj, limit)


class LearnerDir:
    """Answers "is this file the learner's own code?" quickly."""

    def __init__(self, path):
        self.path = os.path.abspath(path)
        self.norm = norm(path)
        # quick rejection: a file of the folder starts with one of these (normcased) prefixes
        self._prefixes = tuple(
            {os.path.normcase(self.path).rstrip(os.sep) + os.sep, self.norm.rstrip(os.sep) + os.sep}
        )
        self._cache = {}
        self._venvs = set()
        try:
            for entry in os.scandir(self.path):
                if entry.is_dir() and os.path.exists(os.path.join(entry.path, "pyvenv.cfg")):
                    self._venvs.add(os.path.normcase(entry.name))
        except OSError:
            pass

    def contains(self, filename):
        """True when ``filename`` is inside the folder (virtualenvs and caches excluded)."""
        if not filename or filename.startswith("<"):
            return False
        hit = self._cache.get(filename)
        if hit is not None:
            return hit
        if os.path.isabs(filename) and not os.path.normcase(filename).startswith(self._prefixes):
            return False
        n = norm(filename)
        ok = is_inside(n, self.norm) and n != self.norm
        if ok:
            rel = n[len(self.norm):].lstrip(os.sep)
            parts = rel.split(os.sep)
            for part in parts[:-1]:
                if part in SKIP_DIRS or part in self._venvs:
                    ok = False
                    break
        if len(self._cache) < 10000:
            self._cache[filename] = ok
        return ok

    def rel(self, filename):
        try:
            rel = os.path.relpath(os.path.abspath(filename), self.path)
        except ValueError:  # other drive on Windows
            return filename
        if rel.startswith(".."):
            return filename
        return rel.replace(os.sep, "/")


def location(file, line, column=None):
    if not file or not line:
        return None
    return {"file": os.path.abspath(file), "line": int(line), "column": int(column) if column else None}


def _colno(summary):
    col = getattr(summary, "colno", None)  # Python 3.11+
    return col + 1 if isinstance(col, int) else None


def iter_exc_chain(exc):
    """The exception, then its __cause__/__context__ chain (innermost cause last)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)


def deepest_frame_in(tb, predicate):
    """Location of the deepest traceback entry whose file satisfies ``predicate``."""
    found = None
    try:
        summaries = traceback.extract_tb(tb)
    except Exception:
        return None
    for fs in summaries:
        if predicate(fs.filename):
            found = location(fs.filename, fs.lineno, _colno(fs))
    return found


def deepest_learner_location(exc, learner):
    """Deepest frame inside the learner's folder for ``exc`` (or its causes)."""
    if learner is None:
        return None
    for e in iter_exc_chain(exc):
        loc = deepest_frame_in(e.__traceback__, learner.contains)
        if loc:
            return loc
    return None


def own_learner_location(exc, learner):
    """Deepest frame inside the learner's folder in the traceback of ``exc`` itself (its
    ``__context__``/``__cause__`` are not followed: blame goes by the exception raised)."""
    if learner is None or exc is None:
        return None
    return deepest_frame_in(exc.__traceback__, learner.contains)


def blame(exc, learner, is_check):
    """Who raised ``exc``, judged by the frames of ``exc`` itself: ``(kind, raised_in_check)``.

    ``kind`` is ``"learner"`` when the deepest *relevant* frame (one of the learner's folder or
    of the check code) is the learner's, ``"check"`` when it is the check's, else None (no
    relevant frame). ``raised_in_check``: the frame that raised (the last one) is check code."""
    try:
        summaries = traceback.extract_tb(exc.__traceback__)
    except Exception:
        return None, False
    kind = None
    for fs in summaries:
        if is_check(fs.filename):
            kind = "check"
        elif learner is not None and learner.contains(fs.filename):
            kind = "learner"
    raised_in_check = bool(summaries) and is_check(summaries[-1].filename)
    return kind, raised_in_check


def full_stop(text):
    """``text`` as a sentence, so that another one can follow it: a period is added unless it
    already ends a sentence, closing brackets and quotes aside ("got 'application/json'" ->
    "got 'application/json'.", never "...here.).")."""
    if not text:
        return text
    text = text.rstrip()
    if text.rstrip(")]}\"'”’»").endswith((".", "!", "?", "…", ":")):
        return text
    return text + "."


def ends_sentence(text):
    """``text`` with a period unless it already ends a sentence, closing brackets/quotes aside
    ("bad input" -> "bad input.", "'name'" -> "'name'.", "(see here.)" unchanged)."""
    text = (text or "").rstrip()
    if text.rstrip(")]}\"'”’»").endswith((".", "!", "?", "…")):
        return text
    return text + "."


def learner_location_from_frame(frame, learner):
    """Walk outwards from ``frame`` to the first frame in the learner's folder."""
    if learner is None:
        return None
    f = frame
    while f is not None:
        if learner.contains(f.f_code.co_filename):
            return location(f.f_code.co_filename, f.f_lineno)
        f = f.f_back
    return None


def format_exception(exc, learner=None, limit_to_learner=False):
    """Traceback text without the plugin's own frames and importlib's frozen frames."""
    try:
        te = traceback.TracebackException.from_exception(exc)
        for t in _iter_te(te):
            kept = [
                fs
                for fs in t.stack
                if not fs.filename.startswith("<frozen importlib")
                and not os.path.normcase(os.path.abspath(fs.filename)).startswith(PKG_DIR + os.sep)
            ]
            t.stack = traceback.StackSummary.from_list(kept)
        return "".join(te.format())
    except Exception:  # pragma: no cover - never let formatting break a report
        return "".join(traceback.format_exception_only(type(exc), exc))


def _iter_te(te):
    seen = set()
    while te is not None and id(te) not in seen:
        seen.add(id(te))
        yield te
        te = te.__cause__ or te.__context__


def exc_line(exc):
    """``"KeyError: 'name'"`` style one-liner (first line of the message only)."""
    name = type(exc).__name__
    try:
        text = str(exc)
    except Exception:
        text = ""
    if isinstance(exc, KeyError) and exc.args:
        text = repr(exc.args[0])
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return "%s: %s" % (name, first) if first else name


def short(value, limit=200):
    text = value if isinstance(value, str) else repr(value)
    text = text.replace("\n", " ")
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def pip_name(module):
    return PIP_NAMES.get(module, module.replace("_", "-"))


PIP_NAMES = {
    "flask": "Flask",
    "flask_sqlalchemy": "Flask-SQLAlchemy",
    "flask_migrate": "Flask-Migrate",
    "flask_login": "Flask-Login",
    "flask_wtf": "Flask-WTF",
    "flask_cors": "Flask-Cors",
    "flask_bcrypt": "Flask-Bcrypt",
    "flask_jwt_extended": "Flask-JWT-Extended",
    "flask_restful": "Flask-RESTful",
    "flask_limiter": "Flask-Limiter",
    "flask_caching": "Flask-Caching",
    "flask_mail": "Flask-Mail",
    "flask_marshmallow": "flask-marshmallow",
    "flask_smorest": "flask-smorest",
    "flask_babel": "Flask-Babel",
    "flask_session": "Flask-Session",
    "flask_socketio": "Flask-SocketIO",
    "sqlalchemy": "SQLAlchemy",
    "wtforms": "WTForms",
    "jwt": "PyJWT",
    "dotenv": "python-dotenv",
    "yaml": "PyYAML",
    "PIL": "Pillow",
    "dateutil": "python-dateutil",
    "psycopg2": "psycopg2-binary",
    "psycopg": "psycopg[binary]",
    "MySQLdb": "mysqlclient",
    "email_validator": "email-validator",
    "marshmallow_sqlalchemy": "marshmallow-sqlalchemy",
    "bs4": "beautifulsoup4",
    "sklearn": "scikit-learn",
}


def python_executable():
    return sys.executable or "python"
