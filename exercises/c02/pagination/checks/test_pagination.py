"""Checks for c02-pagination: page slices, totals and navigation links on GET /api/tasks.
Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
from urllib.parse import urlsplit

import pytest

KEYS = ("items", "page", "per_page", "total", "pages", "links")
TOTAL = 23


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, f"GET {url} should answer 200, got {response.status_code}"
    body = response.get_json(silent=True)
    missing = [k for k in KEYS if not isinstance(body, dict) or k not in body]
    assert not missing, (
        f"GET {url} should answer an object with {', '.join(KEYS)}; missing {missing} in "
        f"{response.get_data(as_text=True)[:300]!r}"
    )
    assert isinstance(body["items"], list), f"\"items\" should be a list, got {body['items']!r}"
    return body


def _ids(body):
    return [item.get("id") for item in body["items"]]


def _follow(client, body, name):
    links = body["links"]
    assert isinstance(links, dict), f"\"links\" should be an object, got {links!r}"
    url = links.get(name)
    assert isinstance(url, str) and url, f"links.{name} should be a URL, got {url!r} in {links}"
    parts = urlsplit(url)
    return _page(client, parts.path + ("?" + parts.query if parts.query else ""))


@pytest.mark.req(1)
def test_default_page(client):
    """Defaults: page 1 of 10 items, in id order"""
    body = _page(client, "/api/tasks")
    assert body["page"] == 1 and body["per_page"] == 10, (
        f"without parameters page should be 1 and per_page 10, got page={body['page']!r} per_page={body['per_page']!r}"
    )
    assert _ids(body) == list(range(1, 11)), f"page 1 should hold tasks 1..10 in id order, got ids {_ids(body)}"
    body = _page(client, "/api/tasks?page=2&per_page=5")
    assert _ids(body) == list(range(6, 11)), f"page=2&per_page=5 should hold tasks 6..10, got ids {_ids(body)}"


@pytest.mark.req(2)
def test_totals(client):
    """total counts every task; pages is rounded up"""
    for per_page, pages in ((5, 5), (10, 3), (23, 1), (7, 4)):
        body = _page(client, f"/api/tasks?per_page={per_page}")
        assert body["total"] == TOTAL, f"total should be {TOTAL} (every task), got {body['total']!r}"
        assert body["pages"] == pages, (
            f"with per_page={per_page}, pages should be {pages} ({TOTAL} tasks, rounded up), got {body['pages']!r}"
        )


@pytest.mark.req(3)
def test_links_lead_to_their_pages(client):
    """self, first, last, next and prev answer the pages they name, with the same per_page"""
    body = _page(client, "/api/tasks?page=3&per_page=5")
    for name, page, ids in (("self", 3, [11, 12, 13, 14, 15]), ("first", 1, [1, 2, 3, 4, 5]),
                            ("last", 5, [21, 22, 23]), ("next", 4, [16, 17, 18, 19, 20]),
                            ("prev", 2, [6, 7, 8, 9, 10])):
        target = _follow(client, body, name)
        assert target["page"] == page and _ids(target) == ids, (
            f"on page 3 of per_page=5, links.{name} should lead to page {page} (ids {ids}), "
            f"got page {target['page']!r} with ids {_ids(target)}"
        )
        assert target["per_page"] == 5, f"links.{name} should keep per_page=5, got {target['per_page']!r}"


@pytest.mark.req(4)
def test_no_next_on_last_no_prev_on_first(client):
    """next is null on the last page, prev is null on the first"""
    last = _page(client, "/api/tasks?page=5&per_page=5")
    assert last["links"].get("next", "missing") is None, (
        f"on the last page links.next should be null, got {last['links'].get('next', 'missing')!r}"
    )
    first = _page(client, "/api/tasks?page=1&per_page=5")
    assert first["links"].get("prev", "missing") is None, (
        f"on the first page links.prev should be null, got {first['links'].get('prev', 'missing')!r}"
    )
    assert first["links"].get("next"), "on the first of 5 pages links.next should be a URL"


@pytest.mark.req(5)
def test_per_page_capped(client):
    """per_page above 100 is capped to 100"""
    body = _page(client, "/api/tasks?per_page=1000")
    assert body["per_page"] == 100, f"per_page=1000 should be capped to 100, got per_page={body['per_page']!r}"


@pytest.mark.req(6)
def test_bad_numbers_400(client):
    """page or per_page below 1 or not an integer: 400 with a JSON object"""
    for query in ("page=0", "page=-1", "per_page=0", "page=abc", "per_page=ten"):
        response = client.get(f"/api/tasks?{query}")
        assert response.status_code == 400, f"GET /api/tasks?{query} should answer 400, got {response.status_code}"
        assert isinstance(response.get_json(silent=True), dict), (
            f"the 400 answer to ?{query} should be a JSON object, got {response.get_data(as_text=True)[:200]!r}"
        )


@pytest.mark.req(7)
def test_page_after_last(client):
    """A page after the last: 200, empty items, same totals"""
    body = _page(client, "/api/tasks?page=9&per_page=5")
    assert body["items"] == [], f"page 9 of 5 should have no items, got ids {_ids(body)}"
    assert body["total"] == TOTAL and body["pages"] == 5, (
        f"page 9 should keep total {TOTAL} and pages 5, got total={body['total']!r} pages={body['pages']!r}"
    )
