"""The OpenAPI 3 description of the books API: the "product manual" of the API.

Written by hand as a Python dict (served as JSON at /openapi.json).
"""

# TODO: describe every endpoint of books.py under "paths": for each one its methods, and for
#       each method its parameters, request body and responses (see the README).
SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Books API", "version": "1.0.0"},
    "paths": {},
}
