"""Fixture app: a factory that forgot SECRET_KEY (session, flash, a Flask-WTF form) and a few
plain functions checks call directly (tests rely on line numbers)."""
from flask import Flask, flash, get_flashed_messages, render_template_string, request, session
from flask_wtf import FlaskForm
from wtforms import StringField


class NameForm(FlaskForm):
    name = StringField("name")


def parse_age(text):
    return int(text)


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config:
        app.config.update(test_config)

    @app.get("/")
    def index():
        return "Hello, Flask!"

    @app.get("/status/<int:code>")
    def status(code):
        return {"code": code}, code

    @app.post("/login")
    def login():
        session["user_id"] = 1
        return {"ok": True}

    @app.get("/me")
    def me():
        return {"user_id": session.get("user_id")}

    @app.post("/notes")
    def add_note():
        flash("Note saved")
        return {"flashed": get_flashed_messages()}

    @app.route("/form", methods=["GET", "POST"])
    def form():
        f = NameForm()
        return render_template_string("<form>{{ form.csrf_token }}{{ form.name }}</form>", form=f)

    @app.get("/theme")
    def theme():
        return {"theme": request.cookies.get("theme")}

    @app.get("/null")
    def null():
        return {"items": None}

    return app
