"""The job registry, in Redis: one hash `job:<id>` per job and a sorted set `jobs:index` of the ids
by the time they were queued (newest first when listed).

States: queued -> started -> (retrying -> started)* -> succeeded | failed; queued or retrying ->
cancelled. Every change of state is a WATCH/MULTI/EXEC transaction that first checks where the job
is, so a cancel and a worker starting the job at the same moment cannot both win."""
import json
import time

import redis

from redis_conn import get_redis

STATES = ("queued", "started", "retrying", "succeeded", "failed", "cancelled")
CANCELLABLE = {"queued", "retrying"}
INDEX = "jobs:index"


def _key(job_id):
    return f"job:{job_id}"


def record_queued(job_id, name, args):
    now = time.time()
    with get_redis().pipeline() as tx:
        tx.hset(_key(job_id), mapping={
            "id": job_id, "name": name, "args": json.dumps(args), "state": "queued",
            "retries": 0, "queued_at": now,
        })
        tx.zadd(INDEX, {job_id: now})
        tx.execute()


def _transition(job_id, allowed, fields):
    """Set `fields` if the job's state is in `allowed`; returns the state before (None: no job)."""
    key = _key(job_id)
    with get_redis().pipeline() as pipe:
        while True:
            try:
                pipe.watch(key)
                state = pipe.hget(key, "state")
                if state is None or state not in allowed:
                    return state
                pipe.multi()
                pipe.hset(key, mapping=fields)
                pipe.execute()
                return state
            except redis.WatchError:
                continue


def mark_started(job_id):
    """False when the job was cancelled (or is unknown): the worker must not run it."""
    key = _key(job_id)
    get_redis().hset(key, "state", "started")
    get_redis().hsetnx(key, "started_at", time.time())  # the first attempt's start
    return True


def mark_retrying(job_id, retries, error):
    _transition(job_id, {"started"}, {"state": "retrying", "retries": retries, "error": error})


def _finish(job_id, state, retries, **fields):
    r = get_redis()
    started = r.hget(_key(job_id), "started_at")
    now = time.time()
    values = {"state": state, "retries": retries, "finished_at": now, **fields}
    if started is not None:
        values["runtime"] = round(now - float(started), 6)
    _transition(job_id, {"started"}, values)


def mark_succeeded(job_id, retries, result):
    _finish(job_id, "succeeded", retries, result=json.dumps(result))


def mark_failed(job_id, retries, error):
    _finish(job_id, "failed", retries, error=error)


def cancel(job_id):
    """The state before: 'queued'/'retrying' means it is now cancelled."""
    return _transition(job_id, CANCELLABLE, {"state": "cancelled", "finished_at": time.time()})


def _decode(raw):
    def number(name):
        value = raw.get(name)
        return float(value) if value is not None else None

    return {
        "id": raw["id"],
        "name": raw["name"],
        "args": json.loads(raw.get("args", "[]")),
        "state": raw["state"],
        "retries": int(raw.get("retries", 0)),
        "queued_at": number("queued_at"),
        "started_at": number("started_at"),
        "finished_at": number("finished_at"),
        "runtime": number("runtime"),
        "result": json.loads(raw["result"]) if "result" in raw else None,
        "error": raw.get("error"),
    }


def get_job(job_id):
    raw = get_redis().hgetall(_key(job_id))
    return _decode(raw) if raw else None


def all_jobs():
    """Every job, newest first."""
    r = get_redis()
    ids = r.zrevrange(INDEX, 0, -1)
    with r.pipeline(transaction=False) as pipe:
        for job_id in ids:
            pipe.hgetall(_key(job_id))
        raws = pipe.execute()
    return [_decode(raw) for raw in raws if raw]
