"""Signup with one validator function per field."""
import re

from flask import Flask, redirect, render_template, request

app = Flask(__name__)


def check_name(value):
    value = value.strip()
    if not value:
        return "Name is required."
    if len(value) < 2 or len(value) > 50:
        return "Use 2 to 50 characters."
    return None


def check_email(value):
    value = value.strip()
    if not value:
        return "E-mail is required."
    if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value) is None:
        return "Invalid e-mail."
    return None


def check_age(value):
    value = value.strip()
    if not value:
        return "Age is required."
    try:
        number = int(value, 10)
    except ValueError:
        return "Age must be a whole number."
    if str(number) != value.lstrip("+") or not 13 <= number <= 120:
        return "Age must be from 13 to 120."
    return None


VALIDATORS = {"name": check_name, "email": check_email, "age": check_age}


@app.route("/signup", methods=["GET", "POST"])
def signup():
    if request.method == "POST":
        errors = {field: check(request.form.get(field, "")) for field, check in VALIDATORS.items()}
        errors = {field: message for field, message in errors.items() if message}
        if not errors:
            return redirect("/welcome", 302)
        return render_template("signup.html", values=request.form, errors=errors), 400
    return render_template("signup.html", values={}, errors={})


@app.route("/welcome")
def welcome():
    return "Welcome aboard!"
