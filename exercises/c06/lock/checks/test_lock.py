"""Checks for c06-lock: a distributed lock on Redis (locks.py: acquire with SET NX PX and a random
token, release and extend only by the holder, atomically, expiry frees a lock) and
POST /api/jobs/<name>/run, which runs a job only while it holds the job's lock (409 with
Retry-After otherwise, the lock given back even when the job fails). Two app instances (two
create_app() calls on one Redis, as two servers) contend for the same lock.

Redis here is the `redis_service` fixture: a real server when FLASK_TUTOR_REDIS_URL answers,
else fakeredis (each check prints which). Each check names the brief's numbered requirements it
covers (@pytest.mark.req)."""
import importlib
import threading
import time

import pytest

from flask_tutor_pytest.helpers import about, expect_json, expect_status

pytestmark = [pytest.mark.usefixtures("redis_service")]


class Job:
    """A job the checks hand the app through JOBS: records the lock key's value while it runs,
    can wait for a gate, can fail."""

    def __init__(self, name, fail=False):
        self.name = name
        self.fail = fail
        self.reset()

    def reset(self, peek=None, gate=None):
        self.peek = peek  # a Redis client of the check, to look at the lock while the job runs
        self.gate = gate
        self.started = threading.Event()
        self.seen = []
        self.runs = 0

    def __call__(self):
        self.runs += 1
        if self.peek is not None:
            self.seen.append(self.peek.get("lock:job:" + self.name))
        self.started.set()
        if self.gate is not None:
            self.gate.wait(15)
        if self.fail:
            raise RuntimeError("the checks' job failed on purpose")
        return {"done": self.name, "run": self.runs}


QUICK, SLOW, BROKEN = Job("quick"), Job("slow"), Job("broken", fail=True)
JOBS = {"quick": QUICK, "slow": SLOW, "broken": BROKEN}
CONFIG = dict(JOBS=JOBS, LOCK_TTL_MS=20_000)


def _locks():
    try:
        return importlib.import_module("locks")
    except ModuleNotFoundError as e:
        if e.name != "locks":
            raise
        pytest.fail("there is no module locks.py in your folder: the checks import acquire, release and extend from it", pytrace=False)


def _acquire(locks, r, name, ttl_ms):
    token = locks.acquire(r, name, ttl_ms)
    with about(hint="acquire() returns the token it stored when `SET lock:<name> <token> NX PX <ttl_ms>` succeeded."):
        assert isinstance(token, str) and token, (
            f"locks.acquire(client, {name!r}, {ttl_ms}) on a free lock returned {token!r}; expected the holder's token (a non-empty str)"
        )
    return token


class Intruder:
    """Wraps a client so that right after the code under test reads lock:<name> and sees its own
    token (a GET through the client or through a WATCHed pipeline), another holder takes the lock
    (as if ours had expired at that very moment): SET lock:<name> intruder PX 60000, once."""

    TOKEN = "intruder-token-from-the-checks"

    def __init__(self, client, other, name, token):
        self.client, self.other, self.key, self.token = client, other, "lock:" + name, token
        self.fired = False
        client.execute_command = self._wrap(client.execute_command, None)
        original_pipeline = client.pipeline

        def pipeline(*args, **kwargs):
            pipe = original_pipeline(*args, **kwargs)
            pipe.execute_command = self._wrap(pipe.execute_command, pipe)
            return pipe

        client.pipeline = pipeline

    def _wrap(self, execute, pipe):
        def execute_command(*args, **options):
            result = execute(*args, **options)
            if (not self.fired and result is not pipe and len(args) >= 2 and str(args[0]).upper() == "GET"
                    and args[1] == self.key and result == self.token):
                self.fired = True
                self.other.set(self.key, self.TOKEN, px=60_000)
            return result

        return execute_command


