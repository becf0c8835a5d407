from datetime import timedelta

from flask import Flask, jsonify, request

app = Flask(__name__)
ALLOWED = ("light", "dark")


@app.route("/")
def home():
    theme = request.cookies.get("theme")
    return jsonify(theme=theme if theme in ALLOWED else "light")


@app.route("/preferences", methods=["POST"])
def preferences():
    body = request.get_json(silent=True) or {}
    theme = body.get("theme") if isinstance(body, dict) else None
    if theme not in ALLOWED:
        return jsonify(error="unknown theme"), 400
    response = jsonify(theme=theme)
    response.set_cookie("theme", theme, max_age=timedelta(days=365), samesite="Lax")
    return response
