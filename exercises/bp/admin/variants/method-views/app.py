"""Blog Platform: a module-level app (no factory); CSRFProtect with an HTML 400 page."""

import os

from flask import Flask, json, render_template
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from admin import register_admin
from auth import bp as auth_bp
from comments import bp as comments_bp
from models import db
from posts import bp as posts_bp

app = Flask(__name__, instance_relative_config=True)
app.config.update(
    SECRET_KEY=os.environ.get("SECRET_KEY", "dev"),
    SESSION_COOKIE_HTTPONLY=True,
    SESSION_COOKIE_SAMESITE="Lax",
    SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "blog.db"),
)
os.makedirs(app.instance_path, exist_ok=True)
db.init_app(app)
csrf = CSRFProtect(app)

for api in (auth_bp, posts_bp, comments_bp):
    app.register_blueprint(csrf.exempt(api))
register_admin(app)

with app.app_context():
    db.create_all()


@app.errorhandler(CSRFError)
def csrf_error(e):
    return render_template("csrf_error.html", reason=e.description), 400


@app.errorhandler(HTTPException)
def json_http_error(e):
    response = e.get_response()
    response.data = json.dumps({"error": e.description})
    response.content_type = "application/json"
    return response
