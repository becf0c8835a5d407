from flask import Flask

from celery_app import celery_init_app
from tasks import SendInvoice
from views import JobView, SendView


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.update(
        CELERY=dict(broker_url="redis://127.0.0.1:6379/0", result_backend="redis://127.0.0.1:6379/0", task_ignore_result=False),
        REDIS_URL="redis://127.0.0.1:6379/0",
        RETRY_BACKOFF=2.0,
        MAX_RETRIES=3,
    )
    if test_config is not None:
        app.config.update(test_config)
    task = SendInvoice()
    task.flask_app = app
    celery_init_app(app).register_task(task)
    app.add_url_rule("/api/invoices/<int:invoice_id>/send", view_func=SendView.as_view("send"))
    app.add_url_rule("/api/jobs/<task_id>", view_func=JobView.as_view("job"))
    return app
