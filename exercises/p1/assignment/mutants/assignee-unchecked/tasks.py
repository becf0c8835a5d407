"""/api/tasks: tasks with an owner and an assignee, validated and documented with Flask-RESTX models.

Who may do what:  owner -> everything;  assignee -> read, change the status;  anyone else -> 404.
"""
from flask import g
from flask_restx import Namespace, Resource, fields

from auth import login_required
from models import STATUSES, Task, User, db

# Every operation needs a bearer token (documented, and enforced by login_required).
ns = Namespace("tasks", description="Tasks", path="/api/tasks", decorators=[login_required])


class NullableInteger(fields.Integer):
    """An integer or null (JSON Schema type ["integer", "null"])."""
    __schema_type__ = ["integer", "null"]


# What a client may send. PATCH uses the same fields, none required.
_fields = {
    "assignee_id": NullableInteger(description="The id of the user who works on it, or null", example=None),
    "title": fields.String(min_length=1, max_length=200, description="What to do", example="Write the report"),
    "description": fields.String(max_length=2000, description="Details", example="Two pages, with charts"),
    "status": fields.String(enum=list(STATUSES), description="Progress", example="todo"),
}
task_patch = ns.model("TaskPatch", _fields)
task_input = ns.model("TaskInput", {**_fields, "title": fields.String(
    required=True, min_length=1, max_length=200, description="What to do", example="Write the report")})
task_output = ns.model("Task", {
    "id": fields.Integer(readonly=True, description="The task's id"),
    "title": fields.String(description="What to do"),
    "description": fields.String(description="Details"),
    "status": fields.String(enum=list(STATUSES), description="Progress"),
    "owner_id": fields.Integer(readonly=True, description="The id of the user who created it"),
    "assignee_id": fields.Integer(description="The id of the user who works on it, or null"),
})

list_args = ns.parser()
list_args.add_argument("status", choices=STATUSES, location="args", help="Only tasks with this status")


def visible_to(user):
    return db.or_(Task.owner_id == user.id, Task.assignee_id == user.id)


def get_task_or_404(task_id):
    """A task the current user owns or works on; 404 for any other (its existence is not revealed)."""
    task = db.session.get(Task, task_id)
    if task is None or g.user.id not in (task.owner_id, task.assignee_id):
        ns.abort(404, f"Task {task_id} not found")
    return task


def check_assignee(data):
    """400 unless assignee_id (when sent) is null or the id of a user."""
    assignee_id = data.get("assignee_id")
    return assignee_id


# What an assignee who is not the owner may change.
ASSIGNEE_FIELDS = {"status"}


@ns.route("")
@ns.response(401, "No valid access token")
@ns.doc(security="Bearer")
class TaskList(Resource):
    @ns.expect(list_args)
    @ns.response(400, "Unknown status")
    @ns.marshal_list_with(task_output)
    def get(self):
        """List tasks (oldest first), optionally only those with one status"""
        args = list_args.parse_args()
        query = db.select(Task).where(visible_to(g.user)).order_by(Task.id)
        if args["status"]:
            query = query.where(Task.status == args["status"])
        return db.session.execute(query).scalars().all()

    @ns.expect(task_input, validate=True)
    @ns.response(400, "Invalid task")
    @ns.marshal_with(task_output, code=201, description="Task created")
    def post(self):
        """Create a task"""
        data = ns.payload
        check_assignee(data)
        task = Task(title=data["title"], description=data.get("description", ""),
                    status=data.get("status", "todo"), owner_id=g.user.id,
                    assignee_id=data.get("assignee_id"))
        db.session.add(task)
        db.session.commit()
        return task, 201


@ns.route("/<int:task_id>")
@ns.param("task_id", "The task's id")
@ns.response(404, "Task not found")
@ns.response(401, "No valid access token")
@ns.doc(security="Bearer")
class TaskItem(Resource):
    @ns.marshal_with(task_output)
    def get(self, task_id):
        """Read one task"""
        return get_task_or_404(task_id)

    @ns.expect(task_patch, validate=True)
    @ns.response(400, "Invalid change")
    @ns.response(403, "The assignee may only change the status")
    @ns.marshal_with(task_output)
    def patch(self, task_id):
        """Change some fields of a task (the assignee: only the status)"""
        task = get_task_or_404(task_id)
        if task.owner_id != g.user.id and set(ns.payload) - ASSIGNEE_FIELDS:
            ns.abort(403, "As the assignee you may only change the status")
        check_assignee(ns.payload)
        for name in ("title", "description", "status", "assignee_id"):
            if name in ns.payload:
                setattr(task, name, ns.payload[name])
        db.session.commit()
        return task

    @ns.response(204, "Task deleted")
    @ns.response(403, "Only the owner may delete a task")
    def delete(self, task_id):
        """Delete a task (the owner only)"""
        task = get_task_or_404(task_id)
        if task.owner_id != g.user.id:
            ns.abort(403, "Only the owner may delete this task")
        db.session.delete(task)
        db.session.commit()
        return "", 204
