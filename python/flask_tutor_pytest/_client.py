"""Recording every request a check makes through the app's test client, and explaining
404 (no route) and 405 (method not allowed) answers."""

import difflib

ENVIRON_KEY = "flask_tutor.request"
_HIDDEN_METHODS = {"HEAD", "OPTIONS"}


class RequestRecord:
    __slots__ = (
        "method", "path", "status", "endpoint", "match", "allowed", "exception", "app", "view_location", "is_json",
        "redirect_to",
    )

    def __init__(self, app, method, path):
        self.app = app
        self.method = method
        self.path = path
        self.status = None
        self.endpoint = None
        self.match = None  # "ok" | "no-route" | "method" | "redirect" | None
        self.allowed = []
        self.exception = None
        self.view_location = None
        self.is_json = None  # did the answer say it is JSON (Content-Type)? None: no answer
        self.redirect_to = None  # match == "redirect": the URL the routing redirected to

    def to_event(self):
        return {"method": self.method, "path": self.path, "status": self.status, "endpoint": self.endpoint}

    @property
    def label(self):
        return "%s %s" % (self.method, self.path)

    @property
    def path_only(self):
        return self.path.split("?", 1)[0]


def _wsgi_str(value):
    try:
        return value.encode("latin-1").decode("utf-8", "replace")
    except (UnicodeEncodeError, AttributeError):
        return value or ""


def _status_code(status):
    if isinstance(status, int):
        return status
    try:
        return int(str(status).split()[0])
    except (ValueError, IndexError):
        return None


