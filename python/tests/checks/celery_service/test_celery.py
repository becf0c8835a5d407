import threading

import pytest

pytestmark = pytest.mark.usefixtures("celery_service")


@pytest.mark.parametrize("n", [1, 2, 3])
def test_task_runs_on_the_worker(client, celery_service, n):
    """Three checks in a row: each has its own worker (and queue); a retried task (countdown) runs."""
    task_id = client.post("/double/%d" % n).get_json()["task_id"]
    result = celery_service.wait(task_id, timeout=10, what="the task demo.double")
    assert result.state == "SUCCESS" and result.result == 2 * n
    workers = [t for t in threading.enumerate() if t.name.startswith("Thread") and t.is_alive()]
    assert len(workers) <= 1, [t.name for t in threading.enumerate()]


def test_never_finished_task_fails_with_a_precise_message(client, celery_service):
    celery_service.stop()
    task_id = client.post("/double/5").get_json()["task_id"]
    celery_service.wait(task_id, timeout=0.5, what="the task demo.double")
