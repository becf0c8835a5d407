"""Validated form: check every field on the server and explain what is wrong."""
import os
import re  # noqa: F401  (handy for the e-mail rule)

from flask import Flask, redirect, render_template, request, session, url_for  # noqa: F401


def validate_signup(form):
    """Check the submitted fields; return {field: error message} for every invalid field.

    Rules: name 2-50 characters (stripped); email like "user@example.com" (no spaces,
    one @, a dot in the domain); age a whole number from 13 to 120.
    """
    errors = {}
    # TODO: check name, email and age and fill `errors`.
    return errors


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(SECRET_KEY=os.environ.get("SECRET_KEY", "dev"))
    if test_config is not None:
        app.config.from_mapping(test_config)

    # TODO: accept POST as well. On POST, call validate_signup(request.form):
    #   - no errors: remember the name in the session and redirect to /welcome
    #   - errors: render the form again with the errors and the typed values, status 400
    @app.get("/signup")
    def signup():
        return render_template("signup.html", form={}, errors={})

    @app.get("/welcome")
    def welcome():
        return render_template("welcome.html", name=session.get("signup_name", "friend"))

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
