"""Module-level app, legacy Model.query, the tenant checked per view."""
import os

from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__, instance_relative_config=True)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "notes.db")
os.makedirs(app.instance_path, exist_ok=True)
db = SQLAlchemy(app)


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    tenant_id = db.Column(db.String(64), nullable=False, index=True)
    title = db.Column(db.String(200), nullable=False)

    def to_dict(self):
        return {"id": self.id, "title": self.title, "tenant_id": self.tenant_id}


def error(message, status):
    return jsonify(error=message), status


def tenant_or_none():
    value = request.headers.get("X-Tenant-ID", "").strip()
    return value or None


@app.route("/api/notes", methods=["GET", "POST"])
def notes():
    tenant = tenant_or_none()
    if tenant is None:
        return error("X-Tenant-ID header required", 400)
    if request.method == "GET":
        rows = Note.query.filter_by(tenant_id=tenant).order_by(Note.id).all()
        return jsonify(items=[n.to_dict() for n in rows])
    data = request.get_json(silent=True)
    title = data.get("title") if isinstance(data, dict) else None
    if not isinstance(title, str) or not title.strip():
        return error("title must be a non-blank string", 400)
    note = Note(tenant_id=tenant, title=title.strip())
    db.session.add(note)
    db.session.commit()
    return jsonify(note.to_dict()), 201


@app.route("/api/notes/<int:note_id>", methods=["GET", "DELETE"])
def one_note(note_id):
    tenant = tenant_or_none()
    if tenant is None:
        return error("X-Tenant-ID header required", 400)
    note = Note.query.filter_by(id=note_id, tenant_id=tenant).first()
    if note is None:
        return error("note not found", 404)
    if request.method == "GET":
        return jsonify(note.to_dict())
    db.session.delete(note)
    db.session.commit()
    return "", 204


with app.app_context():
    db.create_all()
