"""Tasks API with filtering (?status=, ?priority_min=) and multi-key sorting (?sort=-priority,title)."""

from flask import Flask, request

from tasks import STATUSES, fresh_tasks

SORTABLE = ("id", "title", "priority")


class BadQuery(Exception):
    """A query parameter the API cannot honour: answered 400, never ignored."""


def parse_sort(value):
    """'-priority,title' -> [("priority", True), ("title", False)]; unknown fields raise BadQuery."""
    keys = []
    for part in (value or "id").split(","):
        part = part.strip()
        descending = part.startswith("-")
        field = part.lstrip("-")
        if field not in SORTABLE:
            raise BadQuery(f"cannot sort by {field!r}; sortable fields: {', '.join(SORTABLE)}")
        keys.append((field, descending))
    return keys


def apply_sort(items, keys):
    # Python's sort is stable: sorting by the last key first gives a multi-key order.
    for field, descending in reversed(keys):
        items = sorted(items, key=lambda task: task[field], reverse=descending)
    return items


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config:
        app.config.update(test_config)
    app.extensions["tasks"] = fresh_tasks()

    @app.errorhandler(BadQuery)
    def bad_query(error):
        return {"error": str(error)}, 400

    @app.get("/api/tasks")
    def list_tasks():
        items = list(app.extensions["tasks"])
        status = request.args.get("status")
        if status is not None:
            if status not in STATUSES:
                raise BadQuery(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
            items = [task for task in items if task["status"] == status]
        elif "priority_min" in request.args:
            priority_min = request.args.get("priority_min", type=int)
            if priority_min is None:
                raise BadQuery("priority_min must be an integer")
            items = [task for task in items if task["priority"] >= priority_min]
        keys = parse_sort(request.args.get("sort"))
        # id last, so equal keys keep a stable, predictable order
        return {"items": apply_sort(items, keys + [("id", False)])}

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
