"""The OpenAPI 3 description of the books API: the "product manual" of the API.

Written by hand as a Python dict (served as JSON at /openapi.json). Keep it next to the code
and update it in the same commit as any route change.
"""

BOOK_ID = {
    "name": "book_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer"},
    "description": "The book's id",
}

SPEC = {
    "openapi": "3.0.3",
    "info": {
        "title": "Books API",
        "version": "1.0.0",
        "description": "Create, read, update and delete books.",
    },
    "paths": {
        "/api/books": {
            "get": {
                "summary": "List books, one page at a time",
                "tags": ["books"],
                "parameters": [
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
                    {
                        "name": "per_page",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10},
                    },
                    {
                        "name": "author",
                        "in": "query",
                        "schema": {"type": "string"},
                        "description": "Only the books whose author is exactly this value",
                    },
                ],
                "responses": {
                    "200": {
                        "description": "One page of books",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BookPage"}}},
                    }
                },
            },
            "post": {
                "summary": "Create a book",
                "tags": ["books"],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BookInput"}}},
                },
                "responses": {
                    "201": {
                        "description": "The created book",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Book"}}},
                    },
                    "400": {"$ref": "#/components/responses/ValidationError"},
                },
            },
        },
        "/api/books/{book_id}": {
            "parameters": [BOOK_ID],
            "get": {
                "summary": "Get one book",
                "tags": ["books"],
                "responses": {
                    "200": {
                        "description": "The book",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Book"}}},
                    },
                    "404": {"$ref": "#/components/responses/NotFound"},
                },
            },
            "patch": {
                "summary": "Change some fields of a book",
                "tags": ["books"],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BookPatch"}}},
                },
                "responses": {
                    "200": {
                        "description": "The updated book",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Book"}}},
                    },
                    "400": {"$ref": "#/components/responses/ValidationError"},
                    "404": {"$ref": "#/components/responses/NotFound"},
                },
            },
            "delete": {
                "summary": "Delete a book",
                "tags": ["books"],
                "responses": {
                    "204": {"description": "Deleted"},
                    "404": {"$ref": "#/components/responses/NotFound"},
                },
            },
        },
    },
    "components": {
        "schemas": {
            "BookPatch": {
                "type": "object",
                "properties": {
                    "title": {"type": "string", "maxLength": 200, "example": "Dune"},
                    "author": {"type": "string", "maxLength": 100, "example": "Frank Herbert"},
                    "year": {"type": "integer", "nullable": True, "example": 1965},
                },
            },
            "BookInput": {
                "allOf": [{"$ref": "#/components/schemas/BookPatch"}],
                "required": ["title", "author"],
            },
            "Book": {
                "allOf": [
                    {"$ref": "#/components/schemas/BookPatch"},
                    {"type": "object", "properties": {"id": {"type": "integer", "example": 1}}},
                ],
            },
            "BookPage": {
                "type": "object",
                "properties": {
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/Book"}},
                    "page": {"type": "integer"},
                    "per_page": {"type": "integer"},
                    "total": {"type": "integer"},
                    "pages": {"type": "integer"},
                },
            },
            "Error": {
                "type": "object",
                "properties": {
                    "error": {"type": "string"},
                    "errors": {"type": "object", "additionalProperties": {"type": "string"}},
                },
            },
        },
        "responses": {
            "NotFound": {
                "description": "No book has this id",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            },
            "ValidationError": {
                "description": "Invalid JSON or invalid fields (one message per field in `errors`)",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            },
        },
    },
}
