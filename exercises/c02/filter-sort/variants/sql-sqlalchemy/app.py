"""Tasks in an in-memory SQLite table (SQLAlchemy Core); filters become WHERE, sort keys ORDER BY."""

from flask import Flask, abort, jsonify, request
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, select
from sqlalchemy.pool import StaticPool

from tasks import STATUSES, fresh_tasks

metadata = MetaData()
tasks_table = Table(
    "task", metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String, nullable=False),
    Column("status", String, nullable=False),
    Column("priority", Integer, nullable=False),
)
SORT_COLUMNS = {"id": tasks_table.c.id, "title": tasks_table.c.title, "priority": tasks_table.c.priority}


def create_app(test_config=None):
    app = Flask(__name__)
    engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(tasks_table.insert(), fresh_tasks())

    @app.errorhandler(400)
    def bad_request(error):
        return jsonify(error=error.description), 400

    @app.get("/api/tasks")
    def list_tasks():
        query = select(tasks_table)
        status = request.args.get("status")
        if status is not None:
            if status not in STATUSES:
                abort(400, description=f"status must be one of {STATUSES}")
            query = query.where(tasks_table.c.status == status)
        if "priority_min" in request.args:
            try:
                query = query.where(tasks_table.c.priority >= int(request.args["priority_min"]))
            except ValueError:
                abort(400, description="priority_min must be an integer")
        order = []
        for key in request.args.get("sort", "id").split(","):
            column = SORT_COLUMNS.get(key.removeprefix("-") if hasattr(key, "removeprefix") else key.lstrip("-"))
            if column is None:
                abort(400, description=f"cannot sort by {key}")
            order.append(column.desc() if key.startswith("-") else column.asc())
        query = query.order_by(*order, tasks_table.c.id)
        with engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return jsonify(items=[dict(row) for row in rows])

    return app
