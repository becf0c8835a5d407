"""The partner's invoice API (given: you do not need to change this file).

A stand-in for a flaky HTTP API. Every call is logged in the Redis list `partner:calls`; what it
does is scripted by the Redis list `partner:outcomes` (the checks fill it; empty means "ok"):

* "ok": the invoice is accepted, the call returns {"invoice_id": ..., "confirmation": "PX-<id>"};
* "unavailable": raises PartnerUnavailable (a 503: worth retrying later);
* "rejected": raises PartnerRejected (a 422: retrying will never help)."""
from redis_conn import get_redis


class PartnerError(Exception):
    """Anything the partner API answered that is not a success."""


class PartnerUnavailable(PartnerError):
    """The partner is down or overloaded (HTTP 503): try again later."""


class PartnerRejected(PartnerError):
    """The partner refused the invoice (HTTP 422): the same request will always fail."""


def send_invoice(invoice_id):
    r = get_redis()
    r.rpush("partner:calls", invoice_id)
    outcome = r.lpop("partner:outcomes") or "ok"
    if outcome == "unavailable":
        raise PartnerUnavailable(f"partner API unavailable (503) for invoice {invoice_id}")
    if outcome == "rejected":
        raise PartnerRejected(f"partner rejected invoice {invoice_id} (422): unknown customer")
    return {"invoice_id": invoice_id, "confirmation": f"PX-{invoice_id}"}
