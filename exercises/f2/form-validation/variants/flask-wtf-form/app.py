"""Signup validated with Flask-WTF."""
import os

from flask import Flask, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Regexp


def strip(value):
    return value.strip() if isinstance(value, str) else value


class SignupForm(FlaskForm):
    name = StringField("Name", filters=[strip], validators=[DataRequired("Please enter your name."), Length(2, 50, "2 to 50 characters, please.")])
    email = StringField("E-mail", filters=[strip], validators=[
        DataRequired("Please enter your e-mail address."),
        Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+\Z", message="That is not an e-mail address."),
    ])
    age = StringField("Age", filters=[strip], validators=[InputRequired("Please enter your age."), Regexp(r"^\d+\Z", message="A whole number, please.")])

    def validate_age(self, field):
        if field.data and field.data.isdigit() and not 13 <= int(field.data) <= 120:
            from wtforms.validators import ValidationError

            raise ValidationError("From 13 to 120.")


app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev")


@app.route("/signup", methods=["GET", "POST"])
def signup():
    form = SignupForm()
    if form.validate_on_submit():
        return redirect(url_for("welcome"))
    return render_template("signup.html", form=form), 400 if form.is_submitted() else 200


@app.get("/welcome")
def welcome():
    return "<h1>Welcome!</h1>"
