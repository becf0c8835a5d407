import json

from celery import chord
from flask import Blueprint, abort, current_app, jsonify, request, url_for

from redis_conn import get_redis
from source import known_sources

bp = Blueprint("imports", __name__, url_prefix="/api/imports")
NAMES = ["fetch", "transform", "store"]


@bp.errorhandler(400)
@bp.errorhandler(404)
def as_json(error):
    return jsonify(error=error.description), error.code


def _tasks():
    return current_app.extensions["pipeline_tasks"]


def _chain_ids(last):
    ids, node = [], last
    while node is not None:
        ids.append(node.id)
        node = node.parent
    return ids[::-1]


@bp.post("")
def start():
    body = request.get_json(silent=True) or {}
    name = body.get("source") if isinstance(body, dict) else None
    if name not in known_sources():
        abort(400, "source must be one of %s" % ", ".join(known_sources()))
    t = _tasks()
    last = (t["fetch"].s(name) | t["transform"].s() | t["store"].s()).apply_async()
    get_redis().set("pipeline:" + last.id, json.dumps({"source": name, "steps": _chain_ids(last)}))
    url = url_for("imports.status", pipeline_id=last.id)
    return jsonify(pipeline_id=last.id, status_url=url), 202, {"Location": url}


@bp.get("/<pipeline_id>")
def status(pipeline_id):
    raw = get_redis().get("pipeline:" + pipeline_id)
    if raw is None:
        abort(404, "unknown import " + pipeline_id)
    record = json.loads(raw)
    celery_app = current_app.extensions["celery"]
    steps = []
    for name, task_id in zip(NAMES, record["steps"]):
        steps.append({"name": name, "task_id": task_id, "state": celery_app.AsyncResult(task_id).state})
    out = {"pipeline_id": pipeline_id, "source": record["source"], "steps": steps}
    failures = [s for s in steps if s["state"] == "FAILURE"]
    if failures:
        first = failures[0]
        out.update(state="FAILURE", failed_step=first["name"], error=str(celery_app.AsyncResult(first["task_id"]).result))
    elif steps[-1]["state"] == "SUCCESS":
        out.update(state="SUCCESS", result=celery_app.AsyncResult(pipeline_id).result)
    else:
        out["state"] = "RUNNING" if any(s["state"] == "SUCCESS" for s in steps) else "PENDING"
    return jsonify(out)


@bp.post("/batch")
def start_batch():
    body = request.get_json(silent=True)
    names = body.get("sources") if isinstance(body, dict) else None
    if not isinstance(names, list) or not names or any(n not in known_sources() for n in names):
        abort(400, "sources: a non-empty list of known source names")
    t = _tasks()
    header = [t["fetch"].s(n) | t["transform"].s() for n in names]
    result = chord(header, t["aggregate"].s()).apply_async()
    get_redis().set("batch:" + result.id, json.dumps(names))
    url = url_for("imports.batch_status", batch_id=result.id)
    return jsonify(batch_id=result.id, status_url=url), 202, {"Location": url}


@bp.get("/batch/<batch_id>")
def batch_status(batch_id):
    raw = get_redis().get("batch:" + batch_id)
    if raw is None:
        abort(404, "unknown batch " + batch_id)
    res = current_app.extensions["celery"].AsyncResult(batch_id)
    out = {"batch_id": batch_id, "sources": json.loads(raw), "state": res.state}
    if res.state == "SUCCESS":
        out["result"] = res.result
    elif res.state == "FAILURE":
        out["error"] = str(res.result)
    return jsonify(out)
