"""Entry point of the worker for your dev server: `celery -A make_celery worker --loglevel INFO`
(given: you do not need to change this file)."""
from app import create_app

flask_app = create_app()
celery_app = flask_app.extensions["celery"]
