"""Checks for f2-form-validation. Each check names the brief's numbered requirements it covers."""
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

VALID = {"name": "Grace Hopper", "email": "grace@example.com", "age": "37"}
FIELDS = ("name", "email", "age")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@pytest.fixture(autouse=True)
def _no_csrf(app):
    # Flask-WTF solutions are welcome too: CSRF is the topic of chapter f4, not of this exercise.
    app.config["WTF_CSRF_ENABLED"] = False


class _Page(HTMLParser):
    """Collects the forms, the inputs' values and the text of the <field>-error elements."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.values = {}
        self.errors = {}
        self._open = []  # [error id, depth] of the error elements we are inside

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append((attrs.get("method") or "get").lower())
        if tag in ("input", "select", "textarea") and attrs.get("name"):
            self.values[attrs["name"]] = attrs.get("value") or ""
        if tag in VOID:
            return
        for entry in self._open:
            entry[1] += 1
        element_id = attrs.get("id") or ""
        if element_id.endswith("-error"):
            self.errors.setdefault(element_id[: -len("-error")], "")
            self._open.append([element_id[: -len("-error")], 1])

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        for entry in self._open:
            entry[1] -= 1
        self._open = [entry for entry in self._open if entry[1] > 0]

    def handle_data(self, data):
        for field, _ in self._open:
            self.errors[field] += data

    def error(self, field):
        return self.errors.get(field, "").strip()


def _parse(response):
    page = _Page()
    page.feed(response.get_data(as_text=True))
    return page


def _post_invalid(client, data, what):
    response = client.post("/signup", data=data)
    assert response.status_code == 400, (
        "POST /signup with %s should answer 400 with the form again." % what
    )
    page = _parse(response)
    assert "post" in page.forms, "The 400 answer for %s should show the form again." % what
    return page


@pytest.mark.req(1)
def test_get_shows_form(client):
    """GET /signup shows a POST form with the inputs name, email and age"""
    response = client.get("/signup")
    assert response.status_code == 200, "GET /signup should answer 200."
    page = _parse(response)
    assert "post" in page.forms, 'The page should contain a <form method="post">.'
    missing = [name for name in FIELDS if name not in page.values]
    assert not missing, "The form is missing inputs named %s." % ", ".join(missing)


@pytest.mark.req(2)
def test_valid_post_redirects(client):
    """POST /signup with valid values redirects to /welcome"""
    response = client.post("/signup", data=VALID)
    assert response.status_code in (302, 303), (
        "POST /signup with valid values (%r) should redirect (302 or 303), not answer %s." % (VALID, response.status)
    )
    location = response.headers.get("Location", "")
    assert urlsplit(location).path == "/welcome", "The redirect should go to /welcome, not to %r." % location


@pytest.mark.req(3, 4, 5, 6)
def test_empty_form_shows_every_error(client):
    """POST /signup with empty fields answers 400 with an error message for each field"""
    page = _post_invalid(client, {"name": "", "email": "", "age": ""}, "empty fields")
    missing = [field for field in FIELDS if not page.error(field)]
    assert not missing, "Every empty field needs an error message; none found in id=%s." % ", ".join(
        '"%s-error"' % field for field in missing
    )


@pytest.mark.req(4, 6)
def test_invalid_email_is_reported(client):
    """An invalid e-mail answers 400 with a message in #email-error only"""
    for email, why in (
        ("grace.example.com", "no @"),
        ("grace@example", "no . in the domain"),
        ("gra ce@example.com", "a space: the whole address must match, not just a part of it (re.fullmatch)"),
        ("grace@@example.com", "two @"),
        ("grace@example.com x", "text after the address: the whole address must match (re.fullmatch)"),
    ):
        page = _post_invalid(client, dict(VALID, email=email), "the e-mail %r (%s)" % (email, why))
        assert page.error("email"), 'The e-mail %r is invalid: show a message in id="email-error".' % email
        assert not page.error("name") and not page.error("age"), (
            "Only the e-mail was wrong (%r), so name and age should have no error text." % email
        )


@pytest.mark.req(5, 6)
def test_invalid_age_is_reported(client):
    """An age that is not a whole number from 13 to 120 answers 400 with a message in #age-error"""
    for age in ("abc", "12", "121", "-5", "3.5"):
        page = _post_invalid(client, dict(VALID, age=age), "the age %r" % age)
        assert page.error("age"), 'The age %r is invalid: show a message in id="age-error".' % age
        assert not page.error("name") and not page.error("email"), (
            "Only the age was wrong (%r), so name and e-mail should have no error text." % age
        )
    for age in ("13", "120"):
        response = client.post("/signup", data=dict(VALID, age=age))
        assert response.status_code in (302, 303), (
            "The age %s is allowed (13 to 120, both included): it should be accepted (redirect), not answer %s."
            % (age, response.status)
        )


@pytest.mark.req(3, 6)
def test_name_length_is_checked(client):
    """A name under 2 or over 50 characters (spaces around it removed) answers 400 with a message in #name-error"""
    page = _post_invalid(client, dict(VALID, name="  G  "), "the name '  G  ' (1 character once the spaces around it are removed)")
    assert page.error("name"), 'A 1-character name is too short: show a message in id="name-error".'
    page = _post_invalid(client, dict(VALID, name="A" * 51), "a name of 51 characters (longer than 50)")
    assert page.error("name"), 'A name of 51 characters is longer than 50: show a message in id="name-error".'
    assert not page.error("email") and not page.error("age"), "Only the name was wrong, so e-mail and age should have no error text."
    for name in ("A" * 50, "  " + "B" * 50 + "  ", " Al "):
        response = client.post("/signup", data=dict(VALID, name=name))
        assert response.status_code in (302, 303), (
            "The name %r is %d characters once the spaces around it are removed, within 2 to 50: it should "
            "be accepted (redirect), not answer %s." % (name, len(name.strip()), response.status)
        )


@pytest.mark.req(7)
def test_form_keeps_values(client):
    """The re-shown form keeps the values that were typed"""
    sent = {"name": "Grace Hopper", "email": "grace@example", "age": "200"}
    page = _post_invalid(client, sent, "an invalid e-mail and age")
    for field, value in sent.items():
        assert page.values.get(field) == value, (
            "After a failed POST the %s input should keep the value %r (its value attribute), not %r."
            % (field, value, page.values.get(field))
        )
