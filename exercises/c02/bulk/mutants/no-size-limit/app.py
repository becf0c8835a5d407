"""Tasks API with all-or-nothing bulk create and bulk delete."""

from flask import Flask, request

MAX_BULK = 100


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

    @app.post("/api/tasks/bulk")
    def bulk_create():
        items = request.get_json(silent=True)
        if not isinstance(items, list) or not items:
            return {"error": "send a non-empty JSON array of tasks"}, 400
        # Validate everything first: one bad item and nothing is written (all or nothing).
        errors = {str(index): error for index, item in enumerate(items) if (error := validate(item))}
        if errors:
            return {"errors": errors}, 400
        return {"items": [save(item) for item in items]}, 201

    @app.delete("/api/tasks/bulk")
    def bulk_delete():
        body = request.get_json(silent=True)
        ids = body.get("ids") if isinstance(body, dict) else None
        if not isinstance(ids, list) or not ids or not all(type(i) is int for i in ids):
            return {"error": 'send {"ids": [<integer>, ...]}'}, 400
        if len(ids) > MAX_BULK:
            return {"error": f"at most {MAX_BULK} ids per request"}, 400
        missing = [i for i in ids if i not in store["tasks"]]
        if missing:
            return {"error": "unknown ids, nothing deleted", "missing": missing}, 404
        for i in ids:
            store["tasks"].pop(i, None)
        return {"deleted": ids}

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