@pytest.mark.req(1)
def test_acquire_is_set_nx_px_with_a_random_token(app, redis_service):
    """acquire: the token in lock:<name> with a TTL; a second acquire fails; tokens differ."""
    locks, r = _locks(), redis_service.client()
    token = _acquire(locks, r, "checks-a", 5000)
    with about(hint="`client.set(f\"lock:{name}\", token, nx=True, px=ttl_ms)` stores the token with a TTL in one command."):
        stored = r.get("lock:checks-a")
        assert stored == token, f"after locks.acquire(client, 'checks-a', 5000) returned {token!r}, the key lock:checks-a holds {stored!r}; expected the token"
        ttl = r.pttl("lock:checks-a")
        assert 0 < ttl <= 5000, (
            f"lock:checks-a has {'no TTL (PTTL -1: it never expires)' if ttl == -1 else 'PTTL ' + str(ttl) + ' ms'}; expected it to expire within the 5000 ms given to acquire(), "
            "so that a holder that crashes cannot block everyone for ever"
        )
    with about(hint="Only `NX` makes SET fail when the key exists: then return None and leave the key alone."):
        second = locks.acquire(r, "checks-a", 9000)
        assert second is None, f"a second acquire(client, 'checks-a', 9000) while the lock is held returned {second!r}; expected None (the lock is taken)"
        assert r.get("lock:checks-a") == token, (
            f"a second acquire while the lock is held changed lock:checks-a from {token!r} to {r.get('lock:checks-a')!r}: it must not overwrite the holder"
        )
    other = _acquire(locks, r, "checks-b", 5000)
    with about(hint="Make a new random token on every call: `secrets.token_hex(16)` or `uuid.uuid4().hex`."):
        assert other != token, f"acquire() gave the same token {token!r} for two different holders; each call needs a new random token, else anyone can release anyone's lock"
        assert len(token) >= 16, f"acquire() returned the token {token!r}: too short to be unguessable; expected at least 16 random characters"
        r.delete("lock:checks-a")
        again = _acquire(locks, r, "checks-a", 5000)
        assert again != token, f"acquire(client, 'checks-a', ...) gave the same token {token!r} twice: each holder must get a new random token"


@pytest.mark.req(2)
def test_release_only_by_the_holder(app, redis_service):
    """release: False and nothing deleted with a wrong token; True and deleted with the right one."""
    locks, r = _locks(), redis_service.client()
    token = _acquire(locks, r, "checks-r", 5000)
    with about(hint="Compare the key's value with the token before deleting: only the holder may release."):
        result = locks.release(r, "checks-r", "not-" + token)
        stored = r.get("lock:checks-r")
        assert stored == token, f"locks.release(client, 'checks-r', <a wrong token>) deleted the lock (lock:checks-r is now {stored!r}); expected a release with a wrong token to leave it alone"
        assert result is False, f"release with a wrong token returned {result!r}; expected False (the lock is not the caller's)"
        result = locks.release(r, "checks-r", token)
        assert result is True, f"release by the holder returned {result!r}; expected True"
        assert r.exists("lock:checks-r") == 0, "after release by the holder the key lock:checks-r still exists; expected it deleted"
        result = locks.release(r, "checks-r", token)
        assert result is False, f"a second release of a lock already released returned {result!r}; expected False"


@pytest.mark.req(3)
def test_release_is_atomic(app, redis_service):
    """The check's client takes the lock right after release() read the holder's token: release must not delete it."""
    locks, r = _locks(), redis_service.client()
    token = _acquire(locks, r, "checks-race", 5000)
    wrapped = redis_service.client()
    intruder = Intruder(wrapped, redis_service.client(), "checks-race", token)
    result = locks.release(wrapped, "checks-race", token)
    stored = r.get("lock:checks-race")
    if not intruder.fired:  # the comparison ran on the server (a Lua script) or without a GET
        with about(hint="release() must delete the lock of its holder."):
            assert stored is None, f"release by the holder left lock:checks-race = {stored!r}; expected it deleted"
        return
    with about(hint="Compare and delete in one atomic step: WATCH the key, GET it, then MULTI/DEL/EXEC in a pipeline (EXEC does nothing if the key changed after WATCH)."):
        assert stored == Intruder.TOKEN, (
            "the checks let your lock expire and another holder take it between your GET and your DEL "
            f"(right after release() read its own token): release() then deleted the other holder's lock (lock:checks-race is {stored!r}). "
            "GET then DEL are two commands; the comparison and the delete must be one atomic step"
        )
        assert result is False, f"release() returned {result!r} although the lock had passed to another holder before it could delete it; expected False"


