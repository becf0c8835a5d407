"""services_amqp.py: which broker the checks use (a real RabbitMQ or the in-memory one), the
in-memory broker's RabbitMQ semantics (the same script runs on both), how fast a down or silent
server is given up, and the cleanup of what a check declared (docs/exercise-format.md,
"Services (RabbitMQ)")."""

import json
import socket
import threading
import time

import pytest

from flask_tutor_pytest import services_amqp as amqp

REAL_URL = amqp.DEFAULT_URL


@pytest.fixture(autouse=True)
def fresh_choice(monkeypatch):
    monkeypatch.setattr(amqp, "_CHOICE", None)
    monkeypatch.delenv(amqp.ENV_URL, raising=False)
    monkeypatch.delenv(amqp.ENV_REQUIRED, raising=False)
    yield


def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _real_answers():
    try:
        import pika  # noqa: F401
    except ImportError:
        return False
    return amqp._probe(REAL_URL) is None


def _service(kind, monkeypatch):
    if kind == "rabbitmq":
        if not _real_answers():
            pytest.skip("no RabbitMQ at %s" % REAL_URL)
        monkeypatch.setenv(amqp.ENV_URL, REAL_URL)
    service = amqp.open_service()
    assert service.kind == kind
    return service


def test_memory_when_no_url_and_one_broker_per_service():
    a, b = amqp.open_service(), amqp.open_service()
    try:
        assert a.kind == "memory" and a.url is None and amqp.ENV_URL in a.note
        assert a.prefix != b.prefix and a.prefix.startswith("ft-")
        first, second = a.broker(), a.broker()
        first.declare_queue(a.name("q"))
        first.publish("", a.name("q"), "hello")
        assert second.get(a.name("q")).text == "hello", "two brokers of one service share the server"
        with pytest.raises(amqp.BrokerError):
            b.broker().get(a.name("q"))
        config = a.app_config(EXTRA=1)
        assert config["EXTRA"] == 1 and config["AMQP_PREFIX"] == a.prefix and "AMQP_URL" not in config
        assert isinstance(config["AMQP_BROKER"], amqp.MemoryBroker)
    finally:
        a.close()
        b.close()


@pytest.mark.parametrize("pattern,key,matches", [
    ("order.*", "order.created", True), ("order.*", "order.item.added", False), ("#", "a.b.c", True),
    ("order.#", "order", True), ("*.paid", "order.paid", True), ("order.created", "order.paid", False),
    ("#.added", "order.item.added", True), ("a.*.c", "a.c", False),
])
def test_topic_matching(pattern, key, matches):
    assert amqp.topic_matches(pattern, key) is matches


@pytest.mark.parametrize("kind", ["memory", "rabbitmq"])
def test_seam_semantics_are_rabbitmqs(kind, monkeypatch):
    """The same script on both: topic routing, acks, redelivery, dead-lettering, close requeues."""
    service = _service(kind, monkeypatch)
    try:
        b = service.broker()
        events, dead = service.name("events"), service.name("dead")
        b.declare_exchange(events)
        b.declare_exchange(dead, "fanout")
        b.declare_queue(service.name("dlq"))
        b.bind_queue(service.name("dlq"), dead, "")
        b.declare_queue(service.name("orders"), dead_letter_exchange=dead)
        b.bind_queue(service.name("orders"), events, "order.*")
        b.declare_queue(service.name("all"))
        b.bind_queue(service.name("all"), events, "#")
        for key in ("order.created", "order.paid", "user.signed_up", "order.item.added"):
            b.publish(events, key, json.dumps({"key": key}), headers={"h": "1"}, message_id=key)
        assert b.queue_length(service.name("orders")) == 2 and b.queue_length(service.name("all")) == 4
        m = b.get(service.name("orders"))
        assert (m.routing_key, m.message_id, m.headers, m.redelivered, m.persistent) == ("order.created", "order.created", {"h": "1"}, False, True)
        b.nack(m, requeue=True)
        m = b.get(service.name("orders"))
        assert m.routing_key == "order.created" and m.redelivered
        b.nack(m, requeue=False)
        deadline = time.monotonic() + 5
        while b.queue_length(service.name("dlq")) == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        d = b.get(service.name("dlq"))
        assert d is not None and d.routing_key == "order.created" and d.headers["x-death"][0]["reason"] == "rejected"
        b.ack(d)
        assert b.get(service.name("orders")).routing_key == "order.paid"
        b.close()  # not acked: back to the queue
        other = service.broker()
        m = other.get(service.name("orders"))
        assert m.routing_key == "order.paid" and m.redelivered
        other.ack(m)
        assert other.get(service.name("orders")) is None
        with pytest.raises(amqp.BrokerError):
            other.publish(service.name("missing"), "x", "y")
        other.publish(events, "order.shipped", "ok")  # the broker goes on after an error
        assert other.queue_length(service.name("orders")) == 1
    finally:
        service.close()
    if kind == "rabbitmq":
        with pytest.raises(amqp.BrokerError):
            amqp.PikaBroker(REAL_URL).queue_length(service.name("orders"))


