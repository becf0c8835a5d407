"""Checks for c06-chains: an import is a Celery chain fetch -> transform -> store whose steps pass
their results on; a failing step stops the chain and the status URL says which step failed; a
batch is a chord (every source's fetch -> transform, then aggregate).

Celery is the `celery_service` fixture: a real worker in the check process, on the check's Redis
or an in-memory broker (each check prints which)."""
import json
import time
import uuid

import pytest

from flask_tutor_pytest.helpers import about, expect_json, expect_status

pytestmark = pytest.mark.usefixtures("celery_service")

SUMMARY = {
    "sales-eu": {"source": "sales-eu", "lines": 2, "total_cents": 45700},
    "sales-us": {"source": "sales-us", "lines": 1, "total_cents": 47700},
    "sales-apac": {"source": "sales-apac", "lines": 2, "total_cents": 28400},
}


def _start(client, name):
    response = client.post("/api/imports", json={"source": name})
    with about(hint="Build `chain(fetch.s(name), transform.s(), store.s())`, call `.apply_async()` and answer 202 at once."):
        expect_status(response, 202)
    body = expect_json(response)
    assert isinstance(body, dict) and isinstance(body.get("pipeline_id"), str) and body["pipeline_id"], (
        f"POST /api/imports answered {body!r}; expected a JSON object with the chain's last task id in \"pipeline_id\""
    )
    return body


def _status(client, pipeline_id):
    response = client.get(f"/api/imports/{pipeline_id}")
    expect_status(response, 200)
    return expect_json(response)


def _until_done(client, celery_service, pipeline_id):
    """Wait (on the result backend, not through the app) until the chain stopped: its transform
    step failed, or its last step finished; then the status as the app answers it."""
    steps = _steps(_status(client, pipeline_id))
    transform = celery_service.wait(steps[1].get("task_id"), timeout=15, what="the transform step (pipeline.transform)")
    if transform.state == "SUCCESS":
        celery_service.wait(pipeline_id, timeout=15, what="the store step (pipeline.store)")
    else:  # Celery marks the later steps FAILURE right after: give it a moment, without failing
        later = celery_service.result(steps[2].get("task_id"))
        deadline = time.monotonic() + 3
        while later.state == "PENDING" and time.monotonic() < deadline:
            time.sleep(0.05)
    return _status(client, pipeline_id)


def _steps(body):
    steps = body.get("steps") if isinstance(body, dict) else None
    assert isinstance(steps, list) and [s.get("name") for s in steps if isinstance(s, dict)] == ["fetch", "transform", "store"], (
        f"GET /api/imports/<id> answered steps {steps!r}; expected a list of three objects named fetch, transform, store, in that order"
    )
    return steps


@pytest.mark.req(1)
def test_post_answers_202_with_status_url(client, celery_service):
    body = _start(client, "sales-us")
    pipeline_id = body["pipeline_id"]
    assert body.get("status_url") == f"/api/imports/{pipeline_id}", (
        f"POST /api/imports answered status_url {body.get('status_url')!r}; expected \"/api/imports/{pipeline_id}\""
    )
    celery_service.wait(pipeline_id, what="the last step (pipeline.store) of the import chain")


@pytest.mark.req(1, 6)
def test_unknown_source_and_unknown_ids(client, celery_service):
    for payload in ({"source": "sales-mars"}, {}, ["sales-eu"]):
        response = client.post("/api/imports", json=payload)
        with about(hint="Check the source against source.known_sources() before sending anything."):
            expect_status(response, 400)
    response = client.post("/api/imports/batch", json={"sources": ["sales-eu", "sales-mars"]})
    expect_status(response, 400)
    for path in (f"/api/imports/{uuid.uuid4()}", f"/api/imports/batch/{uuid.uuid4()}"):
        response = client.get(path)
        with about(hint="Keep a record of the ids you issued (Redis) and answer 404 for the others."):
            expect_status(response, 404)
        body = expect_json(response)
        assert isinstance(body, dict) and isinstance(body.get("error"), str), f"GET {path} answered {body!r}; expected {{\"error\": \"<message>\"}}"


