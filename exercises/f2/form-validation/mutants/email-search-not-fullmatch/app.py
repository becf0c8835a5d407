"""Validated form: check every field on the server and explain what is wrong."""
import os
import re

from flask import Flask, redirect, render_template, request, session, url_for

# Deliberately simple: something@something.something, no spaces, a single @.
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def validate_signup(form):
    """Check the submitted fields; return {field: error message} for every invalid field."""
    errors = {}

    name = form.get("name", "").strip()
    if not name:
        errors["name"] = "Please enter your name."
    elif not 2 <= len(name) <= 50:
        errors["name"] = "Your name must be 2 to 50 characters long."

    email = form.get("email", "").strip()
    if not email:
        errors["email"] = "Please enter your e-mail address."
    elif not EMAIL_RE.search(email):
        errors["email"] = "Please enter a valid e-mail address, like ada@example.com."

    age = form.get("age", "").strip()
    # isdigit() refuses "-5", "3.5" and "abc" before int() could raise.
    if not age:
        errors["age"] = "Please enter your age."
    elif not age.isdigit() or not 13 <= int(age) <= 120:
        errors["age"] = "Your age must be a whole number from 13 to 120."

    return errors


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(SECRET_KEY=os.environ.get("SECRET_KEY", "dev"))
    if test_config is not None:
        app.config.from_mapping(test_config)

    @app.route("/signup", methods=["GET", "POST"])
    def signup():
        if request.method == "GET":
            return render_template("signup.html", form={}, errors={})

        errors = validate_signup(request.form)
        if errors:
            # 400: the request was refused. The page shows why, and keeps what was typed
            # (Jinja escapes the values, so nothing typed can inject HTML).
            return render_template("signup.html", form=request.form, errors=errors), 400

        session["signup_name"] = request.form["name"].strip()
        return redirect(url_for("welcome"), code=303)

    @app.get("/welcome")
    def welcome():
        return render_template("welcome.html", name=session.get("signup_name", "friend"))

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
