"""/api/tasks: CRUD on the current user's tasks, validated and documented with Flask-RESTX models."""
from flask import g
from flask_restx import Namespace, Resource, fields

from auth import login_required
from models import STATUSES, Task, db

# Every operation needs a bearer token (documented, and enforced by login_required).
ns = Namespace("tasks", description="Tasks", path="/api/tasks", decorators=[login_required])

# What a client may send. PATCH uses the same fields, none required.
_fields = {
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
})

list_args = ns.parser()
list_args.add_argument("status", choices=STATUSES, location="args", help="Only tasks with this status")


def get_task_or_404(task_id):
    """The current user's task; 404 for anyone else's (its existence is not revealed)."""
    task = db.session.get(Task, task_id)
    if task is None or task.owner_id != g.user.id:
        ns.abort(404, f"Task {task_id} not found")
    return task


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
        query = db.select(Task).filter_by(owner_id=g.user.id).order_by(Task.id)
        if args["status"]:
            query = query.where(Task.status == args["status"])
        return db.session.execute(query).scalars().all()

    @ns.expect(task_input, validate=True)
    @ns.response(400, "Invalid task")
    @ns.marshal_with(task_output, code=201, description="Task created")
    def post(self):
        """Create a task"""
        data = ns.payload
        task = Task(title=data["title"], description=data.get("description", ""),
                    status=data.get("status", "todo"), owner_id=g.user.id)
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
    @ns.marshal_with(task_output)
    def patch(self, task_id):
        """Change some fields of a task"""
        task = get_task_or_404(task_id)
        for name in ("title", "description", "status"):
            if name in ns.payload:
                setattr(task, name, ns.payload[name])
        db.session.commit()
        return task

    @ns.response(204, "Task deleted")
    def delete(self, task_id):
        """Delete a task"""
        db.session.delete(get_task_or_404(task_id))
        db.session.commit()
        return "", 204
