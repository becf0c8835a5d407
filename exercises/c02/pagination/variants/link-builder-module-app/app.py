"""Module-level app; relative links built with urlencode, validation by try/int."""

import math
from urllib.parse import urlencode

from flask import Flask, jsonify, request

app = Flask(__name__)
TASKS = [{"id": n, "title": f"Task {n}", "done": n % 3 == 0} for n in range(1, 24)]


@app.route("/api/tasks")
def list_tasks():
    try:
        page = int(request.args.get("page", "1"))
        per_page = int(request.args.get("per_page", "10"))
    except ValueError:
        return jsonify(message="page and per_page must be integers"), 400
    if page < 1 or per_page < 1:
        return jsonify(message="page and per_page start at 1"), 400
    per_page = min(per_page, 100)
    total = len(TASKS)
    pages = max(1, math.ceil(total / per_page))

    def href(p):
        return "/api/tasks?" + urlencode({"page": p, "per_page": per_page})

    offset = (page - 1) * per_page
    return jsonify(
        items=TASKS[offset:offset + per_page], page=page, per_page=per_page, total=total, pages=pages,
        links={"self": href(page), "first": href(1), "last": href(pages),
               "next": href(page + 1) if page < pages else None,
               "prev": href(page - 1) if page > 1 else None},
    )
