"""c03 demo: a multi-tenant API whose every answer says how many SQL statements it ran.

Projects and their tasks are shared by all tenants in one schema: every row has a `tenant_id`,
the tenant comes from the `X-Tenant-ID` header and every query filters on it, so another
tenant's project answers 404 exactly like a missing one. Every response carries
`X-SQL-Statements`, counted with an SQLAlchemy engine event: list the projects with
`?eager=false` to watch the N+1 (one SELECT per project), and without it to see
`selectinload` keep the count at 2. SQLite in memory: every start is fresh.

Run:  flask --app app run --port 5001   then open http://127.0.0.1:5001/swagger
"""
import re

from flask import Flask, g, has_app_context, request
from flask_restx import Api, Namespace, Resource, fields, inputs, marshal
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event
from sqlalchemy.orm import selectinload

db = SQLAlchemy()
TENANT = re.compile(r"[a-z0-9-]{1,40}")


class Project(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    tenant_id = db.Column(db.String(40), nullable=False, index=True)
    name = db.Column(db.String(100), nullable=False)
    tasks = db.relationship("Task", back_populates="project", order_by="Task.id", cascade="all, delete-orphan")


class Task(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    tenant_id = db.Column(db.String(40), nullable=False, index=True)
    project_id = db.Column(db.Integer, db.ForeignKey("project.id"), nullable=False, index=True)
    title = db.Column(db.String(200), nullable=False)
    project = db.relationship("Project", back_populates="tasks")


ns = Namespace("projects", description="One tenant's projects (X-Tenant-ID) and the SQL each answer costs")
tenant_header = ns.parser()
tenant_header.add_argument("X-Tenant-ID", location="headers", required=True,
                           help="Your tenant: lower-case letters, digits and dashes (acme and globex have data)")
list_args = tenant_header.copy()
list_args.add_argument("eager", type=inputs.boolean, default=True, location="args",
                       help="true: selectinload the tasks (2 statements); false: lazy loading, one more per project")

task = ns.model("Task", {"id": fields.Integer(readonly=True), "title": fields.String(required=True, min_length=1)})
project_in = ns.model("ProjectInput", {"name": fields.String(required=True, min_length=1, max_length=100)})
project = ns.inherit("Project", project_in, {
    "id": fields.Integer(readonly=True),
    "tasks": fields.List(fields.Nested(task), readonly=True),
})
project_list = ns.model("ProjectList", {
    "items": fields.List(fields.Nested(project)),
    "sql_statements": fields.Integer(description="SQL statements this request ran up to here"),
})


def current_tenant():
    tenant = tenant_header.parse_args()["X-Tenant-ID"]
    if not TENANT.fullmatch(tenant):
        ns.abort(400, "X-Tenant-ID must be 1 to 40 lower-case letters, digits or dashes.")
    return tenant


def tenant_project(project_id, tenant):
    """The tenant's project, or 404: another tenant's id looks exactly like a missing one."""
    stmt = db.select(Project).where(Project.id == project_id, Project.tenant_id == tenant)
    found = db.session.execute(stmt.options(selectinload(Project.tasks))).scalar_one_or_none()
    if found is None:
        ns.abort(404, f"Project {project_id} does not exist.")
    return found


@ns.route("")
class ProjectList(Resource):
    @ns.expect(list_args)
    @ns.response(200, "The tenant's projects with their tasks", project_list)
    def get(self):
        """The tenant's projects with their tasks; compare X-SQL-Statements with ?eager=false."""
        args = list_args.parse_args()
        tenant = current_tenant()
        stmt = db.select(Project).where(Project.tenant_id == tenant).order_by(Project.id)
        if args["eager"]:
            stmt = stmt.options(selectinload(Project.tasks))  # 1 more SELECT ... WHERE project_id IN (...)
        projects = db.session.execute(stmt).scalars().all()
        items = marshal(projects, project)  # with eager=false each project.tasks runs its own SELECT here
        return {"items": items, "sql_statements": g.sql_statements}

    @ns.expect(tenant_header, project_in, validate=True)
    @ns.marshal_with(project, code=201)
    def post(self):
        """Create a project for the tenant (the tenant comes from the header, never from the body)."""
        new = Project(tenant_id=current_tenant(), name=ns.payload["name"], tasks=[])
        db.session.add(new)
        db.session.commit()
        return new, 201


@ns.route("/<int:project_id>")
@ns.response(404, "No such project for this tenant")
class ProjectItem(Resource):
    @ns.expect(tenant_header)
    @ns.marshal_with(project)
    def get(self, project_id):
        """One of the tenant's projects."""
        return tenant_project(project_id, current_tenant())

    @ns.expect(tenant_header)
    @ns.response(204, "Deleted, with its tasks")
    def delete(self, project_id):
        """Delete one of the tenant's projects."""
        db.session.delete(tenant_project(project_id, current_tenant()))
        db.session.commit()
        return "", 204


@ns.route("/<int:project_id>/tasks")
@ns.response(404, "No such project for this tenant")
class TaskList(Resource):
    @ns.expect(tenant_header, task, validate=True)
    @ns.marshal_with(task, code=201)
    def post(self, project_id):
        """Add a task to one of the tenant's projects."""
        tenant = current_tenant()
        new = Task(tenant_id=tenant, project=tenant_project(project_id, tenant), title=ns.payload["title"])
        db.session.add(new)
        db.session.commit()
        return new, 201


def seed():
    for tenant, names in {"acme": ["Website", "Mobile app", "Billing", "Hiring"], "globex": ["Secret plan"]}.items():
        for name in names:
            db.session.add(Project(tenant_id=tenant, name=name, tasks=[
                Task(tenant_id=tenant, title=f"{name}: step {n}") for n in (1, 2, 3)
            ]))
    db.session.commit()


def create_app():
    app = Flask(__name__)
    # In-memory SQLite: Flask-SQLAlchemy shares one connection across threads for it.
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    app.config["RESTX_MASK_SWAGGER"] = False
    app.config["RESTX_ERROR_404_HELP"] = False  # a 404 says only what is missing
    db.init_app(app)
    api = Api(app, version="1.0", title="c03 demo: tenants and SQL counts", doc="/swagger",
              description="Tenant-scoped projects; X-SQL-Statements on every answer shows N+1 versus eager loading.")
    api.add_namespace(ns, path="/api/projects")

    @app.before_request
    def start_count():
        g.sql_statements = 0

    @app.after_request
    def report_count(response):
        response.headers["X-SQL-Statements"] = str(g.get("sql_statements", 0))
        return response

    with app.app_context():
        @event.listens_for(db.engine, "before_cursor_execute")
        def count_statement(conn, cursor, statement, parameters, context, executemany):
            if has_app_context() and "sql_statements" in g:
                g.sql_statements += 1

        db.create_all()
        seed()
    return app


app = create_app()