def _is_json_type(headers):
    try:
        ctype = (headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
    except Exception:
        return None
    return ctype == "application/json" or (ctype.startswith("application/") and ctype.endswith("+json"))


def install(app, sink):
    """Make every ``app.test_client()`` record into ``sink()`` (a list or None)."""
    base = app.test_client_class
    if base is None:
        from flask.testing import FlaskClient as base
    if getattr(base, "_flask_tutor_recording", False):
        return

    class RecordingFlaskClient(base):
        _flask_tutor_recording = True

        def run_wsgi_app(self, environ, buffered=False):
            rec = RequestRecord(
                self.application,
                environ.get("REQUEST_METHOD", "GET"),
                _wsgi_str(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")) or "/",
            )
            qs = environ.get("QUERY_STRING")
            if qs:
                rec.path += "?" + _wsgi_str(qs)
            environ[ENVIRON_KEY] = rec
            target = sink()
            if target is not None and len(target) < 1000:
                target.append(rec)
            try:
                rv = super().run_wsgi_app(environ, buffered=buffered)
            except BaseException as e:
                from ._timeout import CheckTimeout

                rec.status = None if isinstance(e, CheckTimeout) else 500
                rec.exception = e
                _match(rec, environ)
                raise
            rec.status = _status_code(rv[1])
            rec.is_json = _is_json_type(rv[2])
            _match(rec, environ)
            return rv

    RecordingFlaskClient.__name__ = "Recording" + base.__name__
    app.test_client_class = RecordingFlaskClient
    _watch_handled_exceptions(app)


def _watch_handled_exceptions(app):
    """Remember exceptions the app turned into a 500 itself (errorhandler(Exception) etc.)."""
    from flask import request

    def remember(e):
        try:
            from werkzeug.exceptions import HTTPException

            if isinstance(e, HTTPException):
                return
            rec = request.environ.get(ENVIRON_KEY)
            if rec is not None and rec.exception is None:
                rec.exception = e
        except Exception:
            pass

    orig_user = app.handle_user_exception
    orig_exc = app.handle_exception

    # The exception is the last argument: Flask <= 3.1 calls handle_*(e), newer Flask
    # handle_*(ctx, e).
    def handle_user_exception(*args, **kwargs):
        remember(args[-1] if args else kwargs.get("e"))
        return orig_user(*args, **kwargs)

    def handle_exception(*args, **kwargs):
        remember(args[-1] if args else kwargs.get("e"))
        return orig_exc(*args, **kwargs)

    app.handle_user_exception = handle_user_exception
    app.handle_exception = handle_exception


def _match(rec, environ):
    app = rec.app
    try:
        from werkzeug.exceptions import MethodNotAllowed, NotFound
        from werkzeug.routing import RequestRedirect

        adapter = app.url_map.bind_to_environ(environ)
        try:
            endpoint, _ = adapter.match()
            rec.endpoint = endpoint
            rec.match = "ok"
        except RequestRedirect as e:
            rec.match = "redirect"
            rec.redirect_to = getattr(e, "new_url", None)
        except MethodNotAllowed as e:
            rec.match = "method"
            rec.allowed = sorted(e.valid_methods or [])
        except NotFound:
            rec.match = "no-route"
    except Exception:
        return
    if rec.endpoint:
        rec.view_location = view_location(app, rec.endpoint)


def view_location(app, endpoint):
    import inspect

    from ._util import location

    try:
        fn = inspect.unwrap(app.view_functions[endpoint])
        code = getattr(fn, "__code__", None)
        if code is None and hasattr(fn, "view_class"):
            code = fn.view_class.dispatch_request.__code__
        return location(code.co_filename, _def_line(code.co_filename, code.co_firstlineno))
    except Exception:
        return None


def _def_line(filename, first):
    """co_firstlineno is the first decorator's line: move on to the ``def`` line."""
    import linecache

    for n in range(first, first + 30):
        text = linecache.getline(filename, n).lstrip()
        if not text:
            break
        if text.startswith(("def ", "async def ")):
            return n
    return first


def record_for(response):
    """The :class:`RequestRecord` of a test-client response, if we recorded it."""
    req = getattr(response, "request", None)
    env = getattr(req, "environ", None)
    if isinstance(env, dict):
        return env.get(ENVIRON_KEY)
    return None


def _methods(rule):
    return [m for m in sorted(rule.methods or []) if m not in _HIDDEN_METHODS] or sorted(rule.methods or [])


def route_list(app, limit=None):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static"]
    out = ["%s %s" % (", ".join(_methods(r)), r.rule) for r in rules]
    return out[:limit] if limit else out


def closest_routes(app, path, n=3):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static"]
    scored = []
    for r in rules:
        ratio = difflib.SequenceMatcher(None, r.rule.rstrip("/"), path.rstrip("/")).ratio()
        scored.append((ratio, r))
    scored.sort(key=lambda t: -t[0])
    good = [r for ratio, r in scored if ratio >= 0.5][:n]
    return ["%s %s" % (", ".join(_methods(r)), r.rule) for r in good]


def _unregistered_blueprints(app, learner):
    if learner is None:
        return []
    import sys

    try:
        from flask import Blueprint
    except Exception:  # pragma: no cover
        return []
    registered = {id(bp) for bp in app.blueprints.values()}
    found = []
    for name, mod in list(sys.modules.items()):
        f = getattr(mod, "__file__", None)
        if not f or not learner.contains(f):
            continue
        for attr, value in list(vars(mod).items()):
            if isinstance(value, Blueprint) and id(value) not in registered:
                item = (value.name, attr, learner.rel(f))
                if item not in found:
                    found.append(item)
    return found


def route_problem(rec, learner=None):
    """A plain sentence explaining a 404 (no route) or 405 answer, or None."""
    app = rec.app
    try:
        if rec.match == "no-route":
            all_routes = route_list(app)
            if not all_routes:
                text = "No route matches %s %s: the app has no routes at all." % (rec.method, rec.path_only)
            else:
                close = closest_routes(app, rec.path_only)
                text = "No route matches %s %s. %s" % (
                    rec.method,
                    rec.path_only,
                    ("Closest routes: %s." % "; ".join(close))
                    if close
                    else "Existing routes: %s." % "; ".join(route_list(app, 6)),
                )
            for bp_name, attr, rel in _unregistered_blueprints(app, learner)[:2]:
                text += " The blueprint %r (%s in %s) is never registered: call app.register_blueprint(%s)." % (
                    bp_name,
                    attr,
                    rel,
                    attr,
                )
            return text
        if rec.match == "redirect" and rec.redirect_to:
            from urllib.parse import urlsplit

            target = urlsplit(rec.redirect_to).path
            if target == rec.path_only + "/":
                return (
                    "The route is declared as %r, with a trailing slash, and the request was %r: Flask "
                    "answers %s with a redirect to %s. Declare the route as %r."
                    % (target, rec.path_only, rec.label, target, rec.path_only)
                )
            return None
        if rec.match == "method":
            allowed = [m for m in rec.allowed if m not in _HIDDEN_METHODS] or rec.allowed
            return (
                "%s is not allowed on %s: that route only accepts %s. Add %r to methods=[...] in its "
                "route decorator." % (rec.method, rec.path_only, ", ".join(allowed), rec.method)
            )
    except Exception:
        return None
    return None
