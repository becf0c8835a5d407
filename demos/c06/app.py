"""c06 demo: a Job Processing API with Status Tracking, every Celery pattern of the chapter in one app.

- 202 and a status URL: POST /api/jobs/report answers at once with the job's id and status URL; a Celery
  worker builds the report one row at a time and reports PROGRESS (done/total) with update_state.
- Retries with exponential backoff: POST /api/jobs/flaky fails its first `fail_times` attempts and retries
  after RETRY_BASE * 2 ** retries seconds, at most MAX_RETRIES times.
- A chain: POST /api/pipelines runs fetch -> transform -> store, each step receiving the previous result;
  GET /api/pipelines/<id> shows each step's state, and where it failed.
- Monitoring: every job is recorded in a registry (Redis hashes, keys prefixed c06demo:) by the API (queued)
  and by the task class around every attempt (started, retrying, succeeded, failed; timings; retries):
  GET /api/jobs (filters state and name, pages), GET /api/jobs/<id>, GET /api/jobs/stats,
  POST /api/jobs/<id>/cancel (a queued job is skipped by the worker).
- A distributed lock: the report of one `name` never runs twice at once: SET NX PX with a random token,
  released by its holder only (WATCH/MULTI/EXEC); a second report of the same name waits for its turn
  (the task retries) instead of running alongside.

Broker: at start the app PINGs REDIS_URL (default redis://127.0.0.1:6379/0, 0.5 s). When it answers, Celery
uses it as broker and result backend (queue c06demo) and the registry lives there; otherwise Celery uses
kombu's in-memory broker and an in-memory result backend, and the registry lives in fakeredis, all inside
this process. Either way a worker thread runs in this process (solo pool), so the demo works on its own; it
says which on stderr at start and in GET /api/jobs/stats. With Redis you may run real workers instead:
C06_DEMO_WORKER=none flask --app app run, and `celery -A make_celery worker --loglevel INFO -Q c06demo`.

Run:  flask --app app run --port 5001   then open http://127.0.0.1:5001/swagger
"""
import json
import logging
import math
import os
import secrets
import sys
import threading
import time
import uuid

import redis
from celery import Celery, Task, chain
from celery.exceptions import Ignore, Retry
from flask import Flask, url_for
from flask_restx import Api, Namespace, Resource, abort, fields
from redis.backoff import NoBackoff
from redis.retry import Retry as RedisRetry

log = logging.getLogger("c06demo")
PREFIX = "c06demo:"
QUEUE = "c06demo"
KEEP_SECONDS = 24 * 3600
STATES = ("queued", "started", "retrying", "succeeded", "failed", "cancelled")


# ---------------------------------------------------------------- which Redis, which broker


def choose_backend(url):
    """(redis client for the registry, broker URL, result backend URL, a sentence for the logs)."""
    if os.environ.get("C06_DEMO_BROKER") != "memory":
        client = redis.Redis.from_url(url, decode_responses=True, socket_connect_timeout=0.5, socket_timeout=2,
                                      retry=RedisRetry(NoBackoff(), 0))
        try:
            client.ping()
            return client, url, url, f"Celery: broker and result backend {redact(url)} (queue {QUEUE})"
        except redis.RedisError as e:
            reason = f"{redact(url)} does not answer ({e.__class__.__name__})"
    else:
        reason = "C06_DEMO_BROKER=memory"
    import fakeredis

    return (fakeredis.FakeRedis(decode_responses=True), "memory://", "cache+memory://",
            f"Celery: in-memory broker (memory://) and result backend, registry in fakeredis: {reason}. "
            "Start Redis (docker run --rm -p 6379:6379 redis:7) to use it")


def redact(url):
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(":" + parts.password + "@", ":***@"))
    return urlunsplit(parts)


# ---------------------------------------------------------------- the job registry


