"""Pagination helpers shared by the JSON API and the admin panel."""

import re

from flask import abort, request

MAX_PER_PAGE = 50
MAX_PAGE = 100_000  # far past any real page, small enough for the database's OFFSET
DIGITS = re.compile(r"[0-9]+")


def page_arg(name, default, maximum=None):
    """The query parameter name as an int >= 1; default when absent; 400 when it is not
    digits, is 0, or is above maximum (a bad value never silently becomes the default)."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if not DIGITS.fullmatch(raw) or (maximum is not None and int(raw) > maximum):
        limit = f" and at most {maximum}" if maximum is not None else ""
        abort(400, f"{name} must be a whole number of at least 1{limit}")
    return int(raw)


def page_and_size(default_per_page):
    """(page, per_page) from the query string; per_page above MAX_PER_PAGE is clamped."""
    page = page_arg("page", 1, maximum=MAX_PAGE)
    per_page = min(page_arg("per_page", default_per_page), MAX_PER_PAGE)
    return page, per_page
