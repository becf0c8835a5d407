"""c01 demo: an API development environment in one small Flask-RESTX app.

Run:  flask --app app run --port 5001   then open http://127.0.0.1:5001/swagger
"""
import logging
import os
import uuid

from flask import Flask, g, request
from flask_restx import Api, Namespace, Resource, fields


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    APP_ENV = "development"


class TestingConfig(Config):
    TESTING = True
    APP_ENV = "testing"


class ProductionConfig(Config):
    APP_ENV = "production"


CONFIGS = {"development": Config, "testing": TestingConfig, "production": ProductionConfig}


def create_app(env=None):
    app = Flask(__name__)
    app.config.from_object(CONFIGS[env or os.environ.get("APP_ENV", "development")])
    log = logging.getLogger("demo")

    @app.before_request
    def assign_request_id():
        g.request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex

    @app.after_request
    def echo_request_id(response):
        response.headers["X-Request-ID"] = g.get("request_id", "")
        log.info("%s %s %s", request.method, request.path, response.status_code)
        return response

    api = Api(app, version="1.0", title="c01 demo API", doc="/swagger", prefix="/api/v1")
    health = Namespace("health", description="Liveness and readiness")
    info = Namespace("info", description="Which configuration is running")
    info_model = info.model("Info", {"env": fields.String, "version": fields.String})

    @health.route("/live")
    class Live(Resource):
        def get(self):
            """The process is up."""
            return {"status": "ok"}

    @health.route("/ready")
    class Ready(Resource):
        def get(self):
            """Dependencies are reachable (this demo has none)."""
            return {"status": "ok", "checks": {"database": "skipped"}}

    @info.route("")
    class Info(Resource):
        @info.marshal_with(info_model)
        def get(self):
            """The running environment and API version."""
            return {"env": app.config["APP_ENV"], "version": "v1"}

    api.add_namespace(health)
    api.add_namespace(info)
    return app


app = create_app()
