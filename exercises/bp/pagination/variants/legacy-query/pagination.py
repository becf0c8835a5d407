"""Page numbers read with a helper that raises; callers turn the error into a 400."""

from flask import request

MAX_PER_PAGE = 50
MAX_PAGE = 100_000


class BadPageNumber(Exception):
    pass


def number(name, default):
    value = request.args.get(name)
    if value is None:
        return default
    if value == "" or any(ch not in "0123456789" for ch in value) or int(value) == 0:
        raise BadPageNumber(f"{name} must be 1 or more")
    return int(value)
