"""Entry point of separate Celery workers (with Redis): `celery -A make_celery worker --loglevel INFO -Q c06demo`.
Run the API with C06_DEMO_WORKER=none so that only these workers take the jobs."""
import os

os.environ.setdefault("C06_DEMO_WORKER", "none")

from app import create_app  # noqa: E402

flask_app = create_app()
celery_app = flask_app.extensions["celery"]
