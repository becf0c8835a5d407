"""Factory + blueprint: the tenant is resolved once per request into g.tenant (before_request)."""
import os

from flask import Blueprint, Flask, abort, g, request
from flask_sqlalchemy import SQLAlchemy
from werkzeug.exceptions import HTTPException

db = SQLAlchemy()
bp = Blueprint("notes", __name__, url_prefix="/api/notes")


class Note(db.Model):
    __tablename__ = "note"
    id = db.Column(db.Integer, primary_key=True)
    tenant_id = db.Column(db.String(64), nullable=False, index=True)
    title = db.Column(db.String(200), nullable=False)

    def to_dict(self):
        return {"id": self.id, "title": self.title, "tenant_id": self.tenant_id}


@bp.before_request
def resolve_tenant():
    tenant = request.headers.get("X-Tenant-ID", "").strip()
    if not tenant:
        abort(400, description="X-Tenant-ID header required")
    g.tenant = tenant


def scoped():
    return db.select(Note).where(Note.tenant_id == g.tenant)


@bp.get("")
def list_notes():
    return {"items": [n.to_dict() for n in db.session.scalars(scoped().order_by(Note.id))]}


@bp.post("")
def create_note():
    data = request.get_json(silent=True)
    title = data.get("title") if isinstance(data, dict) else None
    if not isinstance(title, str) or not title.strip():
        abort(400, description="title must be a non-blank string")
    note = Note(tenant_id=g.tenant, title=title.strip())
    db.session.add(note)
    db.session.commit()
    return note.to_dict(), 201


@bp.get("/<int:note_id>")
def get_note(note_id):
    note = db.session.scalars(scoped().where(Note.id == note_id)).first()
    if note is None:
        abort(404, description="note not found")
    return note.to_dict()


@bp.delete("/<int:note_id>")
def delete_note(note_id):
    note = db.session.scalars(scoped().where(Note.id == note_id)).first()
    if note is None:
        abort(404, description="note not found")
    db.session.delete(note)
    db.session.commit()
    return "", 204


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "notes.db")
    app.config.update(test_config or {})
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)
    app.register_blueprint(bp)

    @app.errorhandler(HTTPException)
    def json_error(e):
        return {"error": e.description}, e.code

    with app.app_context():
        db.create_all()
    return app
