"""API documentation: the OpenAPI document and a Swagger UI page to try the API."""

from flask import Blueprint, render_template_string, url_for

from openapi import SPEC

bp = Blueprint("docs", __name__)

# Swagger UI is a static web app: the page loads it from a CDN (pinned version) and points it
# at our OpenAPI document. The browser fetches the assets; the server only sends this page.
SWAGGER_UI_VERSION = "5.17.12"
SWAGGER_UI_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{{ title }} - Swagger UI</title>
  <link rel="stylesheet" href="https://unpkg.com/swagger-ui-dist@{{ version }}/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="https://unpkg.com/swagger-ui-dist@{{ version }}/swagger-ui-bundle.js" crossorigin></script>
  <script>
    window.onload = function () {
      window.ui = SwaggerUIBundle({ url: "{{ spec_url }}", dom_id: "#swagger-ui" });
    };
  </script>
</body>
</html>
"""


@bp.get("/openapi.json")
def openapi():
    return SPEC


@bp.get("/swagger")
def swagger_ui():
    return render_template_string(
        SWAGGER_UI_PAGE,
        title=SPEC["info"]["title"],
        version=SWAGGER_UI_VERSION,
        spec_url=url_for("docs.openapi"),
    )
