from flask import Flask


def create_app():
    app = Flask(__name__)
    from . import admin  # noqa: F401  (never registered: a learner mistake)
    from .routes import bp

    app.register_blueprint(bp, url_prefix="/blog")
    return app
