"""Idempotency-Key handling for POST endpoints (as Stripe does it).

The first request with a key stores a fingerprint of the request and, once it has one, its
answer; a replay of the same request gets the stored answer again without doing anything twice;
the same key with another request is refused (422). A 5xx answer (the provider failed) is not
stored, so the client may retry with the same key: the view finds the payment it already made
through `g.idempotency.payment_id` and does not create a second one.
"""
import functools
import hashlib

from flask import g, jsonify, make_response, request
from sqlalchemy.exc import IntegrityError

from models import IdempotencyKey, db

HEADER = "Idempotency-Key"


def fingerprint():
    """The request as the key remembers it: method, path and the exact body."""
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), request.get_data()):
        digest.update(part + b"\0")
    return digest.hexdigest()


def idempotent(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get(HEADER, "").strip()
        if not key or len(key) > 255:
            return jsonify(error=f"Send an {HEADER} header (a unique string, at most 255 characters) with every POST"), 400
        request_hash = fingerprint()
        record = db.session.get(IdempotencyKey, key)
        if record is None:
            record = IdempotencyKey(key=key, request_hash=request_hash)
            db.session.add(record)
            try:
                db.session.commit()
            except IntegrityError:  # the same key, sent twice at the same moment
                db.session.rollback()
                return jsonify(error=f"A request with this {HEADER} is in progress; retry later"), 409
        elif record.request_hash != request_hash:
            return jsonify(error=f"This {HEADER} was used with another request: use a new key for a new request"), 422
        elif record.status_code is not None:  # a replay: the stored answer, nothing done again
            return record.response_body, record.status_code, {"Content-Type": "application/json"}

        g.idempotency = record
        response = make_response(view(*args, **kwargs))
        if response.status_code < 500:
            record.status_code = response.status_code
            record.response_body = response.get_data(as_text=True)
            db.session.commit()
        return response

    return wrapper
