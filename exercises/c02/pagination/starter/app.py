"""Tasks API: GET /api/tasks answers every task at once. Paginate it."""

from flask import Flask


def make_tasks(count=23):
    return [{"id": n, "title": f"Task {n}", "done": n % 3 == 0} for n in range(1, count + 1)]


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config:
        app.config.update(test_config)
    app.extensions["tasks"] = make_tasks()

    @app.get("/api/tasks")
    def list_tasks():
        return {"items": app.extensions["tasks"]}

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