@pytest.mark.req(1, 2, 4)
def test_chain_passes_results_and_stores_the_summary(client, celery_service, redis_service):
    pipeline_id = _start(client, "sales-eu")["pipeline_id"]
    result = celery_service.wait(pipeline_id, what="the last step (pipeline.store) of the import chain")
    with about(hint="Each step returns what the next one needs: fetch -> {source, records}, transform -> the summary, store -> the summary."):
        assert (result.state, result.result) == ("SUCCESS", SUMMARY["sales-eu"]), (
            f"the chain's last step for sales-eu ended {result.state} with {result.result!r}; expected SUCCESS with {SUMMARY['sales-eu']!r}"
        )
    stored = redis_service.client().get("import:sales-eu")
    assert stored is not None and json.loads(stored) == SUMMARY["sales-eu"], (
        f"Redis key import:sales-eu holds {stored!r}; expected the summary as JSON: {json.dumps(SUMMARY['sales-eu'])}"
    )
    body = _status(client, pipeline_id)
    steps = _steps(body)
    fetch_result = celery_service.result(steps[0].get("task_id")).result
    assert fetch_result == {"source": "sales-eu", "records": [
        {"sku": "KB-1", "qty": 2, "price_cents": 8900}, {"sku": "MN-27", "qty": 1, "price_cents": 27900}]}, (
        f"the fetch step (task {steps[0].get('task_id')}) returned {fetch_result!r}; expected "
        "{'source': 'sales-eu', 'records': <the records of source.fetch_records('sales-eu')>}"
    )
    assert [s.get("state") for s in steps] == ["SUCCESS"] * 3, f"after the import, GET /api/imports/{pipeline_id} answered steps {steps!r}; expected every step SUCCESS"
    assert body.get("state") == "SUCCESS" and body.get("result") == SUMMARY["sales-eu"], (
        f"GET /api/imports/{pipeline_id} answered state {body.get('state')!r} with result {body.get('result')!r}; "
        f"expected SUCCESS with {SUMMARY['sales-eu']!r}"
    )


@pytest.mark.req(4)
def test_queued_import_is_pending(client, celery_service):
    celery_service.stop()  # no worker: the chain stays queued
    pipeline_id = _start(client, "sales-eu")["pipeline_id"]
    body = _status(client, pipeline_id)
    steps = _steps(body)
    assert body.get("state") == "PENDING" and [s.get("state") for s in steps] == ["PENDING"] * 3, (
        f"a queued import: GET /api/imports/{pipeline_id} answered {body!r}; expected state PENDING and every step PENDING"
    )
    assert steps[2].get("task_id") == pipeline_id and len({s.get("task_id") for s in steps}) == 3, (
        f"GET /api/imports/{pipeline_id} answered steps {steps!r}; expected each step's own task id, the store step's being the pipeline id"
    )


@pytest.mark.req(3, 4)
def test_failing_step_stops_the_chain(client, celery_service, redis_service):
    pipeline_id = _start(client, "corrupt")["pipeline_id"]
    body = _until_done(client, celery_service, pipeline_id)
    steps = _steps(body)
    with about(hint="Raise ValueError in transform for a bad record; the status reports the first FAILURE step and str(result.result)."):
        assert body.get("state") == "FAILURE", f"the corrupt source's import: GET /api/imports/{pipeline_id} answered state {body.get('state')!r}; expected FAILURE"
        states = [s.get("state") for s in steps]
        assert states[:2] == ["SUCCESS", "FAILURE"] and states[2] in ("FAILURE", "PENDING"), (
            f"the corrupt source's import: steps answered {[(s.get('name'), s.get('state')) for s in steps]}; expected fetch SUCCESS, "
            "transform FAILURE, and store never run (Celery marks it FAILURE with the same error, or it stays PENDING)"
        )
        assert body.get("failed_step") == "transform", f"GET /api/imports/{pipeline_id} answered failed_step {body.get('failed_step')!r}; expected \"transform\""
        assert body.get("error") == "record 2: qty must be a positive integer, got -1", (
            f"GET /api/imports/{pipeline_id} answered error {body.get('error')!r}; expected the transform step's message "
            "\"record 2: qty must be a positive integer, got -1\""
        )
    assert redis_service.client().get("import:corrupt") is None, "Redis has a key import:corrupt: the store step ran although transform failed"


@pytest.mark.req(5)
def test_batch_fans_out_and_aggregates(client, celery_service):
    names = ["sales-eu", "sales-us", "sales-apac"]
    response = client.post("/api/imports/batch", json={"sources": names})
    with about(hint="`chord(group([chain(fetch.s(n), transform.s()) for n in names]))(aggregate.s())`: its id is the aggregate task's."):
        expect_status(response, 202)
    body = expect_json(response)
    batch_id = body.get("batch_id") if isinstance(body, dict) else None
    assert isinstance(batch_id, str) and body.get("status_url") == f"/api/imports/batch/{batch_id}", (
        f"POST /api/imports/batch answered {body!r}; expected {{\"batch_id\": <id>, \"status_url\": \"/api/imports/batch/<id>\"}}"
    )
    result = celery_service.wait(batch_id, timeout=15, what="the batch's aggregate task (pipeline.aggregate)")
    expected = {"sources": names, "lines": 5, "total_cents": 121800}
    assert (result.state, result.result) == ("SUCCESS", expected), (
        f"the batch's aggregate task ended {result.state} with {result.result!r}; expected SUCCESS with {expected!r} "
        "(the summaries of the three sources, in the order they were given)"
    )
    status = client.get(f"/api/imports/batch/{batch_id}")
    expect_status(status, 200)
    got = expect_json(status)
    want = {"batch_id": batch_id, "sources": names, "state": "SUCCESS", "result": expected}
    assert got == want, f"GET /api/imports/batch/{batch_id} answered {got!r}; expected {want!r}"
