"""Module-level app; bulk endpoints build the new state on a copy and swap it in when all is well."""

from flask import Flask, jsonify, request

app = Flask(__name__)
TASKS = []


def problem(item):
    if not isinstance(item, dict):
        return "not an object"
    if not (isinstance(item.get("title"), str) and item["title"].strip()):
        return "a non-blank title is required"
    if not isinstance(item.get("done", False), bool):
        return "done must be a boolean"
    return None


def next_id(tasks):
    return max((t["id"] for t in tasks), default=0) + 1


@app.get("/api/tasks")
def list_tasks():
    return jsonify(items=TASKS)


@app.post("/api/tasks")
def create_task():
    item = request.get_json(silent=True)
    if problem(item):
        return jsonify(error=problem(item)), 400
    task = {"id": next_id(TASKS), "title": item["title"].strip(), "done": item.get("done", False)}
    TASKS.append(task)
    return jsonify(task), 201


@app.route("/api/tasks/bulk", methods=["POST", "DELETE"])
def bulk():
    body = request.get_json(silent=True)
    working = [dict(t) for t in TASKS]
    if request.method == "POST":
        if type(body) is not list or len(body) == 0 or len(body) > 100:
            return jsonify(error="send 1 to 100 tasks as a JSON array"), 400
        errors = {}
        created = []
        for position, item in enumerate(body):
            if problem(item):
                errors[str(position)] = problem(item)
                continue
            task = {"id": next_id(working), "title": item["title"].strip(), "done": item.get("done", False)}
            working.append(task)
            created.append(task)
        if errors:
            return jsonify(errors=errors), 400
        TASKS[:] = working
        return jsonify(items=created), 201
    ids = (body or {}).get("ids") if isinstance(body, dict) else None
    if not isinstance(ids, list) or not ids:
        return jsonify(error="ids required"), 400
    known = {t["id"] for t in working}
    missing = [i for i in ids if i not in known]
    if missing:
        return jsonify(missing=missing), 404
    TASKS[:] = [t for t in working if t["id"] not in ids]
    return jsonify(deleted=ids), 200