class Registry:
    """One hash c06demo:job:<id> per job, a sorted set c06demo:jobs of ids by queue time. Every change of
    state runs in WATCH/MULTI/EXEC after checking where the job is."""

    def __init__(self, client):
        self.r = client

    def key(self, job_id):
        return f"{PREFIX}job:{job_id}"

    def queued(self, job_id, name, args, pipeline=None):
        now = time.time()
        with self.r.pipeline() as tx:
            record = {"id": job_id, "name": name, "args": json.dumps(args), "state": "queued", "retries": 0, "queued_at": now}
            if pipeline:
                record["pipeline"] = pipeline
            tx.hset(self.key(job_id), mapping=record)
            tx.expire(self.key(job_id), KEEP_SECONDS)  # the registry keeps a day of jobs
            tx.zadd(PREFIX + "jobs", {job_id: now})
            tx.zremrangebyscore(PREFIX + "jobs", 0, now - KEEP_SECONDS)
            tx.execute()

    def move(self, job_id, allowed, state, **fields_):
        key = self.key(job_id)
        with self.r.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    before, started = pipe.hmget(key, "state", "started_at")
                    if before is None or before not in allowed:
                        return before
                    now = time.time()
                    if state == "started" and started is None:
                        fields_["started_at"] = now
                    if state in ("succeeded", "failed", "cancelled"):
                        fields_["finished_at"] = now
                        if started is not None:
                            fields_["runtime"] = round(now - float(started), 3)
                    pipe.multi()
                    pipe.hset(key, mapping={"state": state, **fields_})
                    pipe.execute()
                    return before
                except redis.WatchError:
                    continue

    def progress(self, job_id, done, total):
        self.r.hset(self.key(job_id), mapping={"progress": json.dumps({"done": done, "total": total})})

    def get(self, job_id, raw=None):
        raw = raw if raw is not None else self.r.hgetall(self.key(job_id))
        if not raw:
            return None
        num = lambda k: float(raw[k]) if k in raw else None  # noqa: E731
        return {
            "id": raw["id"], "name": raw["name"], "args": json.loads(raw["args"]), "state": raw["state"],
            "retries": int(raw.get("retries", 0)), "queued_at": num("queued_at"), "started_at": num("started_at"),
            "finished_at": num("finished_at"), "runtime": num("runtime"),
            "progress": json.loads(raw["progress"]) if "progress" in raw else None,
            "result": json.loads(raw["result"]) if "result" in raw else None, "error": raw.get("error"),
            "pipeline": raw.get("pipeline"),
        }

    def newest_first(self):
        ids = self.r.zrevrange(PREFIX + "jobs", 0, -1)
        with self.r.pipeline(transaction=False) as pipe:
            for job_id in ids:
                pipe.hgetall(self.key(job_id))
            raws = pipe.execute()
        return [self.get(i, raw) for i, raw in zip(ids, raws) if raw]


# ---------------------------------------------------------------- a distributed lock


def lock_acquire(r, name, ttl_ms):
    token = secrets.token_hex(16)
    return token if r.set(f"{PREFIX}lock:{name}", token, nx=True, px=ttl_ms) else None


def lock_release(r, name, token):
    key = f"{PREFIX}lock:{name}"
    with r.pipeline() as pipe:
        try:
            pipe.watch(key)
            if pipe.get(key) != token:
                return False
            pipe.multi()
            pipe.delete(key)
            pipe.execute()
            return True
        except redis.WatchError:
            return False


# ---------------------------------------------------------------- Celery


def celery_init_app(app, registry):
    class MonitoredTask(Task):
        """Runs every task in the app context and records each attempt in the registry."""

        def __call__(self, *args, **kwargs):
            with app.app_context():
                job_id, tries = self.request.id, self.request.retries
                if job_id is None or registry.get(job_id) is None:
                    return self.run(*args, **kwargs)
                if registry.move(job_id, {"queued", "retrying"}, "started") not in ("queued", "retrying"):
                    raise Ignore()  # cancelled while queued
                try:
                    result = self.run(*args, **kwargs)
                except Retry as e:
                    registry.move(job_id, {"started"}, "retrying", retries=tries + 1, error=describe(e.exc) if e.exc else str(e))
                    raise
                except Exception as e:
                    registry.move(job_id, {"started"}, "failed", retries=tries, error=describe(e))
                    for later in self.request.chain or []:  # the steps of a chain after this one never run
                        step_id = (later.get("options") or {}).get("task_id")
                        if step_id:
                            registry.move(step_id, {"queued"}, "cancelled", error=f"an earlier step ({self.name}) failed")
                    raise
                registry.move(job_id, {"started"}, "succeeded", retries=tries, result=json.dumps(result))
                return result

    celery_app = Celery(app.name, task_cls=MonitoredTask)
    celery_app.config_from_object(app.config["CELERY"])
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app


