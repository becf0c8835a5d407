"""The OpenAPI document at /openapi.json (the same document RESTX serves at /swagger.json)."""

from flask import Blueprint

from openapi import api

bp = Blueprint("docs", __name__)


@bp.get("/api/openapi.json")
def openapi_document():
    # __schema__ is generated from the registered namespaces, models and @ns.response/@ns.expect.
    return api.__schema__
