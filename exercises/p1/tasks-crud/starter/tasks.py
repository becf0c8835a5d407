"""/api/tasks: CRUD on tasks, validated and documented with Flask-RESTX models."""
from flask_restx import Namespace, Resource, fields

from models import STATUSES, Task, db

ns = Namespace("tasks", description="Tasks", path="/api/tasks")

task_output = ns.model("Task", {
    "id": fields.Integer(readonly=True, description="The task's id"),
    "title": fields.String(description="What to do"),
    "description": fields.String(description="Details"),
    "status": fields.String(enum=list(STATUSES), description="Progress"),
})

# TODO: input models "TaskInput" (title required) and "TaskPatch" (nothing required), validated.


@ns.route("")
class TaskList(Resource):
    @ns.marshal_list_with(task_output)
    def get(self):
        """List tasks"""
        # TODO: read the tasks from the database, oldest first; filter by ?status=
        return []

    # TODO: post -> 201 with the new task


# TODO: /<int:task_id> with get, patch and delete (404 for an unknown id)
