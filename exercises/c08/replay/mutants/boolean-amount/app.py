import os
from datetime import datetime, timezone

from flask import Flask, abort, request
from werkzeug.exceptions import HTTPException

import projection
from models import AccountBalance, Event, db

EVENT_TYPES = {"account.opened", "money.deposited", "money.withdrawn"}


def _validated(payload):
    if not isinstance(payload, dict):
        abort(400, description="send a JSON object")
    stream_id, event_type, data = payload.get("stream_id"), payload.get("type"), payload.get("data")
    if not isinstance(stream_id, str) or not stream_id.strip():
        abort(400, description="stream_id must be a non-empty string")
    if event_type not in EVENT_TYPES:
        abort(400, description=f"type must be one of {sorted(EVENT_TYPES)}")
    if not isinstance(data, dict):
        abort(400, description="data must be an object")
    if event_type == "account.opened":
        if not isinstance(data.get("owner"), str) or not data["owner"].strip():
            abort(400, description="account.opened needs data.owner, a non-empty string")
        data = {"owner": data["owner"]}
    else:
        amount = data.get("amount")
        if not isinstance(amount, int) or amount <= 0:
            abort(400, description=f"{event_type} needs data.amount, a positive integer (cents)")
        data = {"amount": amount}
    return stream_id, event_type, data


def _utc(value):
    """An ISO 8601 text as naive UTC, or 400."""
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        abort(400, description="until must be an ISO 8601 date-time")
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "events.db"))
    if test_config is not None:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)

    @app.errorhandler(HTTPException)
    def json_error(error):
        return {"error": error.description}, error.code

    @app.post("/api/events")
    def append():
        stream_id, event_type, data = _validated(request.get_json(silent=True))
        account = db.session.get(AccountBalance, stream_id)
        if event_type == "account.opened" and account is not None:
            abort(409, description=f"account {stream_id} is already open")
        if event_type != "account.opened" and account is None:
            abort(409, description=f"account {stream_id} is not open")
        event = Event(stream_id=stream_id, type=event_type, data=data)
        db.session.add(event)
        db.session.flush()  # assigns the sequence
        projection.apply(event)  # the live projection, in the same transaction
        db.session.commit()
        return event.to_dict(), 201

    @app.get("/api/events")
    def list_events():
        after = request.args.get("after", 0, type=int)
        rows = db.session.execute(db.select(Event).where(Event.sequence > after).order_by(Event.sequence)).scalars()
        return {"events": [e.to_dict() for e in rows]}

    @app.get("/api/accounts/<account_id>")
    def account(account_id):
        return db.get_or_404(AccountBalance, account_id, description=f"no account {account_id}").to_dict()

    def options():
        body = request.get_json(silent=True)
        if body is None:
            return {}
        if not isinstance(body, dict):
            abort(400, description="send a JSON object (or no body)")
        return body

    @app.post("/api/projections/balances/rebuild")
    def rebuild():
        body = options()
        until = _utc(body["until"]) if body.get("until") is not None else None
        return projection.rebuild(until)

    @app.post("/api/projections/balances/replay")
    def replay():
        body = options()
        start = body.get("from_sequence", 1)
        if type(start) is not int or start < 1:
            abort(400, description="from_sequence must be an integer of 1 or more")
        return projection.replay(start)

    with app.app_context():
        db.create_all()
    return app
