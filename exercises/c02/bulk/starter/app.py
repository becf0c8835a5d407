"""Tasks API: list and create one task at a time. Bulk endpoints are yours to add."""

from flask import Flask, request


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config:
        app.config.update(test_config)
    store = {"tasks": {}, "next_id": 1}
    app.extensions["store"] = store

    def validate(item):
        if not isinstance(item, dict):
            return "must be an object"
        title = item.get("title")
        if not isinstance(title, str) or not title.strip():
            return "title is required"
        if "done" in item and not isinstance(item["done"], bool):
            return "done must be true or false"
        return None

    def save(item):
        task = {"id": store["next_id"], "title": item["title"].strip(), "done": item.get("done", False)}
        store["tasks"][task["id"]] = task
        store["next_id"] += 1
        return task

    @app.get("/api/tasks")
    def list_tasks():
        return {"items": list(store["tasks"].values())}

    @app.post("/api/tasks")
    def create_task():
        item = request.get_json(silent=True)
        error = validate(item)
        if error:
            return {"error": error}, 400
        return save(item), 201

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