def test_refused_url_falls_back_fast_and_says_how_to_start_rabbitmq(monkeypatch):
    monkeypatch.setenv(amqp.ENV_URL, "amqp://guest:guest@127.0.0.1:%d/%%2F" % _closed_port())
    started = time.monotonic()
    kind, url, note = amqp.choose()
    assert time.monotonic() - started < 1.5
    assert (kind, url) == ("memory", None)
    assert "no RabbitMQ answered" in note and "docker run --rm -p 5672:5672 rabbitmq:3" in note and "guest:***@" in note


def test_silent_server_is_given_up_quickly(monkeypatch):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    accepted, stop = [], threading.Event()

    def accept():  # takes connections and never answers
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv(amqp.ENV_URL, "amqp://guest:guest@127.0.0.1:%d/%%2F" % listener.getsockname()[1])
        started = time.monotonic()
        kind, _url, note = amqp.choose()
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        thread.join(2)
        for s in accepted:
            s.close()
        listener.close()
    assert kind == "memory" and "no RabbitMQ answered" in note
    assert elapsed < 3, "a server that accepts and never answers is given up after the probe's 1 s handshake timeout (%.1fs)" % elapsed


def test_required_real_server_fails_instead_of_falling_back(monkeypatch):
    monkeypatch.setenv(amqp.ENV_REQUIRED, "1")
    with pytest.raises(amqp.ServiceUnavailable, match="FLASK_TUTOR_AMQP_URL is not set"):
        amqp.choose()
    monkeypatch.setattr(amqp, "_CHOICE", None)  # another run
    monkeypatch.setenv(amqp.ENV_URL, "amqp://guest:guest@127.0.0.1:%d/%%2F" % _closed_port())
    started = time.monotonic()
    with pytest.raises(amqp.ServiceUnavailable, match="docker run"):
        amqp.choose()
    assert time.monotonic() - started < 1.5


def test_a_required_silent_server_is_probed_once_per_run(monkeypatch):
    """Every check of a run with a required server that accepts and never answers fails; only
    the first waits for the probe, the others fail at once with the same message (before: 1 s
    per check and per parametrized case, 16 s for c08-event-bus's 16 cases)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    try:
        monkeypatch.setenv(amqp.ENV_URL, "amqp://guest:guest@127.0.0.1:%d/%%2F" % listener.getsockname()[1])
        monkeypatch.setenv(amqp.ENV_REQUIRED, "1")
        started = time.monotonic()
        with pytest.raises(amqp.ServiceUnavailable) as first:
            amqp.open_service()
        assert time.monotonic() - started >= amqp.PROBE_TIMEOUT * 0.9, "the first check waits for the probe"
        started = time.monotonic()
        for _ in range(5):
            with pytest.raises(amqp.ServiceUnavailable) as later:
                amqp.open_service()
            assert str(later.value) == str(first.value)
        assert time.monotonic() - started < 0.5, "later checks fail at once (%.2f s for 5)" % (time.monotonic() - started)
        assert "asks for a real server" in str(first.value) and "docker run --rm -p 5672:5672 rabbitmq:3" in str(first.value)
    finally:
        listener.close()


def test_down_broker_fails_at_once():
    service = amqp.open_service()
    try:
        broker = service.down_broker()
        started = time.monotonic()
        with pytest.raises(ConnectionError):
            broker.publish("x", "y", "z")
        assert time.monotonic() - started < 1.5
    finally:
        service.close()


@pytest.mark.parametrize("real", [False, True], ids=["memory", "rabbitmq"])
def test_fixture_end_to_end(tmp_path, real):
    """The fixture in a real run: the app gets AMQP_BROKER and AMQP_PREFIX, a second instance
    shares the broker, down_broker() makes it answer 503, each check prints which broker it used."""
    from conftest import run_verify

    if real and not _real_answers():
        pytest.skip("no RabbitMQ at %s" % REAL_URL)
    env = {amqp.ENV_URL: REAL_URL, amqp.ENV_REQUIRED: "1"} if real else {amqp.ENV_URL: None, amqp.ENV_REQUIRED: None}
    run = run_verify("amqp_bus", "amqp_service", tmp_path, env=env, timeout=120)
    for name in ("test_topic_routing_through_the_app", "test_second_instance_shares_the_broker", "test_broker_down_is_503"):
        assert run.result(name)["outcome"] == "passed", run.output
    assert run.result("test_a_failing_check")["outcome"] == "failed", run.output
    shown = run.output + str(run.events)
    assert ("RabbitMQ: the server at amqp://guest:***@127.0.0.1:5672" if real else "RabbitMQ: an in-memory broker") in shown, shown


def test_fixture_with_a_required_dead_server_fails_fast(tmp_path):
    from conftest import run_verify

    env = {amqp.ENV_URL: "amqp://guest:guest@127.0.0.1:%d/%%2F" % _closed_port(), amqp.ENV_REQUIRED: "1"}
    started = time.monotonic()
    run = run_verify("amqp_bus", "amqp_service", tmp_path, env=env, timeout=120,
                     select=[("test_amqp.py", "test_topic_routing_through_the_app")])
    assert time.monotonic() - started < 30
    result = run.result("test_topic_routing_through_the_app")
    assert result["outcome"] in ("failed", "errored"), run.output
    assert "docker run --rm -p 5672:5672 rabbitmq:3" in str(result), result
