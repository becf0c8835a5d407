"""Assertion helpers for check authors.

Each helper raises :class:`CheckFailed` (an ``AssertionError``) with a plain-language message
and ``expected`` / ``actual`` strings the extension shows as a diff. Each returns something
useful when it passes (the response, the parsed JSON, the header value...)."""

import json
from http import HTTPStatus

__all__ = ["CheckFailed", "about", "expect_status", "expect_json", "expect_header", "expect_in", "set_cookie", "show"]

_MISSING = object()


class CheckFailed(AssertionError):
    """A check failed. ``message`` is plain language; ``expected``/``actual`` are strings or None."""

    def __init__(self, message, expected=None, actual=None, response=None):
        super().__init__(message)
        self.message = message
        self.expected = expected
        self.actual = actual
        self.response = response


class about:
    """Guidance for the assertions inside it, shown when one of them fails::

        with about(hint="Return the new book with its status: `return book, 201`.",
                   blame="app.py:create_book"):
            expect_status(response, 201)

    ``hint``: a sentence the learner sees first, in the check's message and in the brief, before
    the exercise's general hints (what check50's ``help=`` does). ``blame``: where the fix
    belongs, when that is not the view the check called: ``"app"`` (where the app is made:
    CORS, blueprints, extensions), ``"templates/list.html"`` (a file of the learner's folder,
    found at any depth), ``"models.py:Book.to_dict"`` (a function, class or method in it), or
    ``"templates/list.html:<li"`` (the first line containing the text). The innermost ``about``
    wins. For a whole check: ``@pytest.mark.hint("...")`` and ``@pytest.mark.blame("...")``.
    Also usable as a decorator-free plain ``with`` around ordinary ``assert`` statements."""

    def __init__(self, hint=None, blame=None):
        self.hint = hint
        self.blame = blame

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        # Any failure inside: an assertion, or the learner's code crashing in a request the check
        # made (with TESTING, Flask lets the exception through to the check).
        if exc is not None and isinstance(exc, Exception):
            if self.hint and getattr(exc, "flask_tutor_hint", None) is None:
                exc.flask_tutor_hint = self.hint
            if self.blame and getattr(exc, "flask_tutor_blame", None) is None:
                exc.flask_tutor_blame = self.blame
        return False


def _has_set(value, depth=0):
    if isinstance(value, (set, frozenset)):
        return True
    if depth > 20:
        return False
    if type(value) in (list, tuple):
        return any(_has_set(v, depth + 1) for v in value)
    if type(value) is dict:
        return any(_has_set(k, depth + 1) or _has_set(v, depth + 1) for k, v in value.items())
    return False


def _sorted_items(values, depth):
    shown = [(v, stable_repr(v, depth + 1)) for v in values]
    try:  # natural order where the items compare ({2, 10}, not {10, 2}), else by their text
        shown.sort(key=lambda p: p[0])
    except Exception:
        shown.sort(key=lambda p: p[1])
    return ", ".join(text for _, text in shown)


def stable_repr(value, depth=0):
    """``repr(value)``, except that sets and frozensets (also inside lists, tuples and dicts) show
    their items sorted. Python shows a set of strings in hash order, which changes with the string
    hash seed, i.e. from one run to the next: the learner would see ``{'title', 'id'}`` once and
    ``{'id', 'title'}`` the next time for the same code."""
    try:
        if not _has_set(value) or depth > 20:
            return repr(value)
        if isinstance(value, (set, frozenset)):
            if not value:
                return repr(value)
            inner = "{%s}" % _sorted_items(value, depth)
            if type(value) is set:
                return inner
            return "%s(%s)" % (type(value).__name__, inner)
        if type(value) is list:
            return "[%s]" % ", ".join(stable_repr(v, depth + 1) for v in value)
        if type(value) is tuple:
            items = [stable_repr(v, depth + 1) for v in value]
            return "(%s,)" % items[0] if len(items) == 1 else "(%s)" % ", ".join(items)
        if type(value) is dict:
            return "{%s}" % ", ".join("%s: %s" % (stable_repr(k, depth + 1), stable_repr(v, depth + 1)) for k, v in value.items())
    except Exception:
        pass
    return repr(value)


