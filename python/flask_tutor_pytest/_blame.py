"""Where a failed check's fix belongs, as its author named it (``helpers.about(blame=...)`` or
``@pytest.mark.blame(...)``), resolved to a location in the learner's folder.

Forms: ``"app"`` (where the app is made), ``"templates/list.html"`` (a file, found at any depth
of the learner's folder by its trailing path), ``"models.py:Book.to_dict"`` (a function, class or
method of a Python file), ``"templates/list.html:<li"`` (the first line containing the text).
None when the place is not in the learner's folder: the default location stays."""

import ast
import os

from ._util import location

_SKIP_DIRS = {".venv", "venv", "env", "__pycache__", "node_modules", ".git", ".flasktutor-backups", "instance"}


def blame_location(spec, learner, loaded=None):
    spec = spec.strip()
    if spec == "app":
        if loaded is None:
            return None
        from ._loader import app_setup_location

        return app_setup_location(loaded, learner)
    path_part, _, inner = spec.partition(":")
    found = find_file(learner.path, path_part)
    if found is None or not learner.contains(found):
        return None
    if not inner:
        return location(found, 1)
    if found.endswith(".py"):
        line = _definition_line(found, inner)
        if line is not None:
            return location(found, line)
    return location(found, _line_containing(found, inner) or 1)


def find_file(root, rel):
    """``root/rel`` if it exists, else the shallowest file whose path ends with ``rel``."""
    rel = rel.replace("\\", "/").strip("/")
    if not rel or ".." in rel.split("/"):
        return None
    direct = os.path.join(root, *rel.split("/"))
    if os.path.isfile(direct):
        return direct
    best = None
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS and not d.startswith("."))
        for name in filenames:
            full = os.path.join(dirpath, name)
            if full.replace(os.sep, "/").endswith("/" + rel):
                depth = full.count(os.sep)
                if best is None or depth < best[0]:
                    best = (depth, full)
    return best[1] if best else None


def _definition_line(filename, dotted):
    """Line of ``def``/``class`` ``A.b`` in ``filename`` (nested through classes), or None."""
    try:
        with open(filename, encoding="utf-8") as f:
            tree = ast.parse(f.read(), filename)
    except (OSError, SyntaxError, ValueError):
        return None
    body = tree.body
    node = None
    for part in dotted.split("."):
        node = next(
            (n for n in body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.name == part),
            None,
        )
        if node is None:
            return None
        body = node.body
    if node is None:
        return None
    # the def line itself, not its first decorator
    return node.lineno


def _line_containing(filename, text):
    try:
        with open(filename, encoding="utf-8", errors="replace") as f:
            for n, line in enumerate(f, 1):
                if text in line:
                    return n
    except OSError:
        return None
    return None
