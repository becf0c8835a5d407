"""A feedback form guarded against CSRF, in one module."""
import os

from flask import Flask, redirect, render_template, request
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__, instance_relative_config=True)
app.config.update(
    SECRET_KEY=os.environ.get("SECRET_KEY", "change-me"),
    SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "feedback.db"),
)
os.makedirs(app.instance_path, exist_ok=True)
db = SQLAlchemy(app)
csrf = CSRFProtect(app)


class Feedback(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False)
    message = db.Column(db.Text, nullable=False)


with app.app_context():
    db.create_all()


@app.get("/feedback")
def show_form():
    return render_template("feedback.html")


@app.post("/feedback")
def send_form():
    name = request.form.get("name", "").strip()
    message = request.form.get("message", "").strip()
    if not name or not message:
        return render_template("feedback.html", error="Both fields are needed."), 400
    db.session.add(Feedback(name=name, message=message))
    db.session.commit()
    return redirect("/thanks")


@app.get("/thanks")
def thanks():
    return "<p>Thanks!</p>"
