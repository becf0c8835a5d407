"""Database models of the Task Management API."""
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()

STATUSES = ("todo", "in_progress", "done")


class Task(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    description = db.Column(db.Text, nullable=False, default="")
    status = db.Column(db.String(20), nullable=False, default="todo")
