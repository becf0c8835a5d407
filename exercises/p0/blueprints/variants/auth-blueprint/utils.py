"""Small helpers shared by the blueprints."""

from flask import request


def json_body():
    """The request's JSON object, or None when the body is missing, invalid or not an object."""
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else None