def describe(error):
    return f"{type(error).__name__}: {error}"


def define_tasks(celery_app, registry, config):
    @celery_app.task(bind=True, name="demo.report", max_retries=None)
    def report(self, name, rows):
        """Builds a report row by row (PROGRESS), under the lock report:<name> (one at a time per name)."""
        token = lock_acquire(registry.r, f"report:{name}", ttl_ms=60_000)
        if token is None:  # another worker builds this report now: wait for our turn
            raise self.retry(exc=RuntimeError(f"report {name} is being built elsewhere"), countdown=1)
        try:
            total = 0
            for i in range(1, rows + 1):
                time.sleep(config["ROW_DELAY"])
                total += i * i
                self.update_state(state="PROGRESS", meta={"done": i, "total": rows})
                registry.progress(self.request.id, i, rows)
            return {"name": name, "rows": rows, "sum_of_squares": total}
        finally:
            lock_release(registry.r, f"report:{name}", token)

    @celery_app.task(bind=True, name="demo.flaky", max_retries=config["MAX_RETRIES"])
    def flaky(self, fail_times):
        if self.request.retries < fail_times:
            delay = config["RETRY_BASE"] * 2 ** self.request.retries
            raise self.retry(exc=ConnectionError(f"attempt {self.request.retries + 1} failed"), countdown=delay)
        return {"attempts": self.request.retries + 1}

    @celery_app.task(bind=True, name="demo.sleep")
    def sleep(self, seconds):
        time.sleep(min(float(seconds), 30))
        return {"slept": seconds}

    @celery_app.task(bind=True, name="demo.fetch")
    def fetch(self, source):
        time.sleep(config["ROW_DELAY"])
        if source == "broken":
            raise ConnectionError("the source 'broken' does not answer")
        return [{"sku": f"{source}-{i}", "qty": i} for i in range(1, 6)]

    @celery_app.task(bind=True, name="demo.transform")
    def transform(self, records):
        time.sleep(config["ROW_DELAY"])
        return [dict(r, qty=r["qty"] * 10) for r in records]

    @celery_app.task(bind=True, name="demo.store")
    def store(self, records):
        time.sleep(config["ROW_DELAY"])
        return {"stored": len(records), "total_qty": sum(r["qty"] for r in records)}

    return {"report": report, "flaky": flaky, "sleep": sleep, "fetch": fetch, "transform": transform, "store": store}


def start_worker_thread(celery_app):
    """A real Celery worker (solo pool) in a thread of this process: Celery's own test worker."""
    from celery.contrib.testing.worker import start_worker

    cm = start_worker(celery_app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=5, loglevel="WARNING")
    cm.__enter__()
    return cm


# ---------------------------------------------------------------- the API


