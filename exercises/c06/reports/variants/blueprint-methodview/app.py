from flask import Flask

from celery_app import celery_init_app


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        CELERY={"broker_url": "redis://127.0.0.1:6379/0", "result_backend": "redis://127.0.0.1:6379/0", "task_ignore_result": False},
        REDIS_URL="redis://127.0.0.1:6379/0",
        REPORT_STEP_DELAY=0.1,
        MAX_REPORT_ROWS=500,
    )
    if test_config:
        app.config.update(test_config)
    celery_app = celery_init_app(app)

    from reports import bp
    from tasks import register_tasks

    app.extensions["report_tasks"] = register_tasks(celery_app)
    app.register_blueprint(bp)
    return app
