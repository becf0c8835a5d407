"""Contact form: GET shows the form, POST processes it, then Post/Redirect/Get."""
import os

from flask import Flask, redirect, render_template, request, session, url_for

FIELDS = ("name", "email", "message")


def create_app(test_config=None):
    app = Flask(__name__)
    # The session is a signed cookie: Flask needs a secret key to sign it.
    # Set SECRET_KEY in the environment in production; "dev" is for your machine only.
    app.config.from_mapping(SECRET_KEY=os.environ.get("SECRET_KEY", "dev"))
    if test_config is not None:
        app.config.from_mapping(test_config)

    @app.route("/contact", methods=["GET", "POST"])
    def contact():
        if request.method == "GET":
            return render_template("contact.html", form={})

        # .get() with a default: a missing field is "", never a KeyError (which would be a 400 page).
        form = {field: request.form.get(field, "") for field in FIELDS}
        if not all(form.values()):
            # Show the form again with what was typed, and say what is wrong.
            return render_template("contact.html", form=form, error="Please fill in every field."), 400

        # A real app would e-mail the message or store it (see chapter f3); we log it.
        app.logger.info("Contact message from %s <%s>: %s", form["name"], form["email"], form["message"])
        session["contact_name"] = form["name"]
        # 303 See Other: "the POST worked, now GET this page".
        return redirect(url_for("thanks"), code=303)

    @app.get("/thanks")
    def thanks():
        name = session.get("contact_name")
        if name is None:  # nobody submitted the form in this session
            return redirect(url_for("contact"))
        return render_template("thanks.html", name=name)

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