@pytest.mark.req(4)
def test_expiry_frees_the_lock(app, redis_service):
    """After the TTL anyone can take the lock; the old holder's late release does not touch it."""
    locks, r = _locks(), redis_service.client()
    old = _acquire(locks, r, "checks-exp", 300)
    deadline = time.monotonic() + 8
    while r.exists("lock:checks-exp") and time.monotonic() < deadline:
        time.sleep(0.05)
    with about(hint="Give the key a TTL when you SET it (`px=ttl_ms`): Redis deletes it when the time is up."):
        assert r.exists("lock:checks-exp") == 0, "lock:checks-exp still exists 8 s after acquire(client, 'checks-exp', 300): the lock never expires"
        new = locks.acquire(r, "checks-exp", 5000)
        assert isinstance(new, str) and new != old, f"after the first holder's 300 ms expired, acquire() returned {new!r}; expected a new token (the lock is free)"
    with about(hint="release() compares the key with the caller's token: the old holder's token no longer matches."):
        result = locks.release(r, "checks-exp", old)
        stored = r.get("lock:checks-exp")
        assert stored == new, f"the first holder released after its lock had expired and passed to a new holder: lock:checks-exp is now {stored!r}; expected the new holder's lock untouched"
        assert result is False, f"the late release by the first holder returned {result!r}; expected False"


@pytest.mark.req(5)
def test_extend_only_by_the_holder(app, redis_service):
    """extend: the holder gets a new TTL; anyone else gets False and changes nothing."""
    locks, r = _locks(), redis_service.client()
    token = _acquire(locks, r, "checks-ext", 2000)
    with about(hint="extend(): if the key still holds the token, PEXPIRE it with the new TTL (in the same kind of transaction as release)."):
        result = locks.extend(r, "checks-ext", token, 60_000)
        ttl = r.pttl("lock:checks-ext")
        assert result is True, f"locks.extend(client, 'checks-ext', <holder's token>, 60000) returned {result!r}; expected True"
        assert 30_000 < ttl <= 60_000, f"after the holder extended lock:checks-ext to 60000 ms its PTTL is {'over' if ttl > 60_000 else 'under'} 30000 ms ({'-1: no TTL' if ttl == -1 else 'not 60000'}); expected close to 60000"
        result = locks.extend(r, "checks-ext", "not-" + token, 1000)
        ttl = r.pttl("lock:checks-ext")
        assert result is False and ttl > 30_000, (
            f"extend(client, 'checks-ext', <a wrong token>, 1000) returned {result!r} and the PTTL is now {'about 1000 ms' if 0 < ttl <= 1000 else 'over 30000 ms'}; "
            "expected False and the TTL unchanged: someone who is not the holder must not extend (or shorten) the lock"
        )
        assert r.get("lock:checks-ext") == token, "extend with a wrong token changed the value of lock:checks-ext"
    wrapped = redis_service.client()
    intruder = Intruder(wrapped, redis_service.client(), "checks-ext", token)
    result = locks.extend(wrapped, "checks-ext", token, 1000)
    if intruder.fired:
        ttl = r.pttl("lock:checks-ext")
        with about(hint="Compare and PEXPIRE in one atomic step (WATCH, GET, MULTI, PEXPIRE, EXEC)."):
            assert ttl > 30_000 and result is False, (
                "the checks let another holder take the lock between your GET and your PEXPIRE: extend() then returned "
                f"{result!r} and {'shortened the other holder' + chr(39) + 's TTL to about 1000 ms' if ttl <= 30_000 else 'left its TTL'}; expected False and the other holder's lock left alone"
            )


@pytest.mark.req(6)
@pytest.mark.app_config(**CONFIG)
def test_run_holds_the_lock_while_the_job_runs(client, redis_service):
    """POST /api/jobs/quick/run: 200 with the result, the lock held during the job and free after."""
    peek = redis_service.client()
    QUICK.reset(peek=peek)
    response = client.post("/api/jobs/quick/run")
    expect_status(response, 200)
    with about(hint="Answer `{\"job\": name, \"result\": <what the job returned>}`."):
        expect_json(response, {"job": "quick", "result": {"done": "quick", "run": 1}})
    with about(hint="Before calling the job, take the lock `job:<name>` (key lock:job:<name>) with locks.acquire(get_redis(), f\"job:{name}\", LOCK_TTL_MS)."):
        seen = QUICK.seen[0] if QUICK.seen else None
        assert isinstance(seen, str) and len(seen) >= 16, (
            f"while the job 'quick' ran, the key lock:job:quick held {seen!r}; expected the token of the lock the endpoint took before running it"
        )
    with about(hint="Release the lock after the job (in a `finally:`)."):
        left = peek.get("lock:job:quick")
        assert left is None, f"after POST /api/jobs/quick/run answered, lock:job:quick still holds {left!r}; expected the lock released"
    response = client.post("/api/jobs/no-such-job/run")
    with about(hint="A name that is not in JOBS answers 404 with {\"error\": ...}."):
        expect_status(response, 404)
        body = response.get_json(silent=True)
        assert isinstance(body, dict) and isinstance(body.get("error"), str), f"POST /api/jobs/no-such-job/run answered {response.get_data(as_text=True)!r}; expected {{\"error\": \"<message>\"}}"


