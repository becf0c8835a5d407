import os

from flask import Blueprint, Flask, redirect, render_template, request, session, url_for
from flask.views import MethodView

bp = Blueprint("site", __name__)


class ContactView(MethodView):
    fields = ("name", "email", "message")

    def get(self):
        return render_template("contact.html", data={}, missing=[])

    def post(self):
        data = {f: request.form.get(f, "").strip() for f in self.fields}
        missing = [f for f, v in data.items() if not v]
        if missing:
            return render_template("contact.html", data=data, missing=missing), 400
        session["name"] = data["name"]
        return redirect(url_for("site.thanks"), 303)


bp.add_url_rule("/contact", view_func=ContactView.as_view("contact"))


@bp.get("/thanks")
def thanks():
    return render_template("thanks.html", name=session.get("name", "visitor"))


def create_app():
    app = Flask(__name__)
    app.secret_key = os.environ.get("SECRET_KEY", "dev")
    app.register_blueprint(bp)
    return app
