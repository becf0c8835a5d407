"""Tasks API: GET /api/tasks lists every task. Filtering and sorting are yours to add."""

from flask import Flask

from tasks import fresh_tasks


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config:
        app.config.update(test_config)
    app.extensions["tasks"] = fresh_tasks()

    @app.get("/api/tasks")
    def list_tasks():
        return {"items": app.extensions["tasks"]}

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
