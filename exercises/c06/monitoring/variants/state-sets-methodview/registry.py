"""Job registry: a hash per job (`jobrec:<id>`), a set of ids per state (`jobstate:<state>`) so
counts are SCARD, running totals of runtimes for the average, and a sorted set by queue time.
A state change moves the id between the state sets in the same MULTI/EXEC as the hash, under
WATCH of the job's hash."""
import json
import time

from redis.exceptions import WatchError

from redis_conn import get_redis

STATES = ("queued", "started", "retrying", "succeeded", "failed", "cancelled")
ORDER = "jobrec:order"
RUNTIME_SUM, RUNTIME_COUNT = "jobrec:runtime:sum", "jobrec:runtime:count"


def rec_key(job_id):
    return f"jobrec:{job_id}"


def state_key(state):
    return f"jobstate:{state}"


def create(job_id, name, args):
    now = time.time()
    tx = get_redis().pipeline()
    tx.hset(rec_key(job_id), mapping={"id": job_id, "name": name, "args": json.dumps(args), "state": "queued", "retries": 0, "queued_at": now})
    tx.sadd(state_key("queued"), job_id)
    tx.zadd(ORDER, {job_id: now})
    tx.execute()


def move(job_id, allowed, new_state, **fields):
    """Move the job to new_state if it is in `allowed`; returns its state before (None if unknown)."""
    key = rec_key(job_id)
    with get_redis().pipeline() as pipe:
        for _ in range(50):
            try:
                pipe.watch(key)
                old, started_at = pipe.hmget(key, "state", "started_at")
                if old is None or old not in allowed:
                    return old
                now = time.time()
                if new_state == "started" and started_at is None:
                    fields["started_at"] = now
                runtime = None
                if new_state in ("succeeded", "failed"):
                    runtime = now - float(started_at)
                    fields.update(finished_at=now, runtime=runtime)
                pipe.multi()
                pipe.hset(key, mapping={"state": new_state, **fields})
                pipe.smove(state_key(old), state_key(new_state), job_id)
                if runtime is not None:
                    pipe.incrbyfloat(RUNTIME_SUM, runtime)
                    pipe.incr(RUNTIME_COUNT)
                pipe.execute()
                return old
            except WatchError:
                continue
    raise RuntimeError(f"job {job_id} kept changing")


def load(job_id, raw=None):
    raw = raw if raw is not None else get_redis().hgetall(rec_key(job_id))
    if not raw:
        return None
    floats = {k: (float(raw[k]) if k in raw else None) for k in ("queued_at", "started_at", "finished_at", "runtime")}
    return {
        "id": raw["id"], "name": raw["name"], "args": json.loads(raw["args"]), "state": raw["state"],
        "retries": int(raw["retries"]), **floats,
        "result": json.loads(raw["result"]) if "result" in raw else None, "error": raw.get("error"),
    }


def newest_first(ids_filter=None):
    r = get_redis()
    ids = r.zrevrange(ORDER, 0, -1)
    if ids_filter is not None:
        ids = [i for i in ids if i in ids_filter]
    pipe = r.pipeline(transaction=False)
    for job_id in ids:
        pipe.hgetall(rec_key(job_id))
    return [load(i, raw) for i, raw in zip(ids, pipe.execute()) if raw]


def stats():
    r = get_redis()
    pipe = r.pipeline(transaction=False)
    for state in STATES:
        pipe.scard(state_key(state))
    pipe.get(RUNTIME_SUM)
    pipe.get(RUNTIME_COUNT)
    *counts, total_runtime, finished = pipe.execute()
    counts = dict(zip(STATES, counts))
    average = float(total_runtime) / int(finished) if finished and int(finished) else None
    return {"counts": counts, "total": sum(counts.values()), "average_runtime": average}
