"""Checks for f2-preferences. Each check names the brief's numbered requirements it covers."""
import pytest


def _theme_cookie(response):
    """(value, {attribute: value}) of the theme cookie in Set-Cookie, or None."""
    for header in response.headers.getlist("Set-Cookie"):
        parts = [part.strip() for part in header.split(";")]
        name, _, value = parts[0].partition("=")
        if name.strip() != "theme":
            continue
        attrs = {}
        for part in parts[1:]:
            key, _, val = part.partition("=")
            attrs[key.strip().lower()] = val.strip()
        return value.strip().strip('"'), attrs
    return None


def _set_theme(client, theme):
    response = client.post("/preferences", json={"theme": theme})
    assert response.status_code == 200, 'POST /preferences {"theme": "%s"} should answer 200.' % theme
    return response


def _theme_of(client, what, **kwargs):
    response = client.get("/", **kwargs)
    assert response.status_code == 200, "%s should answer 200." % what
    assert response.is_json, "%s should answer JSON, not %r." % (what, response.content_type)
    return (response.get_json() or {}).get("theme")


@pytest.mark.req(1)
def test_post_sets_theme_cookie(client):
    """POST /preferences {"theme": "dark"} answers 200 and sets the cookie theme=dark"""
    response = _set_theme(client, "dark")
    assert response.is_json and response.get_json() == {"theme": "dark"}, (
        'POST /preferences should answer {"theme": "dark"}; got %r.' % (response.get_data(as_text=True)[:200],)
    )
    cookie = _theme_cookie(response)
    assert cookie is not None, "The answer should set a cookie named theme (Set-Cookie header); use response.set_cookie()."
    assert cookie[0] == "dark", "The theme cookie should hold 'dark', not %r." % cookie[0]


@pytest.mark.req(2)
def test_cookie_attributes(client):
    """The theme cookie has a positive Max-Age and SameSite=Lax"""
    cookie = _theme_cookie(_set_theme(client, "dark"))
    assert cookie is not None, "The answer should set a cookie named theme."
    value, attrs = cookie
    max_age = attrs.get("max-age", "")
    assert max_age.isdigit() and int(max_age) > 0, (
        "The theme cookie should have a Max-Age in seconds (set_cookie(..., max_age=...)); its attributes are %r."
        % attrs
    )
    assert attrs.get("samesite", "").lower() == "lax", (
        "The theme cookie should have SameSite=Lax (set_cookie(..., samesite='Lax')); its attributes are %r." % attrs
    )


@pytest.mark.req(3)
def test_invalid_theme_is_400(client):
    """An unknown theme or a non-JSON body answers 400 with a JSON error and sets no cookie"""
    attempts = [
        ('{"theme": "purple"}', dict(json={"theme": "purple"})),
        ('{"theme": "DARK"} (themes are exactly "light" or "dark")', dict(json={"theme": "DARK"})),
        ("{} (no theme)", dict(json={})),
        ("a form body", dict(data={"theme": "dark"})),
    ]
    for what, kwargs in attempts:
        response = client.post("/preferences", **kwargs)
        assert response.status_code == 400, (
            "POST /preferences with %s should answer 400%s." % (
                what,
                " (request.json refuses a body that is not JSON with its own 415: "
                "request.get_json(silent=True) gives None instead, and you answer 400)"
                if response.status_code == 415 else "",
            )
        )
        assert response.is_json and (response.get_json() or {}).get("error"), (
            'POST /preferences with %s should answer a JSON error like {"error": "..."}.' % what
        )
        assert _theme_cookie(response) is None, "A refused request must not set the theme cookie (%s)." % what


@pytest.mark.req(4)
def test_default_theme_is_light(app):
    """GET / without a cookie answers {"theme": "light"}"""
    theme = _theme_of(app.test_client(), "GET / without a cookie")
    assert theme == "light", 'Without a theme cookie GET / should answer {"theme": "light"}, not theme %r.' % (theme,)


@pytest.mark.req(5)
def test_theme_is_remembered(client):
    """After POST /preferences, GET / from the same client answers the chosen theme"""
    _set_theme(client, "dark")
    theme = _theme_of(client, "GET / after choosing dark")
    assert theme == "dark", "After choosing dark, GET / should answer theme 'dark' from the cookie, not %r." % (theme,)
    _set_theme(client, "light")
    theme = _theme_of(client, "GET / after switching back to light")
    assert theme == "light", "After switching to light, GET / should answer 'light', not %r." % (theme,)


@pytest.mark.req(6)
def test_tampered_cookie_falls_back(app):
    """GET / with a forged cookie value (theme=purple) answers the default theme light"""
    # A client without a cookie jar sends exactly the Cookie header we give it.
    raw = app.test_client(use_cookies=False)
    theme = _theme_of(raw, "GET / with the cookie theme=dark", headers={"Cookie": "theme=dark"})
    assert theme == "dark", "GET / with the cookie theme=dark should answer theme 'dark', not %r." % (theme,)
    theme = _theme_of(raw, "GET / with the cookie theme=purple", headers={"Cookie": "theme=purple"})
    assert theme == "light", (
        "A cookie can be changed by the client: GET / with theme=purple should fall back to 'light', not %r." % (theme,)
    )
