"""A tiny app in the c06 pattern (celery_init_app, a shared_task), for test_services_celery.py."""
from celery import Celery, Task, shared_task
from flask import Flask, jsonify


def celery_init_app(app):
    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(app.config["CELERY"])
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app


@shared_task(bind=True, name="demo.double")
def double(self, x):
    if self.request.retries < 1:
        raise self.retry(countdown=0.2)  # runs again after a countdown (kombu's event loop timer)
    return 2 * x


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(CELERY=dict(broker_url="redis://127.0.0.1:6379/0", result_backend="redis://127.0.0.1:6379/0"))
    if test_config:
        app.config.update(test_config)
    celery_init_app(app)

    @app.post("/double/<int:x>")
    def send(x):
        return jsonify(task_id=double.delay(x).id), 202

    return app