def _expect_busy(response, who, max_seconds):
    with about(hint="When acquire() returns None: 409, `{\"error\": ..., \"retry_after\": n}` and the header `Retry-After: n`, n = the lock's PTTL in seconds rounded up (at least 1)."):
        expect_status(response, 409)
        header = response.headers.get("Retry-After")
        assert header is not None and header.isdigit(), f"{who} answered 409 with Retry-After: {header!r}; expected the Retry-After header with whole seconds until the lock expires"
        seconds = int(header)
        assert 1 <= seconds <= max_seconds, f"{who} answered Retry-After: {seconds}; expected 1 to {max_seconds} (the seconds left on the lock, rounded up)"
        body = response.get_json(silent=True) or {}
        assert body.get("retry_after") == seconds and isinstance(body.get("error"), str), (
            f"{who} answered the body {body}; expected {{\"error\": \"<message>\", \"retry_after\": {seconds}}} (retry_after equal to the header)"
        )


@pytest.mark.req(7)
@pytest.mark.app_config(**CONFIG)
def test_second_instance_gets_409_while_the_job_runs(app, app_module, client, redis_service):
    """Instance A runs 'slow' (held by the checks); instance B's run answers 409 + Retry-After and does not run it."""
    factory = getattr(app_module, "create_app", None)
    assert factory is not None, "app.py must keep its create_app() factory: the checks start two instances with it"
    other = factory(redis_service.app_config(TESTING=True, **CONFIG)).test_client()
    gate = threading.Event()
    SLOW.reset(peek=redis_service.client(), gate=gate)
    answers = []
    worker = threading.Thread(target=lambda: answers.append(client.post("/api/jobs/slow/run")), daemon=True)
    worker.start()
    try:
        assert SLOW.started.wait(15), "POST /api/jobs/slow/run on instance A did not start the job within 15 s"
        response = other.post("/api/jobs/slow/run")
        _expect_busy(response, "POST /api/jobs/slow/run on instance B while instance A runs it", 20)
        assert SLOW.runs == 1, f"the job 'slow' ran {SLOW.runs} times at once; expected instance B not to run it while A holds the lock"
    finally:
        gate.set()
        worker.join(15)
    assert answers and answers[0].status_code == 200, f"instance A's run answered {answers[0].status_code if answers else 'nothing within 15 s'}; expected 200"
    response = other.post("/api/jobs/slow/run")
    with about(hint="Once A has released the lock, B can take it."):
        expect_status(response, 200)
    r = redis_service.client()
    r.set("lock:job:quick", "held-by-the-checks", px=4000)
    QUICK.reset()
    response = client.post("/api/jobs/quick/run")
    _expect_busy(response, "POST /api/jobs/quick/run while the checks hold lock:job:quick for 4 s", 4)
    assert QUICK.runs == 0, "the job 'quick' ran although lock:job:quick was held by someone else"
    assert r.get("lock:job:quick") == "held-by-the-checks", "a run that found the lock busy changed or deleted the other holder's lock"


@pytest.mark.req(8)
@pytest.mark.app_config(**CONFIG)
def test_failed_job_releases_the_lock(client, redis_service):
    """A job that raises: 500 {"error"} and the lock given back."""
    peek = redis_service.client()
    BROKEN.reset(peek=peek)
    response = client.post("/api/jobs/broken/run")
    with about(hint="Catch the job's exception: answer 500 with {\"error\": ...}."):
        expect_status(response, 500)
        body = response.get_json(silent=True)
        assert isinstance(body, dict) and isinstance(body.get("error"), str), f"the failed job's run answered {response.get_data(as_text=True)!r}; expected {{\"error\": \"<message>\"}}"
    with about(hint="Run the job under the lock, in `try:` ... `finally: locks.release(...)` so the lock is given back whatever happens."):
        seen = BROKEN.seen[0] if BROKEN.seen else None
        assert isinstance(seen, str), f"while the job 'broken' ran, lock:job:broken held {seen!r}; expected the endpoint's lock"
        left = peek.get("lock:job:broken")
        assert left is None, f"the job 'broken' raised and lock:job:broken is still held (by the token {left!r}): the next run would wait for the lock's TTL (LOCK_TTL_MS); expected the lock released when the job fails"
