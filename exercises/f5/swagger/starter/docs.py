"""API documentation: the OpenAPI document and a Swagger UI page to try the API."""

from flask import Blueprint

from openapi import SPEC  # noqa: F401  (serve it below)

bp = Blueprint("docs", __name__)

# TODO: GET /openapi.json -> SPEC as JSON
# TODO: GET /swagger      -> an HTML page that loads Swagger UI and points it at /openapi.json
