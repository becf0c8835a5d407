"""services_celery.py: the celery_service fixture runs a real Celery worker in the check process,
on the check's Redis or on the in-memory broker (docs/exercise-format.md, "Services (Celery)")."""

import socket
import threading
import time

import pytest

pytest.importorskip("celery")
pytest.importorskip("redis")
pytest.importorskip("fakeredis")

from celery import Celery  # noqa: E402

from conftest import run_verify  # noqa: E402
from flask_tutor_pytest import services, services_celery  # noqa: E402

REDIS = "redis://127.0.0.1:6379"


def _redis_answers():
    return services._probe(REDIS) is None


def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _FlaskLike:
    def __init__(self, celery_app):
        self.extensions = {"celery": celery_app}


def _app_for(service):
    app = Celery("svc-test")
    app.config_from_object(service.config())

    @app.task(bind=True, name="svc.slow_double", shared=False)
    def slow_double(self, x):
        if self.request.retries < 1:
            raise self.retry(countdown=0.2)
        return 2 * x

    return app, slow_double


def _paths():
    yield pytest.param(("fakeredis", None), id="memory")
    yield pytest.param(("redis", REDIS + "/12"), id="redis", marks=pytest.mark.skipif(not _redis_answers(), reason="no Redis at 127.0.0.1:6379"))


@pytest.mark.parametrize("path", list(_paths()))
def test_worker_runs_tasks_and_stops_at_once_twice_in_a_process(path):
    """Two workers one after the other (two checks): both run a task that retries with a countdown
    (Celery 5.2 kept the first worker's event loop), and each stops in well under Celery's 2 s drain."""
    for _ in range(2):
        service = services_celery.CeleryService(*path)
        assert service.kind == ("redis" if path[1] else "memory")
        app, task = _app_for(service)
        assert service.start(_FlaskLike(app)) is None
        try:
            result = service.wait(task.delay(21).id, timeout=15)
            assert (result.state, result.result) == ("SUCCESS", 42)
        finally:
            started = time.monotonic()
            assert service.stop() is None
            assert time.monotonic() - started < 1.9
        assert not [t for t in threading.enumerate() if t.is_alive() and "start" in t.name], threading.enumerate()


def test_the_root_logger_is_left_as_it_was():
    import logging

    root = logging.getLogger()
    before = (root.level, list(root.handlers))
    service = services_celery.CeleryService("fakeredis", None)
    app, _ = _app_for(service)
    service.start(_FlaskLike(app))
    try:
        assert (root.level, list(root.handlers)) == before
    finally:
        service.stop()


def test_each_check_has_its_own_queue_and_the_note_says_which_broker():
    a = services_celery.CeleryService("fakeredis", None)
    b = services_celery.CeleryService("redis", "redis://127.0.0.1:6379/4")
    assert a.queue != b.queue and a.config()["task_default_queue"] == a.queue
    assert a.config()["broker_url"] == "memory://" and a.config()["result_backend"] == "cache+memory://"
    assert "in-memory broker" in a.note and "docker run" in a.note
    assert b.config()["broker_url"] == b.config()["result_backend"] == "redis://127.0.0.1:6379/4"
    assert "broker redis://127.0.0.1:6379/4" in b.note
    assert b.config()["broker_connection_retry_on_startup"] is False and b.config()["broker_connection_max_retries"] == 1


def test_a_broker_that_does_not_answer_fails_fast_with_how_to_start_redis():
    service = services_celery.CeleryService("redis", "redis://127.0.0.1:%d/1" % _closed_port())
    app, _ = _app_for(service)
    started = time.monotonic()
    with pytest.raises(pytest.fail.Exception) as info:
        service.start(_FlaskLike(app))
    assert time.monotonic() - started < 5
    assert "did not answer" in str(info.value) and "docker run" in str(info.value)
    assert service.stop() is None


def test_a_broker_that_accepts_and_never_answers_fails_within_about_its_timeout():
    """A Redis that passed the probe and then stopped answering (here: a listener that accepts
    and never replies) is given up after about BROKER_TIMEOUT, not after the transport's 5 s
    socket timeout per attempt."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        service = services_celery.CeleryService("redis", "redis://127.0.0.1:%d/1" % listener.getsockname()[1])
        app, _ = _app_for(service)
        started = time.monotonic()
        with pytest.raises(pytest.fail.Exception) as info:
            service.start(_FlaskLike(app))
        elapsed = time.monotonic() - started
        assert elapsed < services_celery.BROKER_TIMEOUT + 2.5, "gave up after %.1f s" % elapsed
        assert "did not answer" in str(info.value)
        assert service.stop() is None
    finally:
        stop.set()
        thread.join()
        for c in accepted:
            c.close()
        listener.close()


def test_an_app_without_celery_runs_no_worker_and_says_why():
    service = services_celery.CeleryService("fakeredis", None)
    problem = service.start(_FlaskLike(None))
    assert 'app.extensions["celery"]' in problem
    with pytest.raises(pytest.fail.Exception) as info:
        service.wait("some-id", timeout=0.1)
    assert "no worker runs" in str(info.value)


def test_waiting_for_a_task_nobody_runs_fails_with_a_precise_message():
    service = services_celery.CeleryService("fakeredis", None)
    app, task = _app_for(service)
    service.start(_FlaskLike(app))
    service.stop()
    task_id = task.delay(1).id
    started = time.monotonic()
    with pytest.raises(pytest.fail.Exception) as info:
        service.wait(task_id, timeout=0.5, what="the task svc.slow_double")
    assert time.monotonic() - started < 3
    assert "the task svc.slow_double (id %s) was sent, but no worker finished it within 0.5s" % task_id in str(info.value)
    assert "PENDING" in str(info.value)


@pytest.mark.parametrize("path", list(_paths()))
def test_fixture_end_to_end(tmp_path, path):
    """The fixture in a real run: the app gets the broker, the worker runs its shared_task, each
    check prints which broker it used, a task nobody runs fails the check (not errors it)."""
    env = {"FLASK_TUTOR_REDIS_URL": REDIS, "FLASK_TUTOR_REDIS_REQUIRED": "1"} if path[1] else {}
    run = run_verify("celery_tasks", "celery_service", tmp_path, env=env, timeout=120)
    for n in (1, 2, 3):
        assert run.result("test_task_runs_on_the_worker[%d]" % n)["outcome"] == "passed", run.output
    failed = run.result("test_never_finished_task_fails_with_a_precise_message")
    assert failed["outcome"] == "failed", run.output
    assert "no worker finished it within 0.5s" in str(failed), failed
    assert ("broker redis://127.0.0.1:6379/" if path[1] else "in-memory broker (memory://)") in run.output + str(run.events), run.output