def create_app(test_config=None):
    app = Flask(__name__)
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    client, broker, backend, note = choose_backend(url)
    app.config.update(
        ROW_DELAY=float(os.environ.get("ROW_DELAY", "0.2")),
        RETRY_BASE=float(os.environ.get("RETRY_BASE", "0.5")),
        MAX_RETRIES=int(os.environ.get("MAX_RETRIES", "4")),
        CELERY=dict(broker_url=broker, result_backend=backend, task_ignore_result=False, task_default_queue=QUEUE,
                    broker_connection_retry_on_startup=False, worker_hijack_root_logger=False,
                    result_expires=3600),
        BACKEND_NOTE=note,
    )
    app.config.update(test_config or {})
    registry = Registry(client)
    celery_app = celery_init_app(app, registry)
    tasks = define_tasks(celery_app, registry, app.config)
    worker = os.environ.get("C06_DEMO_WORKER", "thread")
    if worker == "thread" or broker == "memory://":
        app.extensions["c06demo_worker"] = start_worker_thread(celery_app)
        note += "; a worker thread runs in this process"
    else:
        note += f"; no worker in this process: run `celery -A make_celery worker --loglevel INFO -Q {QUEUE}`"
    app.config["BACKEND_NOTE"] = note
    print(note, file=sys.stderr, flush=True)

    api = Api(app, version="1.0", title="c06 demo: Job Processing API with Status Tracking",
              description="Celery jobs with progress, retries, a chain, a registry with monitoring endpoints, a lock.",
              doc="/swagger")
    jobs = Namespace("jobs", description="Start jobs, follow them, list, cancel, stats", path="/api/jobs")
    pipes = Namespace("pipelines", description="A chain fetch -> transform -> store", path="/api/pipelines")
    api.add_namespace(jobs)
    api.add_namespace(pipes)

    accepted = api.model("Accepted", {"id": fields.String, "state": fields.String, "status_url": fields.String})
    report_in = api.model("ReportIn", {"name": fields.String(example="daily-sales", default="daily-sales"),
                                       "rows": fields.Integer(example=20, min=1, max=200, default=20)})
    flaky_in = api.model("FlakyIn", {"fail_times": fields.Integer(example=2, min=0, max=10, default=2)})
    sleep_in = api.model("SleepIn", {"seconds": fields.Float(example=3, min=0, max=30, default=3)})
    pipeline_in = api.model("PipelineIn", {"source": fields.String(example="orders", description="'broken' makes fetch fail")})

    def start(name, args):
        job_id = str(uuid.uuid4())
        registry.queued(job_id, f"demo.{name}", args)  # before the worker can see it
        tasks[name].apply_async(args=args, task_id=job_id)
        return {"id": job_id, "state": "queued", "status_url": url_for("jobs_job", job_id=job_id)}, 202

    def body():
        from flask import request

        data = request.get_json(silent=True)
        return data if isinstance(data, dict) else {}

    def whole(value, low, high, what):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            abort(400, f"{what} must be a number from {low} to {high}")
        return value

    @jobs.route("/report")
    class ReportJob(Resource):
        @jobs.expect(report_in)
        @jobs.response(202, "Accepted", accepted)
        def post(self):
            """Build a report in the background (PROGRESS), one at a time per name (a lock)"""
            data = body()
            rows = int(whole(data.get("rows", 20), 1, 200, "rows"))
            name = str(data.get("name") or "daily-sales")[:40]
            return start("report", [name, rows])

    @jobs.route("/flaky")
    class FlakyJob(Resource):
        @jobs.expect(flaky_in)
        @jobs.response(202, "Accepted", accepted)
        def post(self):
            """A job that fails its first fail_times attempts and retries with exponential backoff"""
            return start("flaky", [int(whole(body().get("fail_times", 2), 0, 10, "fail_times"))])

    @jobs.route("/sleep")
    class SleepJob(Resource):
        @jobs.expect(sleep_in)
        @jobs.response(202, "Accepted", accepted)
        def post(self):
            """A job that sleeps: queue two, then cancel the second while the first runs"""
            return start("sleep", [whole(body().get("seconds", 3), 0, 30, "seconds")])

    @jobs.route("")
    class JobList(Resource):
        @jobs.doc(params={"state": f"one of {', '.join(STATES)}", "name": "a task name, e.g. demo.report",
                          "page": "from 1", "per_page": "1 to 100 (20)"})
        def get(self):
            """Every job, newest first, filtered by state and name, in pages"""
            from flask import request

            state, name = request.args.get("state"), request.args.get("name")
            if state is not None and state not in STATES:
                abort(400, f"state must be one of {', '.join(STATES)}")
            try:
                page, per_page = int(request.args.get("page", 1)), int(request.args.get("per_page", 20))
            except ValueError:
                abort(400, "page and per_page must be whole numbers")
            if page < 1 or not 1 <= per_page <= 100:
                abort(400, "page from 1, per_page from 1 to 100")
            items = [j for j in registry.newest_first() if state in (None, j["state"]) and name in (None, j["name"])]
            return {"items": items[(page - 1) * per_page: page * per_page], "total": len(items), "page": page, "per_page": per_page}

    @jobs.route("/stats")
    class JobStats(Resource):
        def get(self):
            """Counts per state, average runtime of finished jobs, and which broker this demo uses"""
            all_jobs = registry.newest_first()
            counts = {s: 0 for s in STATES}
            for j in all_jobs:
                counts[j["state"]] += 1
            runtimes = [j["runtime"] for j in all_jobs if j["runtime"] is not None]
            return {"counts": counts, "total": len(all_jobs),
                    "average_runtime": round(sum(runtimes) / len(runtimes), 3) if runtimes else None,
                    "backend": app.config["BACKEND_NOTE"]}

    @jobs.route("/<job_id>", endpoint="jobs_job")
    class Job(Resource):
        def get(self, job_id):
            """One job: its record, with Celery's own state of the task"""
            job = registry.get(job_id)
            if job is None:
                abort(404, f"no job {job_id}")
            job["celery_state"] = celery_app.AsyncResult(job_id).state
            return job

    @jobs.route("/<job_id>/cancel")
    class CancelJob(Resource):
        def post(self, job_id):
            """Cancel a queued (or retrying) job: the worker skips it; 409 once it runs or ran"""
            before = registry.move(job_id, {"queued", "retrying"}, "cancelled")
            if before is None:
                abort(404, f"no job {job_id}")
            if before not in ("queued", "retrying"):
                abort(409, f"job {job_id} is {before}: only a queued job can be cancelled")
            try:
                celery_app.control.revoke(job_id)
            except Exception:
                log.warning("revoke of %s not broadcast", job_id, exc_info=True)
            return {"id": job_id, "state": "cancelled"}

    @pipes.route("")
    class PipelineStart(Resource):
        @pipes.expect(pipeline_in)
        def post(self):
            """Start fetch -> transform -> store as a chain (source 'broken' fails at fetch)"""
            source = str(body().get("source") or "orders")[:40]
            pipeline_id = str(uuid.uuid4())
            steps = [(name, str(uuid.uuid4())) for name in ("fetch", "transform", "store")]
            for i, (name, step_id) in enumerate(steps):
                registry.queued(step_id, f"demo.{name}", [source] if i == 0 else ["<previous result>"], pipeline=pipeline_id)
            registry.r.set(f"{PREFIX}pipeline:{pipeline_id}", json.dumps({"source": source, "steps": steps}), ex=24 * 3600)
            chain(tasks["fetch"].s(source).set(task_id=steps[0][1]),
                  tasks["transform"].s().set(task_id=steps[1][1]),
                  tasks["store"].s().set(task_id=steps[2][1])).apply_async()
            return {"id": pipeline_id, "status_url": url_for("pipelines_pipeline", pipeline_id=pipeline_id)}, 202

    @pipes.route("/<pipeline_id>", endpoint="pipelines_pipeline")
    class Pipeline(Resource):
        def get(self, pipeline_id):
            """Each step's state; the first failed step and its error"""
            text = registry.r.get(f"{PREFIX}pipeline:{pipeline_id}")
            if text is None:
                abort(404, f"no pipeline {pipeline_id}")
            info = json.loads(text)
            steps = [dict(name=name, **{k: (registry.get(i) or {}).get(k) for k in ("id", "state", "result", "error")})
                     for name, i in info["steps"]]
            failed = next((s for s in steps if s["state"] == "failed"), None)
            state = "failed" if failed else steps[-1]["state"] if steps[-1]["state"] == "succeeded" else (
                "running" if any(s["state"] in ("started", "succeeded", "retrying") for s in steps) else "queued")
            out = {"id": pipeline_id, "source": info["source"], "state": state, "steps": steps}
            if failed:
                out.update(failed_step=failed["name"], error=failed["error"])
            return out

    return app
