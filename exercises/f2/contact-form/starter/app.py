"""Contact form: GET shows the form, POST processes it and redirects."""
import os

from flask import Flask, redirect, render_template, request, session, url_for  # noqa: F401


def create_app(test_config=None):
    app = Flask(__name__)
    # The session is a signed cookie: Flask needs a secret key to sign it.
    app.config.from_mapping(SECRET_KEY=os.environ.get("SECRET_KEY", "dev"))
    if test_config is not None:
        app.config.from_mapping(test_config)

    # TODO: accept POST too. On POST, read name, email and message from request.form:
    #   - all filled in: remember the name and redirect to /thanks
    #   - anything empty: answer 400 with the form again
    @app.get("/contact")
    def contact():
        return render_template("contact.html")

    # TODO: add GET /thanks that renders templates/thanks.html with the visitor's name.

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
