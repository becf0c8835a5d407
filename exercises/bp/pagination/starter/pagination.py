"""Pagination helpers shared by the JSON API and the admin panel."""

from flask import abort, request  # noqa: F401  (you will need them)

MAX_PER_PAGE = 50
MAX_PAGE = 100_000

# TODO: page_arg(name, default): read a query parameter that must be a whole number (digits
#       only) of at least 1 -> abort(400, ...) otherwise (never fall back to the default)
# TODO: use it in posts.py (GET /api/posts: page, per_page, total, pages) and in admin.py
#       (20 rows per page, with rel="prev"/rel="next" links)
