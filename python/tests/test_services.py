"""services.py: which Redis the checks use (a real server or fakeredis), how fast a down or
silent server is given up, and database leases on a real server (docs/exercise-format.md,
"Services (Redis)")."""

import socket
import threading
import time

import pytest

redis = pytest.importorskip("redis")
pytest.importorskip("fakeredis")

from flask_tutor_pytest import services  # noqa: E402


@pytest.fixture(autouse=True)
def fresh_choice(monkeypatch):
    monkeypatch.setattr(services, "_CHOICE", None)
    monkeypatch.delenv(services.ENV_URL, raising=False)
    monkeypatch.delenv(services.ENV_REQUIRED, raising=False)
    yield


def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_answers(url="redis://127.0.0.1:6379"):
    return services._probe(url) is None


def test_fakeredis_when_no_url_and_one_server_per_service():
    a, b = services.open_service(), services.open_service()
    try:
        assert a.kind == "fakeredis" and a.url is None
        assert "fakeredis" in a.note and services.ENV_URL in a.note
        a.client().set("k", "v")
        assert a.client().get("k") == "v", "two clients of one service share the data (two app instances)"
        assert b.client().get("k") is None, "each check starts from an empty Redis"
        config = a.app_config(L1_TTL=1)
        assert config["L1_TTL"] == 1 and config["REDIS_CLIENT"].get("k") == "v" and "REDIS_URL" not in config
    finally:
        a.close()
        b.close()


def test_refused_url_falls_back_fast_and_says_how_to_start_redis(monkeypatch):
    monkeypatch.setenv(services.ENV_URL, "redis://127.0.0.1:%d/15" % _closed_port())
    started = time.monotonic()
    kind, url, note = services.choose()
    assert time.monotonic() - started < 1.5
    assert (kind, url) == ("fakeredis", None)
    assert "no Redis answered" in note and "docker run" in note


def test_silent_server_is_given_up_after_the_probe_timeout(monkeypatch):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    accepted = []
    stop = threading.Event()

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
        monkeypatch.setenv(services.ENV_URL, "redis://127.0.0.1:%d/15" % listener.getsockname()[1])
        started = time.monotonic()
        kind, _url, note = services.choose()
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        thread.join()
        for c in accepted:
            c.close()
        listener.close()
    assert kind == "fakeredis" and "Timeout" in note
    assert elapsed < services.PROBE_TIMEOUT * 3, "one probe, no retries: %.2f s" % elapsed


def test_required_real_server_fails_instead_of_falling_back(monkeypatch):
    monkeypatch.setenv(services.ENV_URL, "redis://127.0.0.1:%d" % _closed_port())
    monkeypatch.setenv(services.ENV_REQUIRED, "1")
    with pytest.raises(services.ServiceUnavailable, match="asks for a real server"):
        services.open_service()


def test_a_required_silent_server_is_probed_once_per_run(monkeypatch):
    """Every check of a run with a required server that accepts and never answers fails; only
    the first waits for the probe, the others fail at once with the same message (before: 0.5 s
    per check and per parametrized case)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    try:
        monkeypatch.setenv(services.ENV_URL, "redis://127.0.0.1:%d/15" % listener.getsockname()[1])
        monkeypatch.setenv(services.ENV_REQUIRED, "1")
        started = time.monotonic()
        with pytest.raises(services.ServiceUnavailable) as first:
            services.open_service()
        assert time.monotonic() - started >= services.PROBE_TIMEOUT * 0.9, "the first check waits for the probe"
        started = time.monotonic()
        for _ in range(5):
            with pytest.raises(services.ServiceUnavailable) as later:
                services.open_service()
            assert str(later.value) == str(first.value)
        assert time.monotonic() - started < 0.5, "later checks fail at once (%.2f s for 5)" % (time.monotonic() - started)
        assert "asks for a real server" in str(first.value) and "docker run --rm -p 6379:6379 redis:7" in str(first.value)
    finally:
        listener.close()


def test_down_client_fails_at_once():
    service = services.open_service()
    try:
        client = service.down_client()
        started = time.monotonic()
        with pytest.raises(redis.exceptions.ConnectionError):
            client.get("k")
        assert time.monotonic() - started < 1
    finally:
        service.close()


def test_urls_with_and_without_a_database():
    assert services._names_database("redis://127.0.0.1:6379/15")
    assert services._names_database("redis://127.0.0.1:6379?db=3")
    assert not services._names_database("redis://127.0.0.1:6379")
    assert not services._names_database("redis://127.0.0.1:6379/")
    assert services._with_database("redis://:pw@h:1", 4) == "redis://:pw@h:1/4"
    assert services._redacted("redis://user:secret@h:1/2") == "redis://user:***@h:1/2"


@pytest.mark.skipif(not _server_answers(), reason="no Redis server on 127.0.0.1:6379")
def test_real_server_leases_one_database_per_service(monkeypatch):
    monkeypatch.setenv(services.ENV_URL, "redis://127.0.0.1:6379")
    a, b = services.open_service(), services.open_service()
    admin = redis.Redis(decode_responses=True)
    try:
        assert a.kind == b.kind == "redis"
        assert a.url != b.url and a.url.rsplit("/", 1)[1] in [str(n) for n in range(1, 16)]
        a.client().set("only-in-a", "1")
        assert b.client().get("only-in-a") is None
        leases = admin.keys(services.LEASE_PREFIX + "*")
        assert len(leases) >= 2
    finally:
        a.flush()
        a.close()
        b.close()
    assert services.LEASE_PREFIX + a.url.rsplit("/", 1)[1] not in admin.keys(services.LEASE_PREFIX + "*"), "close() gives the lease back"
    admin.close()
