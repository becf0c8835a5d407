"""Task dependency system: an import is a chain fetch -> transform -> store; a batch is a chord
(every source's fetch -> transform in parallel, then aggregate). The status URLs read every
step's state from the result backend."""
import json

from celery import chain, chord, group
from flask import Flask, jsonify, request, url_for

import source
from celery_app import celery_init_app
from redis_conn import get_redis

STEPS = ("fetch", "transform", "store")
RECORD_TTL = 7 * 24 * 3600


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        CELERY=dict(
            broker_url="redis://127.0.0.1:6379/0",
            result_backend="redis://127.0.0.1:6379/0",
            task_ignore_result=False,
        ),
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    if test_config:
        app.config.update(test_config)
    celery_app = celery_init_app(app)

    from tasks import aggregate, fetch, store, transform

    def bad_source(name):
        if name not in source.known_sources():
            return jsonify(error=f"unknown source {name!r}; known: {', '.join(source.known_sources())}"), 400
        return None

    @app.post("/api/imports")
    def start_import():
        data = request.get_json(silent=True)
        name = data.get("source") if isinstance(data, dict) else None
        problem = bad_source(name)
        if problem:
            return problem
        result = chain(fetch.s(name), transform.s(), store.s()).apply_async()
        ids = [result.parent.parent.id, result.parent.id, result.id]  # fetch, transform, store
        get_redis().set(f"pipeline:{result.id}", json.dumps({"source": name, "steps": ids}), ex=RECORD_TTL)
        first = ids[0]
        get_redis().set(f"pipeline:{first}", json.dumps({"source": name, "steps": ids}), ex=RECORD_TTL)
        status_url = url_for("import_status", pipeline_id=first)
        return jsonify(pipeline_id=first, status_url=status_url), 202, {"Location": status_url}

    @app.get("/api/imports/<pipeline_id>")
    def import_status(pipeline_id):
        record = get_redis().get(f"pipeline:{pipeline_id}")
        if record is None:
            return jsonify(error=f"no import {pipeline_id}"), 404
        record = json.loads(record)
        results = [celery_app.AsyncResult(task_id) for task_id in record["steps"]]
        steps = [{"name": name, "task_id": r.id, "state": r.state} for name, r in zip(STEPS, results)]
        body = {"pipeline_id": pipeline_id, "source": record["source"], "steps": steps}
        failed = next((i for i, r in enumerate(results) if r.state == "FAILURE"), None)
        if failed is not None:
            body.update(state="FAILURE", failed_step=STEPS[failed], error=str(results[failed].result))
        elif results[-1].state == "SUCCESS":
            body.update(state="SUCCESS", result=results[-1].result)
        elif any(r.state == "SUCCESS" for r in results):
            body["state"] = "RUNNING"
        else:
            body["state"] = "PENDING"
        return jsonify(body)

    @app.post("/api/imports/batch")
    def start_batch():
        data = request.get_json(silent=True)
        names = data.get("sources") if isinstance(data, dict) else None
        if not isinstance(names, list) or not names:
            return jsonify(error="sources must be a non-empty list of source names"), 400
        for name in names:
            problem = bad_source(name)
            if problem:
                return problem
        header = group([chain(fetch.s(name), transform.s()) for name in names])  # a list, not a generator
        result = chord(header)(aggregate.s())
        get_redis().set(f"batch:{result.id}", json.dumps(names), ex=RECORD_TTL)
        status_url = url_for("batch_status", batch_id=result.id)
        return jsonify(batch_id=result.id, status_url=status_url), 202, {"Location": status_url}

    @app.get("/api/imports/batch/<batch_id>")
    def batch_status(batch_id):
        names = get_redis().get(f"batch:{batch_id}")
        if names is None:
            return jsonify(error=f"no batch {batch_id}"), 404
        result = celery_app.AsyncResult(batch_id)
        body = {"batch_id": batch_id, "sources": json.loads(names), "state": result.state}
        if result.state == "SUCCESS":
            body["result"] = result.result
        elif result.state == "FAILURE":
            body["error"] = str(result.result)
        return jsonify(body)

    return app
