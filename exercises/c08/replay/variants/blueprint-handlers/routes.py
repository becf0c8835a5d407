from datetime import datetime, timezone

from flask import Blueprint, jsonify, request

from models import AccountBalance, Event, db
from projections import balances

bp = Blueprint("store", __name__, url_prefix="/api")
RULES = {"account.opened": "owner", "money.deposited": "amount", "money.withdrawn": "amount"}


def error(message, status):
    return jsonify(error=message), status


@bp.route("/events", methods=["POST"])
def append():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return error("JSON object expected", 400)
    stream, kind, data = body.get("stream_id"), body.get("type"), body.get("data")
    if not isinstance(stream, str) or not stream.strip() or kind not in RULES or not isinstance(data, dict):
        return error("stream_id, a known type and a data object are required", 400)
    field = RULES[kind]
    value = data.get(field)
    if field == "owner" and not (isinstance(value, str) and value.strip()):
        return error("owner must be a non-empty string", 400)
    if field == "amount" and not (isinstance(value, int) and not isinstance(value, bool) and value > 0):
        return error("amount must be a positive integer", 400)
    opened = AccountBalance.query.filter_by(account_id=stream).first() is not None
    if kind == "account.opened" and opened:
        return error("already open", 409)
    if kind != "account.opened" and not opened:
        return error("not open", 409)
    event = Event(stream_id=stream, type=kind, data={field: value})
    db.session.add(event)
    db.session.flush()
    balances.handle(event)
    db.session.commit()
    return jsonify(event.as_json()), 201


@bp.route("/events")
def history():
    after = request.args.get("after", default=0, type=int)
    return jsonify(events=[e.as_json() for e in Event.query.filter(Event.sequence > after).order_by(Event.sequence)])


@bp.route("/accounts/<account_id>")
def account(account_id):
    row = AccountBalance.query.filter_by(account_id=account_id).first()
    return jsonify(row.as_json()) if row else error("unknown account", 404)


def _options():
    body = request.get_json(silent=True)
    return {} if body is None else body


@bp.route("/projections/balances/rebuild", methods=["POST"])
def rebuild():
    body = _options()
    if not isinstance(body, dict):
        return error("JSON object expected", 400)
    until = None
    if body.get("until") is not None:
        try:
            until = datetime.fromisoformat(str(body["until"]).replace("Z", "+00:00"))
        except ValueError:
            return error("until: ISO 8601 expected", 400)
        if until.tzinfo:
            until = until.astimezone(timezone.utc).replace(tzinfo=None)
    return jsonify(balances.rebuild(until))


@bp.route("/projections/balances/replay", methods=["POST"])
def replay():
    body = _options()
    if not isinstance(body, dict):
        return error("JSON object expected", 400)
    start = body.get("from_sequence", 1)
    if not isinstance(start, int) or isinstance(start, bool) or start < 1:
        return error("from_sequence: integer >= 1", 400)
    return jsonify(balances.catch_up(start))
