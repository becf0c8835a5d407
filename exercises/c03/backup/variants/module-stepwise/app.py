"""Module-level app; the backup is copied in steps of 64 pages and streamed from memory."""
import io
import os
import secrets
import sqlite3
from datetime import datetime, timezone

from flask import Flask, jsonify, request, send_file
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event

app = Flask(__name__, instance_relative_config=True)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "items.db")
app.config["ADMIN_TOKEN"] = os.environ.get("ADMIN_TOKEN", "change-me")
app.config["BACKUP_DIR"] = os.path.join(app.instance_path, "backups")
os.makedirs(app.instance_path, exist_ok=True)
db = SQLAlchemy(app)


class Item(db.Model):
    __tablename__ = "item"
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(100), nullable=False)


@app.errorhandler(404)
@app.errorhandler(405)
def http_error(e):
    return jsonify(error=e.description), e.code


@app.get("/api/items")
def list_items():
    return jsonify(items=[{"id": i.id, "name": i.name} for i in Item.query.order_by(Item.id)])


@app.post("/api/items")
def create_item():
    data = request.get_json(silent=True)
    name = data.get("name") if isinstance(data, dict) else None
    if not isinstance(name, str) or not name.strip():
        return jsonify(error="name must be a non-blank string"), 400
    item = Item(name=name.strip())
    db.session.add(item)
    db.session.commit()
    return jsonify(id=item.id, name=item.name), 201


@app.post("/api/admin/backup")
def backup():
    if not secrets.compare_digest(request.headers.get("X-Admin-Token", ""), app.config["ADMIN_TOKEN"]):
        return jsonify(error="a valid X-Admin-Token header is required"), 401
    os.makedirs(app.config["BACKUP_DIR"], exist_ok=True)
    name = f"backup-{datetime.now(timezone.utc):%Y%m%dT%H%M%S%f}Z.sqlite3"
    path = os.path.join(app.config["BACKUP_DIR"], name)
    source = db.engine.raw_connection()
    try:
        target = sqlite3.connect(path)
        try:
            # 64 pages per step: other connections can write in between. A write through another
            # connection restarts the copy, so the result is still one consistent snapshot.
            source.driver_connection.backup(target, pages=64)
        finally:
            target.close()
    finally:
        source.close()
    with open(path, "rb") as f:
        data = io.BytesIO(f.read())
    os.remove(path)  # this variant keeps no copy on the server
    return send_file(data, mimetype="application/vnd.sqlite3", as_attachment=True, download_name=name)


with app.app_context():
    event.listen(db.engine, "connect", lambda conn, record: conn.execute("PRAGMA journal_mode=WAL"))
    db.create_all()
