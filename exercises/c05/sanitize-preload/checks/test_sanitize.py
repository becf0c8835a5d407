"""Checks for c05-sanitize-preload: sanitisation in a pre_load hook before validation, EXCLUDE, load_only password.
Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import pytest

from flask_tutor_pytest.helpers import about

KEYS = {"id", "username", "email", "display_name", "bio", "created_at"}
SECRET = "correct horse battery"


def user(**changes):
    body = {"username": "ada", "email": "ada@example.com", "display_name": "Ada Lovelace", "password": SECRET}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not ...}


def created(client, body, what):
    response = client.post("/api/users", json=body)
    assert response.status_code == 201, (
        f"{what} should answer 201, got {response.status_code}: {response.get_data(as_text=True)[:300]}"
    )
    return response.get_json()


def errors_of(response, what, status=400):
    assert response.status_code == status, (
        f"{what} should answer {status} with the field errors, got {response.status_code}: "
        f"{response.get_data(as_text=True)[:300]}"
    )
    body = response.get_json(silent=True)
    assert isinstance(body, dict) and isinstance(body.get("errors"), dict), (
        f'{what} should answer {{"errors": {{...}}}}, got {response.get_data(as_text=True)[:300]!r}'
    )
    return body["errors"]


@pytest.mark.req(1)
def test_sign_up_and_read(client):
    """A valid sign-up answers 201 with exactly the public keys; GET reads it back"""
    body = created(client, user(), "a valid sign-up")
    assert set(body) == KEYS, f"the answer should have exactly the keys {sorted(KEYS)}, got {sorted(body)}"
    assert (body["id"], body["username"], body["bio"]) == (1, "ada", ""), (
        f'expected id 1, username "ada" and bio "" (not sent), got {body}'
    )
    second = created(client, user(username="bob", email="bob@example.com", bio="hi"), "a second sign-up")
    assert second["id"] == 2 and second["bio"] == "hi", f"the second user should have id 2 and bio 'hi', got {second}"
    got = client.get("/api/users/1")
    assert got.status_code == 200 and got.get_json() == body, (
        f"GET /api/users/1 should answer 200 with {body}, got {got.status_code} {got.get_data(as_text=True)[:300]}"
    )
    listed = client.get("/api/users")
    assert listed.status_code == 200 and [u.get("id") for u in listed.get_json()] == [1, 2], (
        f"GET /api/users should answer 200 with both users, got {listed.status_code} {listed.get_data(as_text=True)[:300]}"
    )
    assert client.get("/api/users/9").status_code == 404, "GET /api/users/9 (unknown) should answer 404"


@pytest.mark.req(2, 3)
def test_sanitised_before_validation(client):
    """Messy but valid input is cleaned, then accepted (not a 400)"""
    messy = user(username="  Ada_L  ", email="  Ada@Example.COM ", display_name="  Ada \t  Lovelace \n",
                 bio="  <b>Tom & \"Jerry\"</b> isn't <script>alert(1)</script> ")
    with about(hint="Clean the raw input in a `@pre_load` method: it runs before the validators, "
                    "a `@post_load` runs after them (too late)."):
        body = created(client, messy, "a sign-up with spaces and capitals around valid values")
    expected = {
        "username": "ada_l",
        "email": "ada@example.com",
        "display_name": "Ada Lovelace",
        "bio": "&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt; isn&#x27;t &lt;script&gt;alert(1)&lt;/script&gt;",
    }
    for key, value in expected.items():
        with about(hint="`html.escape(text)` for the bio (it escapes quotes as &quot; and &#x27;)." if key == "bio" else None):
            assert body.get(key) == value, f"the sanitised {key} should be {value!r}, got {body.get(key)!r}"
    assert client.get("/api/users/1").get_json() == body, "the stored user should hold the sanitised values"


@pytest.mark.req(2)
def test_password_untouched(client):
    """The password is not stripped: '  1234567  ' is 11 characters, a valid length"""
    with about(hint="Leave the password out of the sanitising: spaces are part of a password."):
        created(client, user(password="  1234567  "), "a password of 11 characters with spaces around 7 digits")


@pytest.mark.req(3)
def test_validation_after_sanitising(client):
    """Whitespace-only names and every bad field are reported at once"""
    bad = {"username": "  A!  ", "email": " not-an-email ", "display_name": "   ", "password": "short",
           "bio": "x" * 501}
    errors = errors_of(client.post("/api/users", json=bad), "a sign-up with five bad fields")
    assert set(errors) == {"username", "email", "display_name", "password", "bio"}, (
        f"every bad field (username, email, display_name, password, bio) should be reported at once, got {errors}"
    )
    errors = errors_of(client.post("/api/users", json={}), "an empty object {}")
    for key in ("username", "email", "display_name", "password"):
        assert errors.get(key) == ["Missing data for required field."], f"{key} should be missing, got {errors}"
    assert "bio" not in errors, f"bio is optional, got {errors}"
    errors = errors_of(client.post("/api/users", json=user(email=5, username=["x"])), "an email of 5 and a list username")
    assert "email" in errors and "username" in errors, f"non-string values should be field errors, got {errors}"


@pytest.mark.req(3)
def test_boundaries(client):
    """Lengths on both sides: username 3/30, display_name 50, bio 500 after escaping, password 8/128"""
    created(client, user(username="abc", password="p" * 8, display_name="d" * 50, bio="b" * 500),
            "username of 3, password of 8, display_name of 50, bio of 500")
    created(client, user(username="u" * 30, email="u@example.com", password="p" * 128),
            "username of 30, password of 128")
    errors = errors_of(client.post("/api/users", json=user(username="ab", password="p" * 7, display_name="d" * 51,
                                                           email="x@example.com")),
                       "username of 2, password of 7, display_name of 51")
    assert {"username", "password", "display_name"} <= set(errors), f"all three should be reported, got {errors}"
    errors = errors_of(client.post("/api/users", json=user(username="u" * 31, password="p" * 129, email="y@example.com",
                                                           bio="<" * 125)),
                       "username of 31, password of 129, bio of 125 '<' (500 characters once escaped)")
    assert {"username", "password"} <= set(errors) and "bio" not in errors, (
        f"username and password should be reported, the bio (exactly 500 escaped characters) should not, got {errors}"
    )
    errors = errors_of(client.post("/api/users", json=user(email="z@example.com", username="zed", bio="<" * 126)),
                       "a bio of 126 '<' (504 characters once escaped)")
    with about(hint="Validation runs on the sanitised value: escape in `@pre_load`, then `Length(max=500)` applies."):
        assert "bio" in errors, f"a bio of 504 characters after escaping should be reported, got {errors}"


@pytest.mark.req(3)
def test_not_an_object(client):
    """No body and an array answer 400 _schema Invalid input type., never a crash"""
    for label, kwargs in (("no body", {}), ("a JSON array", {"json": [user()]}), ("a JSON string", {"json": "ada"})):
        with about(hint="In the hook, `if not isinstance(data, dict): return data` and let marshmallow report it."):
            errors = errors_of(client.post("/api/users", **kwargs), f"POST /api/users with {label}")
        assert errors == {"_schema": ["Invalid input type."]}, f"{label} should give _schema Invalid input type., got {errors}"


@pytest.mark.req(4)
def test_unknown_fields_excluded(client):
    """Unknown keys and the dump-only id/created_at are ignored, never stored"""
    with about(hint="`class Meta: unknown = EXCLUDE` on the schema."):
        body = created(client, user(is_admin=True, role="root", id=999, created_at="1999-01-01T00:00:00"),
                       "a sign-up with is_admin, role, id and created_at")
    assert set(body) == KEYS, f"unknown fields must not be returned, got {sorted(body)}"
    assert body["id"] == 1, f"the server picks the id (1), not the request (999), got {body['id']}"
    assert not body["created_at"].startswith("1999"), f"the server picks created_at, got {body['created_at']}"
    assert "is_admin" not in client.get("/api/users/1").get_json(), "unknown fields must not be stored"


@pytest.mark.req(5)
def test_password_never_leaks(client):
    """No answer contains the password key or value"""
    first = client.post("/api/users", json=user())
    answers = [first, client.get("/api/users/1"), client.get("/api/users")]
    with about(hint="`password = fields.String(required=True, load_only=True, ...)`."):
        for response in answers:
            text = response.get_data(as_text=True)
            assert "password" not in text and SECRET not in text, (
                f"{response.request.method} {response.request.path} must never show the password, got {text[:300]}"
            )


@pytest.mark.req(6)
def test_duplicates_after_sanitising(client):
    """Same username/email in another spelling answers 409 with each clashing field"""
    created(client, user(), "the first ada")
    response = client.post("/api/users", json=user(username=" ADA ", email=" Ada@EXAMPLE.com", display_name="Other"))
    with about(hint="Compare the sanitised values with the stored users after `load()`."):
        errors = errors_of(response, "a second ' ADA ' / ' Ada@EXAMPLE.com'", status=409)
    assert errors == {"username": ["Already registered."], "email": ["Already registered."]}, (
        f"both clashing fields should be reported, got {errors}"
    )
    errors = errors_of(client.post("/api/users", json=user(username="ada2")), "a new username with ada's email", 409)
    assert errors == {"email": ["Already registered."]}, f'only "email" clashes, got {errors}'
    created(client, user(username="ada2", email="ada2@example.com"), "a new username and email")