def show(value):
    """The string the extension shows for a value: JSON pretty-printed with sorted keys for
    dicts/lists, the text itself for strings and bytes, ``repr`` otherwise (sets with their items
    sorted, :func:`stable_repr`)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    if isinstance(value, (dict, list, tuple)):
        try:
            return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=stable_repr)
        except (TypeError, ValueError):
            return stable_repr(value)
    return stable_repr(value)


def _status_text(code):
    try:
        return "%d %s" % (code, HTTPStatus(code).phrase.upper())
    except ValueError:
        return str(code)


def _request_label(response):
    from ._client import record_for

    rec = record_for(response)
    if rec is not None:
        return rec.label
    req = getattr(response, "request", None)
    if req is not None:
        try:
            path = req.full_path.rstrip("?") if req.query_string else req.path
            return "%s %s" % (req.method, path)
        except Exception:
            pass
    return "The request"


def _route_hint(response):
    from ._client import record_for, route_problem

    rec = record_for(response)
    if rec is None:
        return ""
    text = route_problem(rec, _learner())
    return (" " + text) if text else ""


def _learner():
    try:
        from ._state import current_learner

        return current_learner()
    except Exception:
        return None


def _body_excerpt(response, limit=300):
    try:
        text = response.get_data(as_text=True)
    except Exception:
        return ""
    text = text.strip()
    if not text:
        return ""
    if len(text) > limit:
        text = text[:limit] + "…"
    return text


def expect_status(response, expected, msg=None):
    """Check ``response.status_code``. ``expected`` is an int or a collection of ints.

    Message: "POST /api/items answered 400 BAD REQUEST; expected 201 CREATED." (+ why, for a
    404 with no matching route or a 405). Returns the response.
    """
    __tracebackhide__ = True  # pytest leaves this frame out of the traceback the learner sees
    codes = [expected] if isinstance(expected, int) else list(expected)
    actual = response.status_code
    if actual in codes:
        return response
    exp_text = " or ".join(_status_text(c) for c in codes)
    act_text = _status_text(actual)
    message = "%s answered %s; expected %s." % (_request_label(response), act_text, exp_text)
    hint = _route_hint(response)
    if hint:
        message += hint
    elif actual >= 400:
        body = _body_excerpt(response)
        if body and not body.lower().startswith(("<!doctype", "<html")):
            from ._util import full_stop

            message += " The response body was: %s" % full_stop(body)
    if msg:
        message = "%s %s" % (msg, message)
    raise CheckFailed(message, exp_text, act_text, response)


def _json_of(response, msg=None):
    __tracebackhide__ = True  # pytest leaves this frame out of the traceback the learner sees
    data = response.get_data()
    ctype = response.headers.get("Content-Type") or "no Content-Type"
    parsed = _MISSING
    if response.is_json:
        try:
            parsed = json.loads(data.decode("utf-8") if data else "")
        except ValueError:
            parsed = _MISSING
    if parsed is _MISSING:
        what = "an empty body" if not data else ctype
        label, status = _request_label(response), _status_text(response.status_code)
        message = "%s answered %s with %s, not JSON." % (label, status, what)
        # no route (or not for this method): no view ran, so say that instead of how to return JSON
        message += _route_hint(response) or " Return a dict or list (or jsonify(...)) from the view."
        if msg:
            message = "%s %s" % (msg, message)
        raise CheckFailed(message, "a JSON body (application/json)", "%s\n\n%s" % (ctype, _body_excerpt(response, 2000)), response)
    return parsed


def _subset(expected, actual):
    """Is ``expected`` contained in ``actual``? Dicts: listed keys only (recursively)."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and _subset(v, actual[k]) for k, v in expected.items())
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(_subset(e, a) for e, a in zip(expected, actual))
        )
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    return expected == actual


