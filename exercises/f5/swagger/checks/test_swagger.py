"""Checks for f5-swagger: an OpenAPI document at /openapi.json and Swagger UI at /swagger. Each check
names the brief's numbered requirements it covers (@pytest.mark.req)."""

import re

import pytest
from urllib.parse import urlparse

SPEC_URL = "/openapi.json"
ITEM_PATH = re.compile(r"^/api/books/\{[^{}/]+\}$")


def _spec(client):
    response = client.get(SPEC_URL, follow_redirects=True)
    assert response.status_code == 200, f"GET {SPEC_URL} should answer 200, got {response.status_code}"
    assert response.is_json, f"GET {SPEC_URL} should answer JSON, got Content-Type {response.content_type!r}"
    spec = response.get_json()
    assert isinstance(spec, dict), f"the OpenAPI document should be a JSON object, got {type(spec).__name__}"
    return spec


def _resolve(spec, node, depth=0):
    """Follow a local {"$ref": "#/..."} (a few levels deep)."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and depth < 10:
        ref = node["$ref"]
        assert ref.startswith("#/"), f"only local $ref values are supported here, got {ref!r}"
        target = spec
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            assert isinstance(target, dict) and part in target, f"$ref {ref!r} points nowhere"
            target = target[part]
        node, depth = target, depth + 1
    return node


def _paths(spec):
    """The paths with any server prefix (OpenAPI 3 servers / Swagger 2 basePath) added."""
    if "swagger" in spec:
        base = spec.get("basePath") or ""
    else:
        servers = spec.get("servers")
        first = servers[0] if isinstance(servers, list) and servers and isinstance(servers[0], dict) else {}
        base = urlparse(str(first.get("url") or "")).path
    base = base.rstrip("/")
    paths = spec.get("paths")
    return {base + p: item for p, item in paths.items()} if isinstance(paths, dict) else {}


def _operation(spec, path_pattern, method):
    for path, item in _paths(spec).items():
        matches = path == path_pattern if isinstance(path_pattern, str) else path_pattern.match(path)
        if matches and isinstance(item, dict) and isinstance(item.get(method), dict):
            return item, item[method]
    shown = "/api/books/{book_id}" if not isinstance(path_pattern, str) else path_pattern
    assert False, (
        f"the document should describe {method.upper()} {shown}; "
        f"it has the paths {sorted(_paths(spec))}"
    )


def _properties(spec, schema, depth=0):
    """Property names of a schema, through $ref and allOf."""
    schema = _resolve(spec, schema)
    if not isinstance(schema, dict) or depth > 5:
        return set()
    names = set((schema.get("properties") or {}).keys())
    for part in schema.get("allOf") or []:
        names |= _properties(spec, part, depth + 1)
    return names


@pytest.mark.req(1)
def test_spec_is_valid_openapi(client):
    """GET /openapi.json answers an OpenAPI 3 (or Swagger 2) document with info and paths"""
    spec = _spec(client)
    version = str(spec.get("openapi") or spec.get("swagger") or "")
    assert version.startswith("3.") or version == "2.0", (
        f'the document needs "openapi": "3.0.3" (or "swagger": "2.0"), got keys {sorted(spec)}'
    )
    info = spec.get("info")
    assert isinstance(info, dict) and isinstance(info.get("title"), str) and info["title"].strip(), (
        f'"info" needs a non-empty "title", got {info!r}'
    )
    assert isinstance(info.get("version"), str) and info["version"].strip(), (
        f'"info" needs a "version" string such as "1.0.0", got {info.get("version")!r}'
    )
    assert isinstance(spec.get("paths"), dict) and spec["paths"], '"paths" should describe the API\'s endpoints'


@pytest.mark.req(2)
def test_spec_lists_every_endpoint(client):
    """The document describes GET/POST /api/books and GET/PATCH/DELETE /api/books/{id}, each with responses"""
    spec = _spec(client)
    wanted = [("/api/books", "get"), ("/api/books", "post")] + [
        (ITEM_PATH, m) for m in ("get", "patch", "delete")
    ]
    for path, method in wanted:
        _, operation = _operation(spec, path, method)
        responses = operation.get("responses")
        shown = path if isinstance(path, str) else "/api/books/{book_id}"
        assert isinstance(responses, dict) and responses, (
            f"{method.upper()} {shown} needs a \"responses\" object (every operation must have one)"
        )


@pytest.mark.req(3)
def test_spec_documents_status_codes(client):
    """The documented responses include 201/400 for POST and 200/404 for GET /api/books/{id}"""
    spec = _spec(client)
    for path, method, codes in (("/api/books", "post", {"201", "400"}), (ITEM_PATH, "get", {"200", "404"})):
        _, operation = _operation(spec, path, method)
        documented = {str(c) for c in (operation.get("responses") or {})}
        shown = path if isinstance(path, str) else "/api/books/{book_id}"
        assert codes <= documented, (
            f"{method.upper()} {shown} should document the responses {sorted(codes)}, got {sorted(documented)}"
        )


@pytest.mark.req(4)
def test_spec_documents_request_body(client):
    """POST /api/books documents its JSON body with title, author and year"""
    spec = _spec(client)
    _, operation = _operation(spec, "/api/books", "post")
    schema = None
    if "swagger" in spec:
        for param in operation.get("parameters") or []:
            param = _resolve(spec, param)
            if isinstance(param, dict) and param.get("in") == "body":
                schema = param.get("schema")
    else:
        body = _resolve(spec, operation.get("requestBody"))
        content = body.get("content") if isinstance(body, dict) else None
        media = content.get("application/json") if isinstance(content, dict) else None
        schema = media.get("schema") if isinstance(media, dict) else None
    assert schema is not None, (
        "POST /api/books should document its body: requestBody -> content -> application/json -> schema"
    )
    names = _properties(spec, schema)
    assert {"title", "author", "year"} <= names, (
        f"the body schema of POST /api/books should have the properties title, author and year, got {sorted(names)}"
    )


@pytest.mark.req(5)
def test_spec_documents_list_parameters(client):
    """GET /api/books documents the page, per_page and author query parameters"""
    spec = _spec(client)
    item, operation = _operation(spec, "/api/books", "get")
    params = [_resolve(spec, p) for p in (item.get("parameters") or []) + (operation.get("parameters") or [])]
    query = {p.get("name") for p in params if isinstance(p, dict) and p.get("in") == "query"}
    assert {"page", "per_page", "author"} <= query, (
        f"GET /api/books should document the query parameters page, per_page and author, got {sorted(query, key=str)}"
    )


@pytest.mark.req(6)
def test_swagger_ui_page(client):
    """GET /swagger answers an HTML page that loads Swagger UI with /openapi.json"""
    response = client.get("/swagger", follow_redirects=True)
    assert response.status_code == 200, f"GET /swagger should answer 200, got {response.status_code}"
    assert response.mimetype == "text/html", f"GET /swagger should answer HTML, got {response.content_type!r}"
    html = response.get_data(as_text=True)
    assert "swagger-ui" in html.lower(), (
        "the /swagger page should load Swagger UI (for example the swagger-ui-dist "
        "swagger-ui-bundle.js script and SwaggerUIBundle)"
    )
    if SPEC_URL in html:
        return
    # A library's own UI (Flask-RESTX reads /swagger.json): fine when that URL serves the same document.
    spec = _spec(client)
    for url in sorted(set(re.findall(r"""["'](/[^"'\s]*\.json)["']""", html))):
        other = client.get(url)
        if other.status_code == 200 and other.is_json and _paths(other.get_json() or {}) == _paths(spec):
            return
    assert False, f"the /swagger page should point Swagger UI at {SPEC_URL} (url: \"{SPEC_URL}\"), or at a URL serving the same document"
