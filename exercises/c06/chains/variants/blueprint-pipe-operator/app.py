from flask import Flask

from celery_app import celery_init_app


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        CELERY={"broker_url": "redis://127.0.0.1:6379/0", "result_backend": "redis://127.0.0.1:6379/0", "task_ignore_result": False},
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    app.config.update(test_config or {})
    from imports import bp
    from tasks import register_tasks

    app.extensions["pipeline_tasks"] = register_tasks(celery_init_app(app))
    app.register_blueprint(bp)
    return app
