"""Tasks API with page-number pagination: a slice, the totals and links to navigate."""

from flask import Flask, request, url_for

DEFAULT_PER_PAGE = 10
MAX_PER_PAGE = 100


def make_tasks(count=23):
    return [{"id": n, "title": f"Task {n}", "done": n % 3 == 0} for n in range(1, count + 1)]


def positive_int(name, default):
    """The parameter as an int >= 1, the default when absent, None when invalid.
    (request.args.get(name, default, type=int) would hide "abc" behind the default.)"""
    if name not in request.args:
        return default
    value = request.args.get(name, type=int)
    if value is None or value < 1:
        return None
    return value


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config:
        app.config.update(test_config)
    app.extensions["tasks"] = make_tasks()

    @app.get("/api/tasks")
    def list_tasks():
        page = positive_int("page", 1)
        per_page = positive_int("per_page", DEFAULT_PER_PAGE)
        if page is None or per_page is None:
            return {"error": "page and per_page must be positive integers"}, 400
        per_page = min(per_page, MAX_PER_PAGE)

        tasks = app.extensions["tasks"]
        total = len(tasks)
        pages = max(1, -(-total // per_page))  # ceiling division; an empty list still has page 1
        start = (page - 1) * per_page

        def link(number):
            return url_for("list_tasks", page=number, per_page=per_page, _external=True)

        return {
            "items": tasks[start:start + per_page],
            "page": page,
            "per_page": per_page,
            "total": total,
            "pages": pages,
            "links": {
                "self": link(page),
                "first": link(1),
                "last": link(pages),
                "next": link(page + 1) if page < pages else None,
                "prev": link(page - 1) if 1 < page <= pages + 1 else None,
            },
        }

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
