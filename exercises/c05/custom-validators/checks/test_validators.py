"""Checks for c05-custom-validators: validator functions, @validates, @validates_schema, all errors at once.
Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import pytest

from flask_tutor_pytest.helpers import about

START = "2030-05-01T09:00:00+00:00"
END = "2030-05-01T17:00:00+00:00"


def event(**changes):
    body = {"title": "PyCon", "slug": "pycon-2030", "starts_at": START, "ends_at": END, "capacity": 200,
            "tags": ["python"]}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not ...}


def errors_of(response, what):
    assert response.status_code == 400, (
        f"{what} should answer 400 with the field errors, got {response.status_code}: "
        f"{response.get_data(as_text=True)[:300]}"
    )
    body = response.get_json(silent=True)
    assert isinstance(body, dict) and isinstance(body.get("errors"), dict), (
        f'{what} should answer {{"errors": {{...}}}}, got {response.get_data(as_text=True)[:300]!r}'
    )
    return body["errors"]


def expect_error(client, body, field, message, what, hint=None):
    with about(hint=hint):
        errors = errors_of(client.post("/api/events", json=body), what)
        got = errors.get(field)
        if message is None:
            assert got, f"{what} should report an error on {field!r}, got {errors}"
        else:
            assert isinstance(got, list) and message in got, (
                f'{what} should report {field!r}: ["{message}"], got {errors}'
            )
    return errors


def created(client, body, what):
    response = client.post("/api/events", json=body)
    assert response.status_code == 201, (
        f"{what} is valid and should answer 201, got {response.status_code}: {response.get_data(as_text=True)[:300]}"
    )
    return response.get_json()


@pytest.mark.req(1)
def test_valid_event(client):
    """A valid event answers 201 with its fields and is read back by slug"""
    body = created(client, event(), "the example event")
    assert body.get("id") == 1, f"the first event should have id 1, got {body}"
    for key in ("title", "slug", "capacity", "tags"):
        assert body.get(key) == event()[key], f"the answer's {key!r} should be {event()[key]!r}, got {body}"
    assert "starts_at" in body and "ends_at" in body, f"the answer should have starts_at and ends_at, got {body}"
    second = created(client, event(slug="pycon-2031", tags=...), "an event without tags")
    assert second.get("id") == 2 and second.get("tags") == [], f'the second event should have id 2 and "tags": [], got {second}'
    got = client.get("/api/events/pycon-2030")
    assert got.status_code == 200, f"GET /api/events/pycon-2030 should answer 200, got {got.status_code}"
    assert (got.get_json().get("id"), got.get_json().get("title")) == (1, "PyCon"), f"wrong event read back: {got.get_json()}"
    assert client.get("/api/events/nope").status_code == 404, "GET /api/events/nope (unknown) should answer 404"


@pytest.mark.req(2, 3, 4, 5, 6)
def test_every_error_at_once(client):
    """Field errors and the date rule are reported together in one 400"""
    bad = event(title="   ", slug="Bad--Slug", starts_at=START, ends_at=START, capacity=0, tags=["a", "A"])
    what = "an event with five bad fields and equal dates"
    with about(hint="`@validates_schema(skip_on_field_errors=False)` runs the date rule even when other fields "
                    "failed; check that both dates are in `data` first."):
        errors = errors_of(client.post("/api/events", json=bad), what)
        assert errors.get("ends_at") == ["Must be after starts_at."], (
            f'{what} should also report "ends_at": ["Must be after starts_at."] with the other errors, got {errors}'
        )
    assert errors.get("title") == ["Must not be blank."], f'{what}: "title" should be ["Must not be blank."], got {errors}'
    assert errors.get("slug") == ["Use lower-case letters, digits and single hyphens."], f'{what}: wrong "slug" errors {errors}'
    assert errors.get("capacity"), f"{what}: capacity 0 should be reported, got {errors}"
    assert errors.get("tags") == ["Tags must be unique."], f'{what}: "tags" should be ["Tags must be unique."], got {errors}'
    assert set(errors) == {"title", "slug", "ends_at", "capacity", "tags"}, f"only the bad fields should be reported, got {errors}"


@pytest.mark.req(3)
def test_title(client):
    """Title: missing, blank, 80 and 81 characters"""
    expect_error(client, event(title=...), "title", "Missing data for required field.", "an event without a title")
    expect_error(client, event(title=""), "title", "Must not be blank.", "an empty title",
                 hint="Write a validator function that raises `ValidationError(\"Must not be blank.\")`.")
    expect_error(client, event(title="\t \n"), "title", "Must not be blank.", "a whitespace-only title")
    created(client, event(title="t" * 80), "a title of 80 characters")
    expect_error(client, event(title="t" * 81, slug="other"), "title", None, "a title of 81 characters")


@pytest.mark.req(4)
def test_slug_format(client):
    """Slug: lower-case groups joined by single hyphens"""
    message = "Use lower-case letters, digits and single hyphens."
    for slug in ("PyCon", "py con", "-pycon", "pycon-", "py--con", "py_con", ""):
        expect_error(client, event(slug=slug), "slug", message, f"the slug {slug!r}",
                     hint=r"Match the whole slug, for example `re.fullmatch(r\"[a-z0-9]+(-[a-z0-9]+)*\", value)`.")
    for slug in ("a", "py-con-2030", "2030"):
        created(client, event(slug=slug), f"an event with the slug {slug!r}")


@pytest.mark.req(4)
def test_slug_reserved_and_taken(client):
    """Slug: admin/api/new are reserved; an existing slug is taken"""
    for slug in ("admin", "api", "new"):
        expect_error(client, event(slug=slug), "slug", "This slug is reserved.", f"the slug {slug!r}")
    created(client, event(), "the first pycon-2030")
    expect_error(client, event(title="Copy"), "slug", "This slug is already taken.", "a second pycon-2030",
                 hint="In the `@validates(\"slug\")` method, look the slug up in the stored events "
                      "(`current_app.extensions[\"events\"]`).")
    assert client.get("/api/events/pycon-2030").get_json().get("title") == "PyCon", (
        "the rejected duplicate must not replace the first event"
    )


@pytest.mark.req(5)
def test_dates(client):
    """Dates need an offset; ends_at strictly after starts_at"""
    expect_error(client, event(starts_at="2030-05-01T09:00:00"), "starts_at", None,
                 "a starts_at without a timezone offset", hint="Use `fields.AwareDateTime`.")
    expect_error(client, event(ends_at="tomorrow"), "ends_at", None, 'an ends_at of "tomorrow"')
    expect_error(client, event(ends_at=START), "ends_at", "Must be after starts_at.", "ends_at equal to starts_at",
                 hint="Compare with `<=`: an event that ends when it starts is invalid.")
    expect_error(client, event(ends_at="2030-05-01T08:59:59Z"), "ends_at", "Must be after starts_at.",
                 "ends_at one second before starts_at")
    created(client, event(ends_at="2030-05-01T09:00:01Z"), "ends_at one second after starts_at")
    created(client, event(slug="offsets", starts_at="2030-05-01T10:00:00+02:00", ends_at="2030-05-01T09:00:00+00:00"),
            "10:00+02:00 to 09:00Z (one hour later in UTC)")


@pytest.mark.req(6)
def test_capacity_and_tags(client):
    """Capacity 1..500 and strict; tags at most 5, 1..20 characters, unique ignoring case"""
    for value in (0, 501, "100"):
        expect_error(client, event(capacity=value), "capacity", None, f"capacity {value!r}")
    created(client, event(slug="one", capacity=1), "capacity 1")
    created(client, event(slug="five-hundred", capacity=500, tags=["a", "b", "c", "d", "t" * 20]),
            "capacity 500 with 5 tags, one of 20 characters")
    expect_error(client, event(tags=["a", "b", "c", "d", "e", "f"]), "tags", None, "6 tags")
    expect_error(client, event(tags=["t" * 21]), "tags", None, "a tag of 21 characters")
    expect_error(client, event(tags=["Python", "flask", "python"]), "tags", "Tags must be unique.",
                 '"Python" and "python"',
                 hint="Compare `tag.casefold()` values, and raise `ValidationError(...)`: never return False.")