def _project(expected, actual):
    """``actual`` reduced to the shape of ``expected`` (for a focused diff)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        return {k: _project(expected[k], actual[k]) for k in expected if k in actual}
    if isinstance(expected, list) and isinstance(actual, list):
        return [_project(e, a) for e, a in zip(expected, actual)] + actual[len(expected):]
    return actual


def expect_json(response, expected=_MISSING, *, status=None, subset=False, msg=None):
    """Check that the response is JSON (and optionally equal to ``expected``); return the data.

    ``status``: also check the status code first. ``subset=True``: dicts only need the keys of
    ``expected`` (recursively); lists must have the same length.
    """
    __tracebackhide__ = True  # pytest leaves this frame out of the traceback the learner sees
    if status is not None:
        expect_status(response, status, msg=msg)
    data = _json_of(response, msg)
    if expected is _MISSING:
        return data
    ok = _subset(expected, data) if subset else (expected == data)
    if ok:
        return data
    shown_actual = _project(expected, data) if subset else data
    message = "%s answered JSON that is not what the check expected%s." % (
        _request_label(response),
        " (only the keys shown are compared)" if subset else "",
    )
    if isinstance(expected, dict) and isinstance(data, dict):
        missing = [k for k in expected if k not in data]
        if missing:
            message += " Missing key%s: %s." % ("s" if len(missing) > 1 else "", ", ".join(repr(k) for k in missing))
    if msg:
        message = "%s %s" % (msg, message)
    raise CheckFailed(message, show(expected), show(shown_actual), response)


def expect_header(response, name, expected=None, *, contains=None, msg=None):
    """Check a response header is present (and equal to ``expected`` / containing ``contains``,
    case-sensitive). Returns the header value."""
    __tracebackhide__ = True  # pytest leaves this frame out of the traceback the learner sees
    value = response.headers.get(name)
    label = _request_label(response)
    if value is None:
        message = "%s answered without a %s header." % (label, name)
        if msg:
            message = "%s %s" % (msg, message)
        want = expected if expected is not None else ("a value containing %r" % contains if contains else "present")
        raise CheckFailed(message, "%s: %s" % (name, want), "(no %s header)" % name, response)
    if expected is not None and value != expected:
        message = "%s answered %s: %s; expected %s: %s." % (label, name, value, name, expected)
        if msg:
            message = "%s %s" % (msg, message)
        raise CheckFailed(message, "%s: %s" % (name, expected), "%s: %s" % (name, value), response)
    if contains is not None and contains not in value:
        message = "%s answered %s: %s, which does not contain %r." % (label, name, value, contains)
        if msg:
            message = "%s %s" % (msg, message)
        raise CheckFailed(message, "%s: …%s…" % (name, contains), "%s: %s" % (name, value), response)
    return value


def expect_in(member, container, msg=None):
    """Check ``member in container`` (like unittest's assertIn). ``container`` may be a test
    response (its body text is searched), a str, bytes, list, dict (keys)... Returns container."""
    __tracebackhide__ = True  # pytest leaves this frame out of the traceback the learner sees
    response = None
    haystack = container
    if hasattr(container, "get_data") and hasattr(container, "status_code"):
        response = container
        haystack = container.get_data(as_text=True)
        if isinstance(member, (bytes, bytearray)):
            haystack = container.get_data()
    try:
        found = member in haystack
    except TypeError:
        found = False
    if found:
        return container
    if response is not None:
        message = "%s answered %s without %s in its body." % (
            _request_label(response),
            _status_text(response.status_code),
            _short(member),
        )
        message += _route_hint(response)
        actual = haystack if isinstance(haystack, str) else show(haystack)
    else:
        message = "%s was not found in %s." % (_short(member), _short(container, 80))
        actual = show(container)
    if msg:
        message = "%s %s" % (msg, message)
    raise CheckFailed(message, show(member), actual, response)


def _short(value, limit=120):
    text = repr(value.decode("utf-8", "replace") if isinstance(value, bytes) else value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def set_cookie(client, key, value="", **kwargs):
    """Put a cookie in a test client's cookie jar, as if the app had set it earlier; it is sent
    with the client's next requests. Works with every Werkzeug: 2.2 wants
    ``client.set_cookie(server_name, key, value, ...)``, 2.3 and later ``client.set_cookie(key,
    value, domain=..., ...)``.

    ``kwargs``: ``domain`` (the host the cookie is sent to; default ``localhost``, the test
    client's host), ``path`` (default ``/``), and cookie attributes such as ``max_age``,
    ``expires``, ``secure``, ``httponly``, ``samesite``. Returns None."""
    import inspect

    method = client.set_cookie
    try:
        first = next(iter(inspect.signature(method).parameters), None)
    except (TypeError, ValueError):  # pragma: no cover - not introspectable
        first = "key"
    domain = kwargs.pop("domain", None) or "localhost"
    if first == "server_name":  # Werkzeug < 2.3: the first argument is the host
        kwargs.pop("origin_only", None)  # a host-only cookie there, like origin_only=True
        kwargs.pop("charset", None)
        return method(domain, key, value, **kwargs)
    kwargs.pop("charset", None)  # gone in Werkzeug 3
    return method(key, value, domain=domain, **kwargs)
