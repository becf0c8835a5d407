"""The feedback form with Flask-WTF's FlaskForm."""
import os

from flask import Flask, redirect, render_template, url_for
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired

app = Flask(__name__, instance_relative_config=True)
app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev-only-key")
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "feedback.db")
os.makedirs(app.instance_path, exist_ok=True)
db = SQLAlchemy(app)
CSRFProtect(app)


class Feedback(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False)
    message = db.Column(db.Text, nullable=False)


with app.app_context():
    db.create_all()


class FeedbackForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired()])
    message = TextAreaField("Message", validators=[DataRequired()])


@app.route("/feedback", methods=["GET", "POST"])
def feedback():
    form = FeedbackForm()
    if form.validate_on_submit():
        db.session.add(Feedback(name=form.name.data.strip(), message=form.message.data.strip()))
        db.session.commit()
        return redirect(url_for("thanks"))
    return render_template("feedback.html", form=form), 400 if form.errors else 200


@app.route("/thanks")
def thanks():
    return render_template("thanks.html")
