"""JSON error handling for the whole API.

TODO:
- a helper that builds {"error": {"code": code, "message": message}} with that status;
- a handler for werkzeug's HTTPException (400, 404, 405, ...): keep the status and the
  headers of the original error (405 must keep its Allow header), replace the HTML body;
- a handler for any other Exception: answer 500 without revealing the exception's details.
Then call your registration function from create_app() in app.py.
"""
