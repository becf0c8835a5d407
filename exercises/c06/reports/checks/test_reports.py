"""Checks for c06-reports: POST starts a Celery task and answers 202 with a status URL; the
status URL shows the task's state, progress and result; the finished report downloads as CSV.

Celery here is the `celery_service` fixture: a real worker runs in the check process, on the
check's Redis when FLASK_TUTOR_REDIS_URL answers, else on an in-memory broker (each check prints
which). Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import uuid

import pytest

from flask_tutor_pytest.helpers import about, expect_header, expect_json, expect_status

pytestmark = [pytest.mark.usefixtures("celery_service"), pytest.mark.app_config(REPORT_STEP_DELAY=0)]


def _post(client, rows=3):
    response = client.post("/api/reports", json={"rows": rows})
    with about(hint="Send the task with `generate_report.delay(rows)` and answer `jsonify(...), 202, {'Location': status_url}` at once."):
        expect_status(response, 202)
    body = expect_json(response)
    assert isinstance(body, dict) and isinstance(body.get("task_id"), str) and body.get("task_id"), (
        f"POST /api/reports answered {body!r}; expected a JSON object with the Celery task id in \"task_id\""
    )
    return body


def _status(client, task_id, status=200):
    response = client.get(f"/api/reports/{task_id}")
    expect_status(response, status)
    return expect_json(response)


@pytest.mark.req(1)
def test_post_answers_202_with_status_url(client, celery_service):
    """POST /api/reports answers 202 at once, with task_id, status_url and a Location header."""
    body = _post(client, rows=3)
    task_id = body["task_id"]
    assert body.get("status_url") == f"/api/reports/{task_id}", (
        f"POST /api/reports answered status_url {body.get('status_url')!r}; expected \"/api/reports/{task_id}\" "
        "(url_for('report_status', task_id=...))"
    )
    response = client.post("/api/reports", json={"rows": 2})
    expect_status(response, 202)
    with about(hint="Answer the status URL in a Location header too: `return ..., 202, {'Location': status_url}`."):
        location = response.headers.get("Location", "")
        assert location.endswith(f"/api/reports/{response.get_json()['task_id']}"), (
            f"POST /api/reports answered Location: {location!r}; expected the status URL /api/reports/<task_id> "
            "(a 202 Accepted says where to follow the work)"
        )
    celery_service.wait(task_id, what="the task reports.generate")


@pytest.mark.req(1)
@pytest.mark.parametrize("payload", [{"rows": 0}, {"rows": "ten"}, {"rows": 501}, {"rows": True}, ["rows"]])
def test_invalid_rows_answer_400(client, payload):
    """rows must be a whole number from 1 to MAX_REPORT_ROWS (500); anything else is a 400."""
    response = client.post("/api/reports", json=payload)
    with about(hint="Validate `rows` before sending the task: an int (not a bool) from 1 to MAX_REPORT_ROWS."):
        expect_status(response, 400)
    body = expect_json(response)
    assert isinstance(body, dict) and isinstance(body.get("error"), str), (
        f"POST /api/reports with {payload!r} answered {body!r}; expected {{\"error\": \"<message>\"}}"
    )


@pytest.mark.req(2, 3)
def test_worker_builds_the_report(client, celery_service):
    """The worker runs reports.generate; the status URL then shows SUCCESS, the result and a download URL."""
    task_id = _post(client, rows=4)["task_id"]
    result = celery_service.wait(task_id, what="the task reports.generate")
    assert result.state == "SUCCESS", (
        f"the task reports.generate for 4 rows ended in state {result.state} ({result.result!r}); expected SUCCESS"
    )
    expected_csv = "row,square\n1,1\n2,4\n3,9\n4,16\n"
    with about(hint="Return `{\"rows\": rows, \"csv\": text}` from the task, text = 'row,square' then one 'i,i*i' line per row."):
        assert result.result == {"rows": 4, "csv": expected_csv}, (
            f"the task reports.generate for 4 rows returned {result.result!r}; expected {{'rows': 4, 'csv': {expected_csv!r}}}"
        )
    body = _status(client, task_id)
    expected = {
        "task_id": task_id,
        "state": "SUCCESS",
        "progress": {"done": 4, "total": 4},
        "result": {"rows": 4, "csv": expected_csv},
        "download_url": f"/api/reports/{task_id}/download",
    }
    assert body == expected, f"GET /api/reports/{task_id} of a finished report answered {body!r}; expected {expected!r}"


@pytest.mark.req(2, 3)
@pytest.mark.app_config(REPORT_STEP_DELAY=0.75)
def test_progress_is_visible_while_running(client, celery_service):
    """While the worker runs (4 rows, 0.75 s each), the status URL shows PROGRESS with done < total."""
    task_id = _post(client, rows=4)["task_id"]
    result = celery_service.result(task_id)

    def first_progress():  # the result backend, read without the app: the first update_state
        if result.state == "PROGRESS":
            return "progress"
        return "finished" if result.state in ("SUCCESS", "FAILURE") else None

    seen = celery_service.wait_until(first_progress, timeout=15, message=f"the task reports.generate ({task_id}) neither reported progress nor finished")
    body = _status(client, task_id)
    with about(hint='In the task, after each row: `self.update_state(state="PROGRESS", meta={"done": i, "total": rows})`.'):
        assert seen == "progress", (
            f"the task reports.generate for 4 rows finished (GET /api/reports/{task_id} answers {body!r}) without ever "
            "being in state PROGRESS; the task must report its progress after each row"
        )
        progress = body.get("progress") if isinstance(body, dict) else None
        assert body.get("state") == "PROGRESS" and isinstance(progress, dict) and progress.get("total") == 4 and 0 < (progress.get("done") or 0) < 4, (
            f"while the task was in state PROGRESS (meta {result.info!r}), GET /api/reports/{task_id} answered {body!r}; "
            "expected state PROGRESS with progress {\"done\": <1 to 3>, \"total\": 4}"
        )
    celery_service.wait(task_id, what="the task reports.generate")


@pytest.mark.req(3)
def test_pending_progress_and_failure_states(client, celery_service):
    """PENDING shows done 0; a PROGRESS meta is passed through; FAILURE shows the error."""
    celery_service.stop()  # no worker from here on: the tasks stay queued, the check sets their states
    task_id = _post(client, rows=5)["task_id"]
    body = _status(client, task_id)
    expected = {"task_id": task_id, "state": "PENDING", "progress": {"done": 0, "total": 5}}
    assert body == expected, f"GET /api/reports/{task_id} of a queued report answered {body!r}; expected {expected!r}"

    backend = celery_service.result(task_id).backend
    backend.store_result(task_id, {"done": 2, "total": 5}, "PROGRESS")
    body = _status(client, task_id)
    expected = {"task_id": task_id, "state": "PROGRESS", "progress": {"done": 2, "total": 5}}
    with about(hint="For PROGRESS, `result.info` is the meta the task passed to update_state."):
        assert body == expected, (
            f"the task's state is PROGRESS with meta {{'done': 2, 'total': 5}}; GET /api/reports/{task_id} "
            f"answered {body!r}; expected {expected!r}"
        )

    backend.mark_as_failure(task_id, RuntimeError("disk full"))
    body = _status(client, task_id)
    expected = {"task_id": task_id, "state": "FAILURE", "error": "disk full"}
    with about(hint="For FAILURE, `result.result` is the exception: answer `str(result.result)` as \"error\"."):
        assert body == expected, (
            f"the task failed with RuntimeError('disk full'); GET /api/reports/{task_id} answered {body!r}; expected {expected!r}"
        )


@pytest.mark.req(4)
def test_unknown_id_answers_404(client, celery_service):
    """An id this app never issued is a 404 (Celery itself says PENDING for any id)."""
    _post(client, rows=1)
    unknown = str(uuid.uuid4())
    for path in (f"/api/reports/{unknown}", f"/api/reports/{unknown}/download"):
        response = client.get(path)
        with about(hint="Celery answers PENDING for any id: keep a record of the ids you issued (Redis key report:<id>) and answer 404 for the others."):
            expect_status(response, 404)
        body = expect_json(response)
        assert isinstance(body, dict) and isinstance(body.get("error"), str), (
            f"GET {path} answered {body!r}; expected {{\"error\": \"<message>\"}}"
        )


@pytest.mark.req(5)
def test_download_when_ready_and_409_before(client, celery_service):
    """The download URL answers 409 until the report is finished, then the CSV as an attachment."""
    celery_service.stop()
    queued = _post(client, rows=2)["task_id"]
    response = client.get(f"/api/reports/{queued}/download")
    with about(hint="Answer 409 Conflict with {\"error\": ...} while the task is not SUCCESS."):
        expect_status(response, 409)
    celery_service.result(queued).backend.mark_as_done(queued, {"rows": 2, "csv": "row,square\n1,1\n2,4\n"})
    response = client.get(f"/api/reports/{queued}/download")
    expect_status(response, 200)
    assert response.mimetype == "text/csv", (
        f"GET /api/reports/{queued}/download answered Content-Type {response.content_type!r}; expected text/csv"
    )
    assert response.get_data(as_text=True) == "row,square\n1,1\n2,4\n", (
        f"GET /api/reports/{queued}/download answered {response.get_data(as_text=True)!r}; expected the task's CSV "
        "'row,square\\n1,1\\n2,4\\n'"
    )
    expect_header(response, "Content-Disposition", contains="attachment")
