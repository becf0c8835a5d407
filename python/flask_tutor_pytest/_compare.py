"""Reading a failed ``assert``: which side is the check's own literal, what the operands were
(``expected``/``actual``), which statuses a check provokes on purpose, and whether an exception
came from the check's own code. Used by the failure analysis (_analysis.py) and the hooks."""

import os
import sys

from ._util import PKG_DIR, is_inside, norm

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
    from .helpers import _status_text, show, stable_repr

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
        member, options = show(left), stable_repr(right) if len(stable_repr(right)) <= 200 else show(right)
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
    if expected == actual and type(left) is not type(right):
        # "1965" against 1965 reads the same: show the quotes and name the types
        expected, actual = quoted(right), quoted(left)
        if short(expected) and short(actual):
            return expected, actual, "Expected %s (%s) but got %s (%s)." % (expected, type(right).__name__, actual, type(left).__name__), False
    if short(expected) and short(actual):
        sentence = "Expected %s but got %s." % (expected, actual)
    else:
        sentence = generic
    return expected, actual, sentence, False


def _is_status(v):
    return isinstance(v, int) and not isinstance(v, bool) and 100 <= v <= 599


_COMPARE_OPS = frozenset({"==", "!=", "in", "not in", "<", "<=", ">", ">="})


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
