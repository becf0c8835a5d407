import json

from celery import chord, group
from flask import Flask, current_app, jsonify, request, url_for
from flask.views import MethodView

import source
from celery_app import celery_init_app
from pipeline import Pipeline
from redis_conn import get_redis


def _celery():
    return current_app.extensions["celery"]


class ImportsView(MethodView):
    def post(self):
        payload = request.get_json(silent=True)
        name = payload.get("source") if isinstance(payload, dict) else None
        if name not in source.known_sources():
            return jsonify(error=f"unknown source: {name!r}"), 400
        pipeline = Pipeline.launch(_celery(), name)
        url = url_for("import_status", pipeline_id=pipeline.id)
        return jsonify(pipeline_id=pipeline.id, status_url=url), 202, {"Location": url}


class ImportStatusView(MethodView):
    def get(self, pipeline_id):
        pipeline = Pipeline.load(pipeline_id)
        if pipeline is None:
            return jsonify(error="no such import"), 404
        return jsonify(pipeline.describe(_celery()))


class BatchView(MethodView):
    def post(self):
        payload = request.get_json(silent=True)
        names = payload.get("sources") if isinstance(payload, dict) else None
        known = set(source.known_sources())
        if not names or not isinstance(names, list) or not set(names) <= known:
            return jsonify(error="sources must list known source names"), 400
        sig = _celery().signature
        parts = group([sig("pipeline.fetch", args=(n,)) | sig("pipeline.transform") for n in names])
        result = chord(parts, sig("pipeline.aggregate")).delay()
        get_redis().set("batch:" + result.id, json.dumps(names), ex=604800)
        url = url_for("batch_status", batch_id=result.id)
        return jsonify(batch_id=result.id, status_url=url), 202, {"Location": url}


class BatchStatusView(MethodView):
    def get(self, batch_id):
        raw = get_redis().get("batch:" + batch_id)
        if raw is None:
            return jsonify(error="no such batch"), 404
        r = _celery().AsyncResult(batch_id)
        out = {"batch_id": batch_id, "sources": json.loads(raw), "state": r.state}
        if r.successful():
            out["result"] = r.result
        elif r.failed():
            out["error"] = str(r.result)
        return jsonify(out)


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        CELERY=dict(broker_url="redis://127.0.0.1:6379/0", result_backend="redis://127.0.0.1:6379/0", task_ignore_result=False),
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    if test_config:
        app.config.update(test_config)
    celery_init_app(app)
    import tasks  # noqa: F401 - the shared tasks, called here by name only

    app.add_url_rule("/api/imports", view_func=ImportsView.as_view("start_import"))
    app.add_url_rule("/api/imports/<pipeline_id>", view_func=ImportStatusView.as_view("import_status"))
    app.add_url_rule("/api/imports/batch", view_func=BatchView.as_view("start_batch"))
    app.add_url_rule("/api/imports/batch/<batch_id>", view_func=BatchStatusView.as_view("batch_status"))
    return app
