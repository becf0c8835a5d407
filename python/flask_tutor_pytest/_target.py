"""Where the learner's app is: the targets to try, in order.

``FLASK_TUTOR_APP`` (``module:attr``, from the exercise manifest) if given; else a ``FLASK_APP``
value (environment, then the folder's ``.flaskenv``/``.env``) when it names a module of the
folder; else, by convention, ``app.py``, ``wsgi.py``, ``main.py``, ``application.py``, then
packages (``app/``, other ``<pkg>/__init__.py``, ``src/<pkg>/__init__.py``). Only reads the
folder; importing is ``_loader.py``'s."""

import ast
import os

from ._util import SKIP_DIRS

CONVENTION_FILES = ("app", "wsgi", "main", "application")
_NOT_PACKAGES = SKIP_DIRS | {"tests", "test", "migrations", "instance", "static", "templates", "src", "docs"}


class Target:
    """Where the app comes from: ``module`` + optional ``attr`` (+ literal call args)."""

    def __init__(self, module, attr=None, call_args=None, sys_path=None, origin=""):
        self.module = module
        self.attr = attr
        self.call_args = call_args
        self.sys_path = sys_path
        self.origin = origin

    def describe(self):
        return self.module + (":" + self.attr if self.attr else "")


def parse_target(value, app_dir, origin):
    """Parse ``module``, ``module:attr``, ``module:factory('x')``, ``path/to/file.py[:attr]``."""
    value = value.strip()
    attr = None
    mod = value
    head, sep, tail = value.rpartition(":")
    if sep and head and not (len(head) == 1 and head.isalpha()):  # not a Windows drive letter
        mod, attr = head, tail.strip() or None
    call_args = None
    if attr and "(" in attr:
        name, _, rest = attr.partition("(")
        attr = name.strip()
        try:
            node = ast.parse("f(" + rest, mode="eval").body
            call_args = tuple(ast.literal_eval(a) for a in node.args)
        except Exception:
            call_args = ()
    sys_path = app_dir
    mod = mod.strip()
    if mod.endswith(".py") or "/" in mod or "\\" in mod:
        path = mod if os.path.isabs(mod) else os.path.join(app_dir, mod)
        path = os.path.normpath(path)
        if path.endswith(".py"):
            path = path[:-3]
        if os.path.basename(path) == "__init__":
            path = os.path.dirname(path)
        parts = [os.path.basename(path)]
        parent = os.path.dirname(path)
        while os.path.exists(os.path.join(parent, "__init__.py")):
            parts.insert(0, os.path.basename(parent))
            parent = os.path.dirname(parent)
        mod = ".".join(parts)
        sys_path = parent
    return Target(mod, attr, call_args, sys_path, origin)


def module_exists(target):
    base = os.path.join(target.sys_path, *target.module.split("."))
    return os.path.isfile(base + ".py") or os.path.isfile(os.path.join(base, "__init__.py"))


def _read_flaskenv(app_dir):
    for name in (".flaskenv", ".env"):
        path = os.path.join(app_dir, name)
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    line = line.strip()
                    if line.startswith("export "):
                        line = line[7:].strip()
                    if line.startswith("FLASK_APP="):
                        return line.split("=", 1)[1].strip().strip("'\""), name
        except OSError:
            continue
    return None, None


def candidates(app_dir, env):
    """(targets to try, notes about targets that were skipped, strict) -- strict: manifest."""
    notes = []
    explicit = env.get("FLASK_TUTOR_APP")
    if explicit:
        return [parse_target(explicit, app_dir, "FLASK_TUTOR_APP=" + explicit)], notes, True
    out = []
    flask_app, where = env.get("FLASK_APP"), "FLASK_APP"
    if not flask_app:
        flask_app, where = _read_flaskenv(app_dir)
        where = "FLASK_APP in " + where if where else None
    if flask_app:
        t = parse_target(flask_app, app_dir, "%s=%s" % (where, flask_app))
        if module_exists(t):
            out.append(t)
        else:
            notes.append("%s (no such module in the folder, ignored)" % t.origin)
    for name in CONVENTION_FILES:
        out.append(Target(name, sys_path=app_dir, origin=name + ".py"))
    pkgs = []
    try:
        entries = sorted(os.scandir(app_dir), key=lambda e: (e.name != "app", e.name))
    except OSError:
        entries = []
    for entry in entries:
        if entry.is_dir() and entry.name not in _NOT_PACKAGES and not entry.name.startswith("."):
            if entry.name.isidentifier() and os.path.isfile(os.path.join(entry.path, "__init__.py")):
                pkgs.append(Target(entry.name, sys_path=app_dir, origin=entry.name + "/__init__.py"))
    src = os.path.join(app_dir, "src")
    if os.path.isdir(src):
        for entry in sorted(os.scandir(src), key=lambda e: e.name):
            if entry.is_dir() and entry.name.isidentifier() and os.path.isfile(os.path.join(entry.path, "__init__.py")):
                pkgs.append(Target(entry.name, sys_path=src, origin="src/%s/__init__.py" % entry.name))
    return out + pkgs, notes, False
