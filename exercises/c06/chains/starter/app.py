"""Task dependency system. TODO: requirements 1, 4, 5 and 6 (see README.md)."""
from flask import Flask, jsonify

from celery_app import celery_init_app


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
    celery_init_app(app)

    import tasks  # noqa: F401 - registers the tasks on the Celery app

    @app.post("/api/imports")
    def start_import():
        # TODO: chain fetch -> transform -> store, answer 202
        return jsonify(error="not implemented"), 501

    @app.get("/api/imports/<pipeline_id>")
    def import_status(pipeline_id):
        # TODO: the state of every step
        return jsonify(error="not implemented"), 501

    @app.post("/api/imports/batch")
    def start_batch():
        # TODO: a chord: every source's fetch -> transform, then aggregate
        return jsonify(error="not implemented"), 501

    @app.get("/api/imports/batch/<batch_id>")
    def batch_status(batch_id):
        # TODO: the batch's state and result
        return jsonify(error="not implemented"), 501

    return app
