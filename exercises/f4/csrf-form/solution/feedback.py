"""The feedback form: GET shows it, POST stores it (only with a valid CSRF token)."""
from flask import Blueprint, redirect, render_template, request, url_for

from models import Feedback, db

bp = Blueprint("feedback", __name__)


@bp.route("/feedback", methods=["GET", "POST"])
def feedback():
    # No CSRF code here: CSRFProtect checked the token before this view ran, and answered
    # 400 by itself if it was missing or wrong.
    errors = {}
    if request.method == "POST":
        name = request.form.get("name", "").strip()
        message = request.form.get("message", "").strip()
        if not name:
            errors["name"] = "Please tell us your name."
        if not message:
            errors["message"] = "Please write a message."
        if not errors:
            db.session.add(Feedback(name=name, message=message))
            db.session.commit()
            # Post/Redirect/Get: reloading the thanks page does not send the form again.
            return redirect(url_for("feedback.thanks"))
    return render_template("feedback.html", errors=errors, form=request.form), 400 if errors else 200


@bp.get("/thanks")
def thanks():
    return render_template("thanks.html")
