"""The request console's session: the learner's app answers requests sent from the editor, through
the same loader, sandbox and temporary database as Verify (it runs as one check of a pytest run,
``console_session/test_console.py``, started by the extension's ``src/engine/consoleSession.ts``).

Requests arrive as files ``<inbox>/000001.json``, ``000002.json``… in ``FLASK_TUTOR_CONSOLE_INBOX``
(written whole by the extension: a temporary name, then a rename); each answer goes back as a
signed ``console`` event on the run's event channel:

* ``{"kind": "ready"}`` once the app is loaded and the first request can be sent;
* ``{"kind": "response", "id", "status", "statusText", "headers": [[k, v]…], "body",
  "bodyEncoding": "text" | "base64", "truncated", "isJson", "ms", "endpoint", "view",
  "error", "errorLocation"}`` for each request.

One test client serves the whole session, so cookies (a login session) are kept across requests,
and so is the database the app made in its temporary root. A request ``{"stop": true}`` or an idle
session ends the check. The protocol's types are ``ConsoleRequest`` / ``ConsoleEvent`` in
src/core/protocol.ts."""

import base64
import json
import os
import time

from . import _state
from ._client import record_for
from ._util import deepest_learner_location

MAX_BODY = 1024 * 1024
_TEXT_TYPES = ("text/", "application/json", "application/problem+json", "application/xml", "application/javascript")


def _emit(**fields):
    sink = getattr(_state.RUN, "sink", None)
    if sink is not None:
        sink.emit("console", **fields)


def _where(exc):
    """The learner's line an exception came from (the deepest frame in their folder), or None."""
    return deepest_learner_location(exc, _state.current_learner())


def _body_fields(response):
    data = response.get_data()
    truncated = len(data) > MAX_BODY
    data = data[:MAX_BODY]
    mimetype = response.mimetype or ""
    if mimetype.startswith(_TEXT_TYPES) or mimetype.endswith(("+json", "+xml")):
        try:
            charset = (response.mimetype_params or {}).get("charset") or "utf-8"
            return {"body": data.decode(charset), "bodyEncoding": "text", "truncated": truncated}
        except (UnicodeDecodeError, LookupError):
            pass
    return {"body": base64.b64encode(data).decode("ascii"), "bodyEncoding": "base64", "truncated": truncated}


def answer(client, request):
    """Sends one console request through the test client; the fields of its ``response`` event."""
    method = str(request.get("method") or "GET").upper()
    path = str(request.get("path") or "/")
    headers = {str(k): str(v) for k, v in (request.get("headers") or {}).items() if str(k).strip()}
    body = request.get("body") or {}
    kwargs = {"method": method, "headers": headers}
    kind = body.get("kind")
    if kind == "json":
        kwargs["data"] = body.get("text", "")
        kwargs["content_type"] = headers.pop("Content-Type", None) or "application/json"
    elif kind == "form":
        kwargs["data"] = {str(k): str(v) for k, v in (body.get("fields") or {}).items()}
    elif kind == "text":
        kwargs["data"] = body.get("text", "")
    started = time.monotonic()
    fields = {"id": request.get("id")}
    try:
        response = client.open(path, **kwargs)
    except Exception as e:  # TESTING lets a view's exception through: it is what a 500 hides
        # The request's record (the view that was answering) is the last one the check made.
        records = getattr(getattr(_state.RUN, "current", None), "requests", None) or []
        record = records[-1] if records else None
        fields.update(
            status=500, statusText="500 INTERNAL SERVER ERROR", headers=[], body="", bodyEncoding="text",
            truncated=False, isJson=False, ms=round((time.monotonic() - started) * 1000, 1),
            endpoint=getattr(record, "endpoint", None), view=getattr(record, "view_location", None),
            error="%s: %s" % (type(e).__name__, e), errorLocation=_where(e),
        )
        return fields
    record = record_for(response)
    fields.update(
        status=response.status_code,
        statusText=response.status,
        headers=[[k, v] for k, v in response.headers.items()],
        isJson=bool(response.is_json),
        ms=round((time.monotonic() - started) * 1000, 1),
        endpoint=getattr(record, "endpoint", None),
        view=getattr(record, "view_location", None),
    )
    fields.update(_body_fields(response))
    exc = getattr(record, "exception", None)
    if exc is not None:
        fields.update(error="%s: %s" % (type(exc).__name__, exc), errorLocation=_where(exc))
    return fields


def serve(client, inbox=None, idle_seconds=None, poll_seconds=0.01):
    """Answers the requests of ``inbox`` in order until ``{"stop": true}`` or ``idle_seconds``."""
    inbox = inbox or os.environ.get("FLASK_TUTOR_CONSOLE_INBOX")
    if not inbox:
        return
    if idle_seconds is None:
        idle_seconds = float(os.environ.get("FLASK_TUTOR_CONSOLE_IDLE") or 1800)
    _emit(kind="ready")
    number = 1
    last = time.monotonic()
    while True:
        name = os.path.join(inbox, "%06d.json" % number)
        try:
            with open(name, encoding="utf-8") as f:
                request = json.load(f)
        except (FileNotFoundError, ValueError):
            if time.monotonic() - last > idle_seconds:
                return
            time.sleep(poll_seconds)
            continue
        number += 1
        last = time.monotonic()
        if request.get("stop"):
            return
        _emit(kind="response", **answer(client, request))
