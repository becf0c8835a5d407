"""Checks for c06-retries: a Celery task calls a flaky partner API, retries with exponential
backoff when it is unavailable, gives up after MAX_RETRIES retries, fails at once when the
partner rejects the invoice; the job URL shows attempts, delays and the outcome.

The partner (partner.py, given) is scripted through the Redis list partner:outcomes and logs every
call in partner:calls. Celery is the `celery_service` fixture: a real worker in the check process,
on the check's Redis or an in-memory broker (each check prints which). The checks make the
backoff tiny (RETRY_BACKOFF=0.05) so that they stay fast."""
import uuid

import pytest

from flask_tutor_pytest.helpers import about, expect_json, expect_status

pytestmark = [pytest.mark.usefixtures("celery_service"), pytest.mark.app_config(RETRY_BACKOFF=0.05, MAX_RETRIES=3)]


def _script(redis_service, *outcomes):
    if outcomes:
        redis_service.client().rpush("partner:outcomes", *outcomes)


def _calls(redis_service):
    return len(redis_service.client().lrange("partner:calls", 0, -1))


def _send(client, invoice_id):
    response = client.post(f"/api/invoices/{invoice_id}/send")
    with about(hint="Send the task with `send_invoice.delay(invoice_id)` and answer 202 at once."):
        expect_status(response, 202)
    body = expect_json(response)
    assert isinstance(body, dict) and isinstance(body.get("task_id"), str) and body["task_id"], (
        f"POST /api/invoices/{invoice_id}/send answered {body!r}; expected a JSON object with the task id in \"task_id\""
    )
    return body


def _job(client, celery_service, task_id):
    celery_service.wait(task_id, timeout=15, what="the task billing.send_invoice")
    response = client.get(f"/api/jobs/{task_id}")
    expect_status(response, 200)
    return expect_json(response)


def _expect(body, what, **fields):
    for key, value in fields.items():
        got = body.get(key) if isinstance(body, dict) else None
        if key == "retry_delays" and isinstance(got, list) and len(got) == len(value):
            ok = all(isinstance(g, (int, float)) and abs(g - v) < 1e-6 for g, v in zip(got, value))
        else:
            ok = got == value
        assert ok, f"{what}: GET /api/jobs/<id> answered {key} = {got!r}; expected {value!r}. The whole answer: {body!r}"


@pytest.mark.req(1)
def test_post_answers_202_with_job_url(client, celery_service):
    body = _send(client, 7)
    task_id = body["task_id"]
    assert body.get("status_url") == f"/api/jobs/{task_id}", (
        f"POST /api/invoices/7/send answered status_url {body.get('status_url')!r}; expected \"/api/jobs/{task_id}\""
    )
    celery_service.wait(task_id, what="the task billing.send_invoice")


@pytest.mark.req(2, 6)
def test_first_try_succeeds(client, celery_service, redis_service):
    task_id = _send(client, 11)["task_id"]
    body = _job(client, celery_service, task_id)
    expected = {"task_id": task_id, "invoice_id": 11, "state": "SUCCESS", "attempts": 1, "retry_delays": [],
                "result": {"invoice_id": 11, "confirmation": "PX-11"}}
    with about(hint="Count each attempt in the job's Redis hash: `get_redis().hincrby(f\"job:{self.request.id}\", \"attempts\", 1)`."):
        assert body == expected, f"an invoice the partner accepts at once: GET /api/jobs/{task_id} answered {body!r}; expected {expected!r}"
    assert _calls(redis_service) == 1, f"the partner API was called {_calls(redis_service)} times for one successful send; expected once"


@pytest.mark.req(3)
def test_unavailable_partner_is_retried_with_exponential_backoff(client, celery_service, redis_service):
    _script(redis_service, "unavailable", "unavailable", "ok")
    task_id = _send(client, 21)["task_id"]
    body = _job(client, celery_service, task_id)
    with about(hint="On PartnerUnavailable: `raise self.retry(exc=exc, countdown=RETRY_BACKOFF * 2 ** self.request.retries, max_retries=MAX_RETRIES)`."):
        _expect(body, "the partner was unavailable twice, then accepted the invoice (RETRY_BACKOFF=0.05)",
                state="SUCCESS", attempts=3, retry_delays=[0.05, 0.1])
    assert _calls(redis_service) == 3, f"the partner API was called {_calls(redis_service)} times; expected 3 (two failures, one success)"


@pytest.mark.req(3, 4)
@pytest.mark.app_config(MAX_RETRIES=2)
def test_gives_up_after_max_retries(client, celery_service, redis_service):
    _script(redis_service, *["unavailable"] * 10)
    task_id = _send(client, 31)["task_id"]
    body = _job(client, celery_service, task_id)
    with about(hint="Pass max_retries=current_app.config['MAX_RETRIES'] to self.retry (or check self.request.retries) and let the error end the task."):
        _expect(body, "the partner stayed unavailable, MAX_RETRIES=2", state="FAILURE", attempts=3)
        _expect(body, "the partner stayed unavailable, MAX_RETRIES=2", retry_delays=[0.05, 0.1])
        _expect(body, "the partner stayed unavailable, MAX_RETRIES=2", error="partner API unavailable (503) for invoice 31")
    assert _calls(redis_service) == 3, (
        f"with MAX_RETRIES=2 the partner API was called {_calls(redis_service)} times; expected 3 (the first try and 2 retries)"
    )


@pytest.mark.req(5)
def test_rejected_invoice_fails_at_once(client, celery_service, redis_service):
    _script(redis_service, "rejected", "ok", "ok")
    task_id = _send(client, 41)["task_id"]
    body = _job(client, celery_service, task_id)
    with about(hint="Retry only PartnerUnavailable: a PartnerRejected must end the task at once (do not catch it, or re-raise it)."):
        _expect(body, "the partner rejected the invoice (422), retrying cannot help",
                state="FAILURE", attempts=1, retry_delays=[], error="partner rejected invoice 41 (422): unknown customer")
    assert _calls(redis_service) == 1, f"a rejected invoice was sent to the partner {_calls(redis_service)} times; expected once (no retry)"


@pytest.mark.req(6)
def test_unknown_job_answers_404(client, celery_service):
    _send(client, 1)
    response = client.get(f"/api/jobs/{uuid.uuid4()}")
    with about(hint="Answer 404 for an id without a job:<id> record (Celery says PENDING for any id)."):
        expect_status(response, 404)
    body = expect_json(response)
    assert isinstance(body, dict) and isinstance(body.get("error"), str), f"GET /api/jobs/<unknown id> answered {body!r}; expected {{\"error\": \"<message>\"}}"
