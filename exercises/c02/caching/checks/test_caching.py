"""Checks for c02-caching: ETag, If-None-Match -> 304, Cache-Control on GET /api/articles/<id>.
Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import re

import pytest

URL = "/api/articles/1"
ETAG = re.compile(r'^(W/)?"[^"]*"$')


def _get(client, url=URL, **headers):
    return client.get(url, headers=headers)


def _etag(response, what):
    etag = response.headers.get("ETag")
    assert etag, f"{what} should carry an ETag header, got headers {dict(response.headers)}"
    assert ETAG.match(etag), f'the ETag should be a quoted string like "abc123", got {etag!r}'
    return etag


def _changed(client):
    response = client.patch(URL, json={"title": "REST in four minutes"})
    assert response.status_code == 200, f"PATCH {URL} should answer 200, got {response.status_code}"


@pytest.mark.req(1)
def test_get_has_stable_etag(client):
    """GET answers 200, the article as JSON and a quoted ETag that stays the same for the same content"""
    first = _get(client)
    assert first.status_code == 200, f"GET {URL} should answer 200, got {first.status_code}"
    assert first.is_json and (first.get_json() or {}).get("id") == 1, (
        f"GET {URL} should answer the article as JSON, got {first.get_data(as_text=True)[:200]!r}"
    )
    etag = _etag(first, f"GET {URL}")
    again = _etag(_get(client), f"a second GET {URL}")
    assert again == etag, f"the same content should give the same ETag, got {etag!r} then {again!r}"


@pytest.mark.req(2)
def test_etag_changes_with_content(client):
    """After a PATCH changes the article, GET answers a different ETag"""
    before = _etag(_get(client), f"GET {URL}")
    _changed(client)
    after = _etag(_get(client), f"GET {URL} after PATCH")
    assert after != before, (
        f"after PATCH changed the title, GET should answer a different ETag, still got {after!r}"
    )


@pytest.mark.req(3)
def test_matching_if_none_match_is_304(client):
    """If-None-Match with the current ETag answers 304 with an empty body and the ETag"""
    etag = _etag(_get(client), f"GET {URL}")
    response = _get(client, **{"If-None-Match": etag})
    assert response.status_code == 304, (
        f"GET {URL} with If-None-Match: {etag} (the current ETag) should answer 304 Not Modified, "
        f"got {response.status_code}"
    )
    assert response.get_data() == b"", (
        f"a 304 answer should have an empty body, got {response.get_data(as_text=True)[:200]!r}"
    )
    assert response.headers.get("ETag"), "a 304 answer should repeat the ETag header"


@pytest.mark.req(2, 4)
def test_stale_if_none_match_is_200(client):
    """If-None-Match with an old or unknown ETag answers 200 with the full article"""
    old = _etag(_get(client), f"GET {URL}")
    for label, value in (("an unknown ETag", '"no-such-version"'),):
        response = _get(client, **{"If-None-Match": value})
        assert response.status_code == 200, (
            f"GET with If-None-Match: {value} ({label}) should answer 200, got {response.status_code}"
        )
    _changed(client)
    response = _get(client, **{"If-None-Match": old})
    assert response.status_code == 200, (
        f"after PATCH, GET with If-None-Match holding the old ETag should answer 200 with the new "
        f"content (the ETag must follow the content), got {response.status_code}"
    )
    assert (response.get_json(silent=True) or {}).get("title") == "REST in four minutes", (
        f"the 200 answer should hold the changed article, got {response.get_data(as_text=True)[:200]!r}"
    )


@pytest.mark.req(5)
def test_cache_control_max_age(client):
    """GET answers Cache-Control with max-age=60 and without no-store"""
    response = _get(client)
    value = response.headers.get("Cache-Control", "")
    directives = [d.strip().lower() for d in value.split(",") if d.strip()]
    assert "max-age=60" in directives, (
        f"GET {URL} should answer a Cache-Control header with max-age=60, got {value!r}"
    )
    assert "no-store" not in directives, f"Cache-Control should not say no-store, got {value!r}"


@pytest.mark.req(6)
def test_unknown_id_404(client):
    """An unknown id answers 404, also with If-None-Match"""
    for headers in ({}, {"If-None-Match": '"x"'}):
        response = _get(client, "/api/articles/999", **headers)
        assert response.status_code == 404, (
            f"GET /api/articles/999 {headers or ''} should answer 404, got {response.status_code}"
        )
