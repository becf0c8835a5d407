"""The task store: plain data, a fresh copy per app."""

SEED = [
    {"id": 1, "title": "Write the API spec", "status": "done", "priority": 2},
    {"id": 2, "title": "Add pagination", "status": "doing", "priority": 3},
    {"id": 3, "title": "Benchmark the list", "status": "todo", "priority": 1},
    {"id": 4, "title": "Cache the articles", "status": "todo", "priority": 3},
    {"id": 5, "title": "Deploy to staging", "status": "todo", "priority": 2},
    {"id": 6, "title": "Announce the release", "status": "done", "priority": 1},
]

STATUSES = ("todo", "doing", "done")


def fresh_tasks():
    return [dict(task) for task in SEED]
