"""Checks for c05-pipeline: normalise (pre_load) -> validate -> transform (post_load) -> de-duplicate -> serialise.
Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import pytest

from flask_tutor_pytest.helpers import about

URL = "/api/contacts/import"
OUT_KEYS = {"first_name", "last_name", "email", "phone", "country", "signup_date"}


def row(**changes):
    body = {"full_name": "Ada Lovelace", "email": "ada@example.com", "phone": "+442079460958", "country": "GB",
            "signup_date": "2024-03-05"}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not ...}


def run(client, records, what):
    response = client.post(URL, json={"records": records})
    assert response.status_code == 200, (
        f"{what} should answer 200, got {response.status_code}: {response.get_data(as_text=True)[:300]}"
    )
    body = response.get_json(silent=True)
    assert isinstance(body, dict) and {"imported", "rejected", "summary"} <= set(body), (
        f'{what} should answer {{"imported": [...], "rejected": [...], "summary": {{...}}}}, got {response.get_data(as_text=True)[:300]}'
    )
    return body


def errors_of(response, what):
    assert response.status_code == 400, (
        f"{what} should answer 400, got {response.status_code}: {response.get_data(as_text=True)[:300]}"
    )
    body = response.get_json(silent=True)
    assert isinstance(body, dict) and isinstance(body.get("errors"), dict), (
        f'{what} should answer {{"errors": {{...}}}}, got {response.get_data(as_text=True)[:300]!r}'
    )
    return body["errors"]


@pytest.mark.req(1)
def test_envelope(client):
    """The batch envelope: records, a list of 1 to 100, no other key"""
    with about(hint="Load the body with a small schema: `records = fields.List(fields.Raw(), required=True, "
                    "validate=validate.Length(min=1, max=100))`."):
        errors = errors_of(client.post(URL, json={}), "an empty object {}")
        assert errors == {"records": ["Missing data for required field."]}, f"records is required, got {errors}"
        errors = errors_of(client.post(URL, json={"records": []}), "records: []")
        assert errors.get("records"), f"an empty list should be reported on records, got {errors}"
        errors_of(client.post(URL, json={"records": [row()] * 101}), "101 records")
        errors = errors_of(client.post(URL, json={"records": [row()], "source": "crm"}), "an extra key source")
        assert errors.get("source") == ["Unknown field."], f'"source" should be ["Unknown field."], got {errors}'
        for label, kwargs in (("no body", {}), ("a JSON array", {"json": [row()]})):
            errors = errors_of(client.post(URL, **kwargs), label)
            assert errors == {"_schema": ["Invalid input type."]}, f"{label} should give _schema Invalid input type., got {errors}"
        errors_of(client.post(URL, json={"records": "ada"}), "records as a string")
    body = run(client, [row(email=f"u{i}@example.com") for i in range(100)], "exactly 100 records")
    assert body["summary"].get("imported") == 100, f"all 100 records should be imported, got {body['summary']}"
    body = run(client, [{"email": "bad"}], "a batch whose only record is bad")
    assert body["imported"] == [], f"nothing should be imported, got {body['imported']}"


@pytest.mark.req(2, 4)
def test_normalise_then_transform(client):
    """Messy but valid rows are normalised and transformed into the output format"""
    raw = {"full_name": "  Ada   Lovelace \t", "email": " ADA@Example.com ", "phone": "+44 (20) 7946-0958",
           "country": " gb", "signup_date": "2024-03-05", "source_row": 2}
    with about(hint="Normalise in a `@pre_load` hook: the validators must see the cleaned values."):
        body = run(client, [raw], "one messy but valid row")
        assert body["rejected"] == [], f"the messy row is valid once normalised and should not be rejected, got {body['rejected']}"
    expected = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com", "phone": "+442079460958",
                "country": "GB", "signup_date": "2024-03-05"}
    assert body["imported"] == [expected], f"the imported record should be {expected}, got {body['imported']}"
    body = run(client, [row(full_name="Cher", email="cher@example.com", phone="+1.555.010.9999"),
                        row(full_name=" Anne  Marie  de  Vries ", email="anne@example.com", phone=...)],
               "a one-word name and a four-word name")
    first, second = body["imported"]
    assert (first["first_name"], first["last_name"], first["phone"]) == ("Cher", "", "+15550109999"), (
        f'"Cher" should give first_name "Cher", last_name "" and phone "+15550109999", got {first}'
    )
    with about(hint="`first, _, last = full_name.partition(\" \")` in a `@post_load`."):
        assert (second["first_name"], second["last_name"], second["phone"]) == ("Anne", "Marie de Vries", None), (
            f'" Anne  Marie  de  Vries " without a phone should give "Anne", "Marie de Vries" and phone null, got {second}'
        )


@pytest.mark.req(3, 4)
def test_output_keys_only(client):
    """Extra columns are ignored and never output; output has exactly the six keys"""
    body = run(client, [row(source_row=7, notes="vip", password="x")], "a row with extra columns")
    assert body["rejected"] == [], f"extra columns should be ignored, not rejected: {body['rejected']}"
    assert set(body["imported"][0]) == OUT_KEYS, f"the output should have exactly {sorted(OUT_KEYS)}, got {sorted(body['imported'][0])}"


@pytest.mark.req(3, 5)
def test_rejected_with_index_and_every_error(client):
    """Bad rows are rejected with their index and all their field errors; good rows still import"""
    records = [
        row(email="one@example.com"),
        row(full_name="   ", email="not-an-email", phone="12345", country="GBR", signup_date="05/03/2024"),
        "just a string",
        row(email="two@example.com", phone=" ", country="fr"),
        {"email": "three@example.com"},
    ]
    body = run(client, records, "five records, three of them bad")
    assert [r.get("index") for r in body["rejected"]] == [1, 2, 4], (
        f"rejected should list the indexes [1, 2, 4] in order, got {body['rejected']}"
    )
    errors = body["rejected"][0]["errors"]
    assert set(errors) == {"full_name", "email", "phone", "country", "signup_date"}, (
        f"record 1 has five bad fields, all should be reported at once, got {errors}"
    )
    assert errors["phone"] == ["Use international format, e.g. +44 20 7946 0958."], f"wrong phone message: {errors['phone']}"
    assert errors["country"] == ["Use a two-letter country code."], f"wrong country message: {errors['country']}"
    assert body["rejected"][1]["errors"] == {"_schema": ["Invalid input type."]}, (
        f'a string record should have errors {{"_schema": ["Invalid input type."]}}, got {body["rejected"][1]}'
    )
    missing = body["rejected"][2]["errors"]
    assert all(missing.get(k) == ["Missing data for required field."] for k in ("full_name", "country", "signup_date")), (
        f"record 4 lacks full_name, country and signup_date, got {missing}"
    )
    assert "phone" not in missing, f"phone is optional, got {missing}"
    assert [c["email"] for c in body["imported"]] == ["one@example.com", "two@example.com"], (
        f"records 0 and 3 should still be imported, in order, got {body['imported']}"
    )
    assert body["imported"][1]["phone"] is None and body["imported"][1]["country"] == "FR", (
        f'a phone of " " counts as no phone (null) and "fr" becomes "FR", got {body["imported"][1]}'
    )


@pytest.mark.req(3)
def test_boundaries(client):
    """Phone 8 and 15 digits pass, 7 and 16 fail; full_name 100 passes, 101 fails"""
    records = [row(email="a@x.io", phone="+12345678"), row(email="b@x.io", phone="+123456789012345"),
               row(email="c@x.io", phone="+1234567"), row(email="d@x.io", phone="+1234567890123456"),
               row(email="e@x.io", full_name="n" * 100), row(email="f@x.io", full_name="n" * 101),
               row(email="g@x.io", phone="0044 20 7946 0958"), row(email="h@x.io", signup_date="2024-02-30")]
    body = run(client, records, "eight boundary records")
    assert [r["index"] for r in body["rejected"]] == [2, 3, 5, 6, 7], (
        "phones of 7 and 16 digits, a name of 101 characters, a phone without + and 2024-02-30 should be rejected "
        f"(indexes [2, 3, 5, 6, 7]), got {body['rejected']}"
    )


@pytest.mark.req(6)
def test_duplicates_and_summary(client):
    """Duplicates by normalised email are skipped and counted; the summary adds up"""
    records = [row(email="ada@example.com"), row(email=" ADA@example.COM ", full_name="Other Ada"),
               row(email="bad"), row(email="bob@example.com"), row(email="Bob@Example.com")]
    with about(hint="Keep a set of the emails imported so far (after normalising) and skip a record already seen."):
        body = run(client, records, "five records with two duplicates and one bad")
        assert [c["email"] for c in body["imported"]] == ["ada@example.com", "bob@example.com"], (
            f"only the first ada and the first bob should be imported, got {[c['email'] for c in body['imported']]}"
        )
        assert body["imported"][0]["first_name"] == "Ada", "the first record with an email wins"
    assert [r["index"] for r in body["rejected"]] == [2], f"only record 2 is rejected (duplicates are not), got {body['rejected']}"
    expected = {"received": 5, "imported": 2, "rejected": 1, "duplicates": 2}
    assert body["summary"] == expected, f"the summary should be {expected}, got {body['summary']}"
