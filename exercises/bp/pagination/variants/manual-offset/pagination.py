"""Pagination by hand: LIMIT/OFFSET and a COUNT, page numbers checked with str methods."""

from dataclasses import dataclass

from flask import abort, request
from sqlalchemy import func

from models import db

MAX_PER_PAGE = 50
MAX_PAGE = 100_000


def whole_number(name, default, upper=None):
    raw = request.args.get(name, None)
    if raw is None:
        return default
    ok = raw.isascii() and raw.isdigit() and int(raw) >= 1 and (upper is None or int(raw) <= upper)
    if not ok:
        abort(400, f"Bad {name}: {raw!r}")
    return int(raw)


@dataclass
class Page:
    items: list
    total: int
    per_page: int

    @property
    def pages(self):
        return -(-self.total // self.per_page)  # ceiling division; 0 when total is 0


def fetch_page(query, page, per_page):
    total = db.session.scalar(db.select(func.count()).select_from(query.order_by(None).subquery()))
    items = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    return Page(items, total, per_page)
