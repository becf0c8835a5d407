from datetime import datetime, timedelta, timezone

from flask import Blueprint, Flask, make_response, request

prefs = Blueprint("prefs", __name__)
THEMES = frozenset({"light", "dark"})


def current_theme():
    value = request.cookies.get("theme", "")
    return value if value in THEMES else "light"


def remember_theme(response, theme):
    days = 180
    response.set_cookie(
        "theme", theme, max_age=days * 24 * 3600,
        expires=datetime.now(timezone.utc) + timedelta(days=days), samesite="Lax", path="/",
    )
    return response


@prefs.get("/")
def show():
    return {"theme": current_theme()}


@prefs.post("/preferences")
def save():
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or data.get("theme") not in THEMES:
        return {"error": "theme must be light or dark"}, 400
    return remember_theme(make_response({"theme": data["theme"]}), data["theme"])


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(test_config or {})
    app.register_blueprint(prefs)
    return app
