"""The API's documentation object: Flask-RESTX builds the OpenAPI (Swagger 2.0) document from the
resources and models declared in books.py, and serves Swagger UI at /swagger."""

from flask_restx import Api

# doc="/swagger": the Swagger UI page. RESTX also serves the document at /swagger.json;
# docs.py publishes the same document at /openapi.json, the URL our clients use.
api = Api(
    version="1.0",
    title="Books API",
    description="Create, read, update and delete books; list them a page at a time.",
    doc=False,
)
