from flask import Flask

from celery_app import celery_init_app
from tasks import GenerateReport
from views import bp


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.update(
        CELERY=dict(broker_url="redis://127.0.0.1:6379/0", result_backend="redis://127.0.0.1:6379/0", task_ignore_result=False),
        REDIS_URL="redis://127.0.0.1:6379/0",
        REPORT_STEP_DELAY=0.1,
        MAX_REPORT_ROWS=500,
    )
    app.config.update(test_config or {})
    celery_app = celery_init_app(app)
    task = GenerateReport()
    task.flask_app = app
    celery_app.register_task(task)
    app.register_blueprint(bp)
    return app
