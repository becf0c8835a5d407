import json
import os
import sqlite3
from datetime import datetime, timezone

from flask import Flask, abort, current_app, g, request
from werkzeug.exceptions import HTTPException

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_id TEXT NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    occurred_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_stream ON events (stream_id);
CREATE TRIGGER IF NOT EXISTS events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TABLE IF NOT EXISTS account_balances (
    account_id TEXT PRIMARY KEY,
    owner TEXT,
    balance INTEGER NOT NULL DEFAULT 0,
    last_sequence INTEGER NOT NULL DEFAULT 0
);
"""


def _iso(moment):
    """One fixed text form (UTC, microseconds), so that text order is time order."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def get_db():
    if "db" not in g:
        g.db = sqlite3.connect(current_app.config["DATABASE"], isolation_level=None)
        g.db.row_factory = sqlite3.Row
    return g.db


def _event(row):
    return {"sequence": row["sequence"], "stream_id": row["stream_id"], "type": row["type"],
            "data": json.loads(row["data"]), "occurred_at": row["occurred_at"]}


def _opened(row, event):
    row["owner"] = event["data"]["owner"]


def _deposited(row, event):
    row["balance"] += event["data"]["amount"]


def _withdrawn(row, event):
    row["balance"] -= event["data"]["amount"]


HANDLERS = {"account.opened": _opened, "money.deposited": _deposited, "money.withdrawn": _withdrawn}


def project(db, event):
    found = db.execute("SELECT * FROM account_balances WHERE account_id = ?", (event["stream_id"],)).fetchone()
    row = dict(found) if found else {"account_id": event["stream_id"], "owner": None, "balance": 0, "last_sequence": 0}
    if row["last_sequence"] >= event["sequence"]:
        return False
    HANDLERS[event["type"]](row, event)
    row["last_sequence"] = event["sequence"]
    db.execute(
        "INSERT INTO account_balances (account_id, owner, balance, last_sequence) VALUES (:account_id, :owner, :balance, :last_sequence) "
        "ON CONFLICT (account_id) DO UPDATE SET owner = excluded.owner, balance = excluded.balance, last_sequence = excluded.last_sequence",
        row,
    )
    return True


def _check(payload):
    if not isinstance(payload, dict):
        abort(400, "send a JSON object")
    stream, kind, data = payload.get("stream_id"), payload.get("type"), payload.get("data")
    if not isinstance(stream, str) or not stream.strip():
        abort(400, "stream_id is required")
    if kind not in HANDLERS:
        abort(400, "unknown type")
    if not isinstance(data, dict):
        abort(400, "data must be an object")
    if kind == "account.opened":
        if not isinstance(data.get("owner"), str) or not data["owner"].strip():
            abort(400, "owner is required")
        return stream, kind, {"owner": data["owner"]}
    if type(data.get("amount")) is not int or data["amount"] < 1:
        abort(400, "amount must be a positive integer")
    return stream, kind, {"amount": data["amount"]}


def _body():
    body = request.get_json(silent=True)
    if body is None:
        return {}
    if not isinstance(body, dict):
        abort(400, "send a JSON object")
    return body


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config["DATABASE"] = os.path.join(app.instance_path, "events.sqlite3")
    app.config.from_mapping(test_config or {})
    os.makedirs(app.instance_path, exist_ok=True)
    with sqlite3.connect(app.config["DATABASE"]) as conn:
        conn.executescript(SCHEMA)
    conn.close()

    @app.teardown_appcontext
    def close_db(exc):
        db = g.pop("db", None)
        if db is not None:
            db.close()

    @app.errorhandler(HTTPException)
    def as_json(e):
        return {"error": e.description}, e.code

    @app.post("/api/events")
    def append():
        stream, kind, data = _check(request.get_json(silent=True))
        db = get_db()
        db.execute("BEGIN IMMEDIATE")
        try:
            exists = db.execute("SELECT 1 FROM account_balances WHERE account_id = ?", (stream,)).fetchone() is not None
            if exists == (kind == "account.opened"):
                abort(409, "account already open" if exists else "account not open")
            cur = db.execute("INSERT INTO events (stream_id, type, data, occurred_at) VALUES (?, ?, ?, ?)",
                             (stream, kind, json.dumps(data), _iso(datetime.now(timezone.utc))))
            event = _event(db.execute("SELECT * FROM events WHERE sequence = ?", (cur.lastrowid,)).fetchone())
            project(db, event)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return event, 201

    @app.get("/api/events")
    def events():
        after = request.args.get("after", 0, type=int)
        rows = get_db().execute("SELECT * FROM events WHERE sequence > ? ORDER BY sequence", (after,))
        return {"events": [_event(r) for r in rows]}

    @app.get("/api/accounts/<account_id>")
    def account(account_id):
        row = get_db().execute("SELECT * FROM account_balances WHERE account_id = ?", (account_id,)).fetchone()
        if row is None:
            abort(404, "no such account")
        return dict(row)

    @app.post("/api/projections/balances/rebuild")
    def rebuild():
        body = _body()
        until = "9999-12-31T23:59:59.999999+00:00"  # no limit: after every event
        if body.get("until") is not None:
            try:
                moment = datetime.fromisoformat(str(body["until"]).replace("Z", "+00:00"))
            except ValueError:
                abort(400, "until must be an ISO 8601 date-time")
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
            until = _iso(moment)
        db = get_db()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("DELETE FROM account_balances")
            applied = last = 0
            for row in db.execute("SELECT * FROM events WHERE occurred_at <= ? ORDER BY sequence", (until,)).fetchall():
                project(db, _event(row))
                applied, last = applied + 1, row["sequence"]
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return {"applied": applied, "last_sequence": last}

    @app.post("/api/projections/balances/replay")
    def replay():
        start = _body().get("from_sequence", 1)
        if type(start) is not int or start < 1:
            abort(400, "from_sequence must be an integer >= 1")
        db = get_db()
        db.execute("BEGIN IMMEDIATE")
        try:
            counts = {"applied": 0, "skipped": 0, "last_sequence": 0}
            for row in db.execute("SELECT * FROM events WHERE sequence >= ? ORDER BY sequence", (start,)).fetchall():
                counts["applied" if project(db, _event(row)) else "skipped"] += 1
                counts["last_sequence"] = row["sequence"]
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return counts

    return app
