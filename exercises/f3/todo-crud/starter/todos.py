"""CRUD for todos as a JSON API: Create, Read, Update, Delete."""
from flask import Blueprint, abort, request, url_for  # noqa: F401 - you will need them

from models import Todo, db

bp = Blueprint("todos", __name__, url_prefix="/todos")


@bp.get("")
def list_todos():
    """Read (all): GET /todos -> 200 and a JSON list of todos, oldest first."""
    todos = db.session.execute(db.select(Todo).order_by(Todo.id)).scalars()
    return [todo.to_dict() for todo in todos]


# TODO Create: POST /todos with {"title": "Buy milk"}
#   -> 201, the new todo as JSON ({"id": 1, "title": "Buy milk", "done": false})
#      and a Location header with its URL (/todos/1).
#   -> 400 when the title is missing or blank.


# TODO Read (one): GET /todos/<id> -> 200 and the todo, or 404 when it does not exist.


# TODO Update: PATCH /todos/<id> with {"done": true} and/or {"title": "..."}
#   -> 200 and the updated todo; 404 when it does not exist.


# TODO Delete: DELETE /todos/<id> -> 204 with an empty body; 404 when it does not exist.
