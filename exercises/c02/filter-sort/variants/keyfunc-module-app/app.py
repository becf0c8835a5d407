"""Module-level app; one sort with a composed key (descending numbers negated, strings via cmp)."""

from functools import cmp_to_key

from flask import Flask, jsonify, request

from tasks import STATUSES, fresh_tasks

app = Flask(__name__)
TASKS = fresh_tasks()
ALLOWED = {"id", "title", "priority"}


def bad(message):
    return jsonify(error=message), 400


@app.route("/api/tasks")
def list_tasks():
    result = TASKS
    status = request.args.get("status")
    if status:
        if status not in STATUSES:
            return bad("unknown status")
        result = [t for t in result if t["status"] == status]
    raw_min = request.args.get("priority_min")
    if raw_min is not None:
        try:
            minimum = int(raw_min)
        except ValueError:
            return bad("priority_min must be an integer")
        result = [t for t in result if t["priority"] >= minimum]

    spec = []
    for token in request.args.get("sort", "id").split(","):
        name = token[1:] if token.startswith("-") else token
        if name not in ALLOWED:
            return bad(f"unknown sort field: {name}")
        spec.append((name, -1 if token.startswith("-") else 1))

    def compare(a, b):
        for name, direction in spec + [("id", 1)]:
            if a[name] != b[name]:
                return direction * (1 if a[name] > b[name] else -1)
        return 0

    return jsonify(items=sorted(result, key=cmp_to_key(compare)))
