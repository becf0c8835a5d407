"""Checks for c05-nested-schemas: nested marshmallow schemas, every field-level error at once, RAISE on unknown fields.
Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import copy

import pytest

from flask_tutor_pytest.helpers import about

VALID = {
    "customer": {"name": "Ada", "email": "ada@example.com"},
    "shipping": {"street": "1 Main St", "city": "Springfield", "postcode": "12345"},
    "items": [{"sku": "KB-1", "quantity": 2}, {"sku": "MS-9", "quantity": 1}],
}
MISSING = ["Missing data for required field."]
UNKNOWN = ["Unknown field."]


def order(**changes):
    body = copy.deepcopy(VALID)
    body.update(changes)
    return body


def errors_of(response, what):
    with about(hint="Register `@app.errorhandler(ValidationError)` returning `jsonify(errors=error.messages), 400`.",
               blame="app"):
        assert response.status_code == 400, (
            f"{what} should answer 400 with the field errors, got {response.status_code}: "
            f"{response.get_data(as_text=True)[:300]}"
        )
    body = response.get_json(silent=True)
    assert isinstance(body, dict) and isinstance(body.get("errors"), dict), (
        f'{what} should answer a JSON object {{"errors": {{...}}}}, got {response.get_data(as_text=True)[:300]!r}'
    )
    return body["errors"]


def messages_at(errors, path, what):
    node = errors
    for key in path:
        assert isinstance(node, dict) and key in node, (
            f"{what}: the errors should report {'.'.join(path)} (every bad field at once, nested like the input), "
            f"got {errors}"
        )
        node = node[key]
    assert isinstance(node, list) and node and all(isinstance(m, str) for m in node), (
        f"{what}: errors.{'.'.join(path)} should be a list of message strings, got {node!r}"
    )
    return node


@pytest.mark.req(1)
def test_valid_order_created_and_read(client):
    """A valid order answers 201 with an id and is read back with GET"""
    response = client.post("/api/orders", json=VALID)
    assert response.status_code == 201, (
        f"POST /api/orders with a valid order should answer 201, got {response.status_code}: "
        f"{response.get_data(as_text=True)[:300]}"
    )
    body = response.get_json()
    assert body.get("id") == 1, f"the first order should have id 1, got {body}"
    for key in ("customer", "shipping", "items"):
        assert body.get(key) == VALID[key], f"the answer's {key!r} should be {VALID[key]}, got {body.get(key)!r}"
    second = client.post("/api/orders", json=order(items=[{"sku": "X", "quantity": 99}]))
    assert second.status_code == 201 and second.get_json().get("id") == 2, (
        f"a second valid order (quantity 99, the maximum) should answer 201 with id 2, got {second.status_code} "
        f"{second.get_data(as_text=True)[:200]}"
    )
    got = client.get("/api/orders/1")
    assert got.status_code == 200 and got.get_json() == body, (
        f"GET /api/orders/1 should answer 200 with {body}, got {got.status_code} {got.get_data(as_text=True)[:300]}"
    )
    assert client.get("/api/orders/99").status_code == 404, "GET /api/orders/99 (unknown) should answer 404"


@pytest.mark.req(2, 3)
def test_every_bad_field_at_once(client):
    """One request with many bad fields gets every one of them, nested by path"""
    bad = {
        "customer": {"name": "", "email": "not-an-email"},
        "shipping": {"street": "1 Main St", "postcode": "1234"},
        "items": [{"sku": "KB-1", "quantity": 2}, {"sku": "", "quantity": 0}],
    }
    errors = errors_of(client.post("/api/orders", json=bad), "an order with six bad fields")
    what = "an order with six bad fields"
    messages_at(errors, ["customer", "name"], what)
    assert messages_at(errors, ["customer", "email"], what) == ["Not a valid email address."], (
        f'errors.customer.email should be ["Not a valid email address."], got {errors["customer"]["email"]!r}'
    )
    assert messages_at(errors, ["shipping", "city"], what) == MISSING, (
        f"a missing city should say {MISSING}, got {errors['shipping']['city']!r}"
    )
    assert messages_at(errors, ["shipping", "postcode"], what) == ["Must be 5 digits."], (
        f'errors.shipping.postcode should be ["Must be 5 digits."], got {errors["shipping"]["postcode"]!r}'
    )
    with about(hint="Item errors are keyed by the item's index: `items` is `fields.List(fields.Nested(ItemSchema))`."):
        messages_at(errors, ["items", "1", "sku"], what)
        messages_at(errors, ["items", "1", "quantity"], what)
    assert "0" not in errors["items"], f"item 0 is valid and should not be reported, got {errors['items']}"
    assert set(errors) == {"customer", "shipping", "items"}, f"only the bad fields should be reported, got {errors}"


@pytest.mark.req(2, 3)
def test_missing_objects_and_empty_lists(client):
    """Missing nested objects are required; items needs 1 to 20 entries"""
    errors = errors_of(client.post("/api/orders", json={}), "an empty object {}")
    for key in ("customer", "shipping", "items"):
        assert errors.get(key) == MISSING, f"an empty object should report {key!r}: {MISSING}, got {errors}"
    errors = errors_of(client.post("/api/orders", json=order(items=[])), "an order with no items")
    messages_at(errors, ["items"], "an order with no items")
    twenty = [{"sku": f"S{i}", "quantity": 1} for i in range(20)]
    assert client.post("/api/orders", json=order(items=twenty)).status_code == 201, (
        "an order with exactly 20 items (the maximum) should answer 201"
    )
    errors = errors_of(client.post("/api/orders", json=order(items=twenty + [{"sku": "S20", "quantity": 1}])),
                       "an order with 21 items")
    messages_at(errors, ["items"], "an order with 21 items")


@pytest.mark.req(2, 3)
def test_field_boundaries(client):
    """Lengths, the quantity range and strict integers on both sides of each limit"""
    ok = order(customer={"name": "n" * 100, "email": "a@b.io"},
               shipping={"street": "s" * 200, "city": "c" * 100, "postcode": "00000"},
               items=[{"sku": "k" * 32, "quantity": 1}])
    response = client.post("/api/orders", json=ok)
    assert response.status_code == 201, (
        f"an order at every maximum length (name 100, street 200, city 100, sku 32, quantity 1) should answer 201, "
        f"got {response.status_code}: {response.get_data(as_text=True)[:300]}"
    )
    over = order(customer={"name": "n" * 101, "email": "a@b.io"},
                 shipping={"street": "s" * 201, "city": "c" * 101, "postcode": "000000"},
                 items=[{"sku": "k" * 33, "quantity": 100}, {"sku": "a", "quantity": "2"}, {"sku": "b", "quantity": 2.5}])
    errors = errors_of(client.post("/api/orders", json=over), "an order one over every limit")
    what = "an order one over every limit"
    for path in (["customer", "name"], ["shipping", "street"], ["shipping", "city"], ["shipping", "postcode"],
                 ["items", "0", "sku"], ["items", "0", "quantity"]):
        messages_at(errors, path, what)
    with about(hint='`fields.Integer(strict=True)` refuses the string "2" and 2.5.'):
        messages_at(errors, ["items", "1", "quantity"], what + ' (quantity "2", a string)')
        messages_at(errors, ["items", "2", "quantity"], what + " (quantity 2.5)")


@pytest.mark.req(4)
def test_unknown_fields_raise_everywhere(client):
    """Unknown keys (and the dump-only id) are reported at every level"""
    bad = order(id=7, coupon="FREE",
                customer={"name": "Ada", "email": "ada@example.com", "admin": True},
                shipping={"street": "1 Main St", "city": "Springfield", "postcode": "12345", "floor": 3},
                items=[{"sku": "KB-1", "quantity": 2, "price": 0}])
    response = client.post("/api/orders", json=bad)
    with about(hint="Keep marshmallow's default `unknown = RAISE`: do not set `EXCLUDE` or `INCLUDE` in any `Meta`."):
        errors = errors_of(response, "an order with unknown fields at every level")
    what = "an order with unknown fields at every level"
    for path in (["coupon"], ["customer", "admin"], ["shipping", "floor"], ["items", "0", "price"]):
        assert messages_at(errors, path, what) == UNKNOWN, f"errors.{'.'.join(path)} should be {UNKNOWN}, got {errors}"
    with about(hint="`id = fields.Integer(dump_only=True)`: a dump-only field in the input is an unknown field."):
        assert errors.get("id") == UNKNOWN, f"an id in the body (output only) should be {UNKNOWN}, got {errors}"
    assert client.get("/api/orders/7").status_code == 404, "the rejected order must not be stored"


@pytest.mark.req(5)
def test_not_an_object(client):
    """No body, broken JSON and an array answer 400 _schema Invalid input type."""
    expected = {"_schema": ["Invalid input type."]}
    for label, kwargs in (("no body", {}), ("broken JSON", {"data": "{oops", "content_type": "application/json"}),
                          ("a JSON array", {"json": [VALID]})):
        with about(hint="Pass `request.get_json(silent=True)` to `schema.load()`: it rejects None and lists itself."):
            errors = errors_of(client.post("/api/orders", **kwargs), f"POST /api/orders with {label}")
        assert errors == expected, f"POST /api/orders with {label} should answer errors {expected}, got {errors}"
