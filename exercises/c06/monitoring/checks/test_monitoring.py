"""Checks for c06-monitoring: a registry of Celery jobs kept up to date as the worker runs them
(queued, started, retrying, succeeded, failed, cancelled; timings; retries), GET /api/jobs with
filters and pagination, GET /api/jobs/<id>, POST /api/jobs/<id>/cancel, GET /api/jobs/stats.

Celery here is the `celery_service` fixture: a real worker runs in the check process, on the
check's Redis when FLASK_TUTOR_REDIS_URL answers, else on an in-memory broker (each check prints
which). Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import pytest
from flask.testing import FlaskClient

from flask_tutor_pytest.helpers import about, expect_json, expect_status

pytestmark = [pytest.mark.usefixtures("celery_service"), pytest.mark.app_config(RETRY_DELAY=0)]
FIELDS = {"id", "name", "args", "state", "retries", "queued_at", "started_at", "finished_at", "runtime", "result", "error"}
DONE = {"succeeded", "failed", "cancelled"}


def _start(client, name, args):
    response = client.post("/api/jobs", json={"name": name, "args": args})
    expect_status(response, 202)
    return response.get_json()["id"]


def _job(client, job_id, why=""):
    response = client.get(f"/api/jobs/{job_id}")
    with about(hint="GET /api/jobs/<id> answers the job's record from the registry (200), 404 for an id it never issued."):
        expect_status(response, 200)
    body = expect_json(response)
    missing = FIELDS - set(body) if isinstance(body, dict) else FIELDS
    assert not missing, f"GET /api/jobs/{job_id}{why} answered {body!r}: the fields {sorted(missing)} are missing; expected every one of {sorted(FIELDS)}"
    return body


def _until(celery_service, client, job_id, states, what):
    """Polls GET /api/jobs/<id> until the state is one of `states`, then GETs it once more with the
    check's client. The polls go through a plain FlaskClient, so they are not listed in the check's
    requests (their number depends on the machine's speed)."""
    poller = FlaskClient(client.application, use_cookies=False)

    def probe():
        response = poller.get(f"/api/jobs/{job_id}")
        body = response.get_json(silent=True) if response.status_code == 200 else None
        return isinstance(body, dict) and body.get("state") in states

    celery_service.wait_until(probe, timeout=8, message=f"GET /api/jobs/<id> of {what} never showed the state {' or '.join(sorted(states))}")
    return _job(client, job_id)


@pytest.mark.req(1)
def test_a_new_job_is_recorded_as_queued(client, celery_service):
    """With no worker, a job stays queued and its record says so, with its name, args and queued_at."""
    celery_service.stop()
    job_id = _start(client, "jobs.add", [2, 3])
    with about(hint="In POST /api/jobs, record the job in the registry (state queued, queued_at = time.time()) BEFORE apply_async(..., task_id=job_id)."):
        job = _job(client, job_id, " right after POST /api/jobs (no worker is running)")
        expected = {"id": job_id, "name": "jobs.add", "args": [2, 3], "state": "queued", "retries": 0,
                    "started_at": None, "finished_at": None, "runtime": None, "result": None, "error": None}
        got = {k: job.get(k) for k in expected}
        assert got == expected, f"the record of a job no worker has taken yet is {got}; expected {expected}"
        assert isinstance(job["queued_at"], (int, float)) and job["queued_at"] > 1.6e9, f"queued_at is {job['queued_at']!r}; expected the Unix time (seconds, a number) when POST /api/jobs queued it"
    response = client.get("/api/jobs/no-such-job")
    with about(hint="An id that is not in the registry answers 404 {\"error\": ...}."):
        expect_status(response, 404)


@pytest.mark.req(2)
def test_worker_updates_started_and_succeeded(client, celery_service):
    """A running job shows started (with started_at); a finished one succeeded with its result and timings."""
    job_id = _start(client, "jobs.sleep", [1.5])
    with about(hint="The task class (celery_app.py) marks the job started (started_at) before `self.run(...)` and succeeded (result, finished_at, runtime) after it."):
        job = _until(celery_service, client, job_id, {"started", "succeeded"}, "jobs.sleep(1.5)")
        assert job["state"] == "started", f"jobs.sleep(1.5) was never seen in the state started (first seen: {job['state']}); expected started while the worker runs it"
        assert isinstance(job["started_at"], (int, float)) and job["finished_at"] is None, (
            f"while jobs.sleep(1.5) runs its record has started_at {job['started_at']!r} and finished_at {job['finished_at']!r}; expected a time and null"
        )
        job = _until(celery_service, client, job_id, DONE, "jobs.sleep(1.5)")
        assert job["state"] == "succeeded" and job["result"] == 1.5, f"jobs.sleep(1.5) ended {job['state']} with result {job['result']!r}; expected succeeded with the result 1.5"
        assert job["queued_at"] <= job["started_at"] <= job["finished_at"], f"the times are queued_at {job['queued_at']}, started_at {job['started_at']}, finished_at {job['finished_at']}; expected them in that order"
        runtime = job["runtime"]
        assert isinstance(runtime, (int, float)) and abs(runtime - (job["finished_at"] - job["started_at"])) < 0.01 and runtime >= 1.4, (
            f"jobs.sleep(1.5) has runtime {runtime!r}; expected finished_at - started_at in seconds (about 1.5)"
        )


@pytest.mark.req(3)
def test_failures_and_retries_are_recorded(client, celery_service):
    """A failing job is failed with its error; retries are counted, both when a retry succeeds and when they run out."""
    failing = _start(client, "jobs.fail", ["disk full"])
    flaky = _start(client, "jobs.flaky", [2])
    hopeless = _start(client, "jobs.flaky", [9])
    with about(hint="Catch the exception around `self.run(...)`: record failed with error \"<ExceptionType>: <message>\", then re-raise so Celery sees it too."):
        job = _until(celery_service, client, failing, DONE, "jobs.fail('disk full')")
        assert job["state"] == "failed" and job["error"] == "ValueError: disk full" and job["result"] is None, (
            f"jobs.fail('disk full') ended {job['state']} with error {job['error']!r} and result {job['result']!r}; expected failed, \"ValueError: disk full\" and null"
        )
        assert isinstance(job["runtime"], (int, float)), f"a failed job has runtime {job['runtime']!r}; expected finished_at - started_at"
    with about(hint="`self.retry()` raises celery.exceptions.Retry: record retrying and retries = self.request.retries + 1, then re-raise. The next attempt starts again (state started, started_at kept)."):
        job = _until(celery_service, client, flaky, DONE, "jobs.flaky(2)")
        assert job["state"] == "succeeded" and job["retries"] == 2, (
            f"jobs.flaky(2) (fails twice, then succeeds) ended {job['state']} with retries {job['retries']!r}; expected succeeded with retries 2"
        )
        assert job["result"] == {"attempts": 3}, f"jobs.flaky(2) has result {job['result']!r}; expected {{'attempts': 3}}"
        job = _until(celery_service, client, hopeless, DONE, "jobs.flaky(9)")
        assert job["state"] == "failed" and job["retries"] == 3, (
            f"jobs.flaky(9) (max_retries 3) ended {job['state']} with retries {job['retries']!r}; expected failed with retries 3"
        )
        assert job["error"] == "ConnectionError: attempt 4 failed", f"jobs.flaky(9) has error {job['error']!r}; expected \"ConnectionError: attempt 4 failed\" (the last attempt's exception)"


def _list(client, query=""):
    response = client.get("/api/jobs" + query)
    with about(hint="GET /api/jobs answers {\"items\": [...], \"total\": n, \"page\": p, \"per_page\": k}, newest first."):
        expect_status(response, 200)
    body = expect_json(response)
    assert isinstance(body, dict) and isinstance(body.get("items"), list), f"GET /api/jobs{query} answered {body!r}; expected {{\"items\": [...], \"total\": ..., \"page\": ..., \"per_page\": ...}}"
    return body


@pytest.mark.req(4)
def test_list_filters_and_pages(client, celery_service):
    """GET /api/jobs: newest first, ?state= and ?name= filters, ?page=&per_page= pages, total counts the filtered jobs."""
    ids = [_start(client, "jobs.add", [i, i]) for i in range(3)] + [_start(client, "jobs.fail", ["no"])]
    for job_id in ids:
        _until(celery_service, client, job_id, DONE, "a job")
    newest_first = list(reversed(ids))
    body = _list(client)
    got = [job.get("id") for job in body["items"]]
    with about(hint="List the ids newest first (a sorted set scored by queued_at: ZREVRANGE)."):
        assert got == newest_first, f"GET /api/jobs listed the ids {got}; expected the 4 jobs newest first: {newest_first}"
        assert body.get("total") == 4 and body.get("page") == 1 and body.get("per_page") == 20, f"GET /api/jobs answered total {body.get('total')!r}, page {body.get('page')!r}, per_page {body.get('per_page')!r}; expected 4, 1 and 20 (the defaults)"
    with about(hint="Filter before paging: ?state=succeeded keeps the succeeded jobs, ?name=jobs.fail the jobs of that task."):
        body = _list(client, "?state=succeeded")
        got = [job.get("id") for job in body["items"]]
        assert got == newest_first[1:] and body.get("total") == 3, f"GET /api/jobs?state=succeeded listed {got} (total {body.get('total')!r}); expected the three jobs.add jobs {newest_first[1:]} and total 3"
        body = _list(client, "?name=jobs.fail")
        got = [job.get("id") for job in body["items"]]
        assert got == newest_first[:1] and body.get("total") == 1, f"GET /api/jobs?name=jobs.fail listed {got} (total {body.get('total')!r}); expected only the jobs.fail job {newest_first[:1]}"
        body = _list(client, "?name=jobs.add&state=failed")
        assert body["items"] == [] and body.get("total") == 0, f"GET /api/jobs?name=jobs.add&state=failed listed {len(body['items'])} jobs; expected none (both filters apply)"
    with about(hint="page p of per_page k is items[(p - 1) * k : p * k] of the filtered list; total is the filtered count."):
        body = _list(client, "?page=2&per_page=3")
        got = [job.get("id") for job in body["items"]]
        assert got == newest_first[3:] and body.get("total") == 4 and body.get("page") == 2 and body.get("per_page") == 3, (
            f"GET /api/jobs?page=2&per_page=3 listed {got} with total {body.get('total')!r}, page {body.get('page')!r}, per_page {body.get('per_page')!r}; expected {newest_first[3:]} (the 4th newest), 4, 2 and 3"
        )
    for query in ("?per_page=0", "?per_page=101", "?page=0", "?page=x", "?state=sleeping"):
        response = client.get("/api/jobs" + query)
        with about(hint="page must be 1 or more, per_page 1 to 100, state one of the six states; otherwise 400 {\"error\": ...}."):
            expect_status(response, 400)


@pytest.mark.req(5)
def test_cancel_a_queued_job(client, celery_service):
    """A job waiting behind a slow one is cancelled and never runs; a finished one cannot be cancelled (409); unknown 404."""
    _start(client, "jobs.sleep", [3])
    waiting = _start(client, "jobs.add", [40, 2])
    response = client.post(f"/api/jobs/{waiting}/cancel")
    with about(hint="POST /api/jobs/<id>/cancel: if the job is queued (or retrying), set its state to cancelled and answer 200 {\"id\": ..., \"state\": \"cancelled\"}."):
        expect_status(response, 200)
        expect_json(response, {"id": waiting, "state": "cancelled"})
    after = _start(client, "jobs.add", [1, 1])
    _until(celery_service, client, after, DONE, "a job queued after the cancelled one")  # the worker has passed the cancelled job
    job = _job(client, waiting)
    with about(hint="A cancelled job must never run: when the task starts, the task class looks at the registry and skips a cancelled job (raise celery.exceptions.Ignore()) instead of calling self.run(). revoke() alone is not enough: it is a broadcast the worker may not have received yet."):
        assert job["state"] == "cancelled" and job["result"] is None and job["started_at"] is None, (
            f"the job cancelled while it waited behind jobs.sleep(3) now has state {job['state']!r}, started_at {'set' if job['started_at'] is not None else 'null'}, result {job['result']!r}: "
            "it ran anyway; expected it to stay cancelled and never start"
        )
    response = client.post(f"/api/jobs/{after}/cancel")
    with about(hint="A job that already finished (or is running) cannot be cancelled: 409 {\"error\": ...}, its record unchanged."):
        expect_status(response, 409)
        assert _job(client, after)["state"] == "succeeded", "cancelling a finished job changed its state"
    response = client.post("/api/jobs/no-such-job/cancel")
    expect_status(response, 404)


@pytest.mark.req(6)
def test_stats(client, celery_service):
    """GET /api/jobs/stats: a count for every state (0 included), total, average runtime of finished jobs."""
    response = client.get("/api/jobs/stats")
    expect_status(response, 200)
    zero = {state: 0 for state in ("queued", "started", "retrying", "succeeded", "failed", "cancelled")}
    with about(hint="Answer {\"counts\": {<each of the six states>: n}, \"total\": n, \"average_runtime\": seconds or null}."):
        expect_json(response, {"counts": zero, "total": 0, "average_runtime": None})
    ids = [_start(client, "jobs.sleep", [0.2]), _start(client, "jobs.fail", ["x"]), _start(client, "jobs.sleep", [0.4])]
    runtimes = [_until(celery_service, client, job_id, DONE, "a job")["runtime"] for job_id in ids]
    celery_service.stop()
    _start(client, "jobs.add", [1, 2])
    body = expect_json(client.get("/api/jobs/stats"))
    counts = dict(zero, succeeded=2, failed=1, queued=1)
    with about(hint="Count every job of the registry by state (each of the six states, 0 when none); average_runtime is the mean runtime of the jobs that have one (finished ones)."):
        assert body.get("counts") == counts and body.get("total") == 4, f"GET /api/jobs/stats answered counts {body.get('counts')!r} and total {body.get('total')!r}; expected {counts} and 4"
        average = sum(runtimes) / 3
        got = body.get("average_runtime")
        assert isinstance(got, (int, float)) and abs(got - average) < 0.01, (
            f"GET /api/jobs/stats answered average_runtime {got!r}; expected the mean runtime of the 3 finished jobs (the queued job has none)"
        )
