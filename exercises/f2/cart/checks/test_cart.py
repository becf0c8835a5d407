"""Checks for f2-cart. Each check names the brief's numbered requirements it covers."""
import pytest


def _cart(client, what="GET /cart"):
    response = client.get("/cart")
    assert response.status_code == 200, "%s should answer 200." % what
    assert response.is_json, "%s should answer JSON, not %r." % (what, response.content_type)
    data = response.get_json()
    assert isinstance(data, dict) and isinstance(data.get("items"), list) and "count" in data, (
        '%s should answer {"items": [...], "count": n}; got %r.' % (what, data)
    )
    return data


def _has_string_ids(data):
    return any(isinstance(i, dict) and isinstance(i.get("product_id"), str) for i in data.get("items") or [])


def _items(data):
    """The items as {product_id: quantity}, whatever their order."""
    result = {}
    for item in data["items"]:
        assert isinstance(item, dict) and "product_id" in item and "quantity" in item, (
            'Each item should look like {"product_id": 7, "quantity": 2}; got %r.' % (item,)
        )
        result[item["product_id"]] = item["quantity"]
    return result


def _add(client, product_id, quantity):
    response = client.post("/cart/items", json={"product_id": product_id, "quantity": quantity})
    assert response.status_code == 201, "POST /cart/items with product %s x %s should answer 201." % (product_id, quantity)
    return response


@pytest.mark.req(1)
def test_new_client_has_empty_cart(client):
    """A new client's GET /cart answers 200 with {"items": [], "count": 0}"""
    data = _cart(client)
    assert data == {"items": [], "count": 0}, 'A new client should have an empty cart {"items": [], "count": 0}; got %r.' % (
        data,
    )


@pytest.mark.req(2, 7)
def test_add_item(client):
    """POST /cart/items answers 201 and the item is in the cart on the next request"""
    _add(client, 7, 2)
    data = _cart(client, "GET /cart after adding product 7 x 2")
    assert _items(data) == {7: 2}, (
        "After adding product 7 x 2 the cart should hold [{\"product_id\": 7, \"quantity\": 2}] "
        "(product_id as a number); it holds %r. %s" % (
            data["items"],
            "The session stores the ids as strings (JSON object keys): turn them back into numbers "
            "in the answers (int(...))."
            if _has_string_ids(data) else "Did you save the cart in the session?",
        )
    )
    assert data["count"] == 2, "count should be 2, not %r." % (data["count"],)


@pytest.mark.req(3)
def test_quantities_add_up(client):
    """Adding a product again adds to its quantity, and count sums every quantity"""
    _add(client, 7, 2)
    _add(client, 3, 1)
    _add(client, 7, 3)
    data = _cart(client, "GET /cart after adding 7 x 2, 3 x 1, 7 x 3")
    assert _items(data) == {7: 5, 3: 1}, "The cart should hold product 7 x 5 and product 3 x 1; it holds %r." % (
        data["items"],
    )
    assert data["count"] == 6, "count should be the sum of the quantities, 6, not %r." % (data["count"],)


@pytest.mark.req(4)
def test_cart_belongs_to_one_client(app, client):
    """Each client has its own cart: another client still sees an empty one"""
    _add(client, 7, 2)
    other = app.test_client()
    assert _cart(other, "GET /cart from another client") == {"items": [], "count": 0}, (
        "Another client (no session cookie) should get an empty cart: keep the cart in the session, "
        "not in a global variable."
    )
    assert _items(_cart(client)) == {7: 2}, "The first client should still have product 7 x 2."


@pytest.mark.req(5)
def test_delete_item(client):
    """DELETE /cart/items/<id> removes the product; an id not in the cart answers 404"""
    _add(client, 7, 2)
    _add(client, 3, 1)
    response = client.delete("/cart/items/7")
    assert response.status_code == 200, "DELETE /cart/items/7 should answer 200."
    data = _cart(client, "GET /cart after DELETE /cart/items/7")
    assert _items(data) == {3: 1} and data["count"] == 1, (
        "After removing product 7 only product 3 x 1 should be left (count 1); got %r." % (data,)
    )
    missing = client.delete("/cart/items/7")
    assert missing.status_code == 404, "Removing a product that is not in the cart should answer 404."
    assert missing.is_json and (missing.get_json() or {}).get("error"), (
        'The 404 should be a JSON error like {"error": "..."}.'
    )


@pytest.mark.req(6)
def test_invalid_items_are_400(client):
    """Bad bodies for POST /cart/items answer 400 with a JSON error and leave the cart unchanged"""
    bad = [
        ("no JSON body", dict(data="product_id=7", content_type="application/x-www-form-urlencoded")),
        ("a missing product_id", dict(json={"quantity": 1})),
        ("a missing quantity", dict(json={"product_id": 7})),
        ("a quantity of 0", dict(json={"product_id": 7, "quantity": 0})),
        ("a negative quantity", dict(json={"product_id": 7, "quantity": -2})),
        ('a quantity of "two"', dict(json={"product_id": 7, "quantity": "two"})),
        ('a product_id of "abc"', dict(json={"product_id": "abc", "quantity": 1})),
    ]
    for what, kwargs in bad:
        response = client.post("/cart/items", **kwargs)
        assert response.status_code == 400, "POST /cart/items with %s should answer 400." % what
        assert response.is_json and (response.get_json() or {}).get("error"), (
            'POST /cart/items with %s should answer a JSON error like {"error": "..."}.' % what
        )
    after = _cart(client, "GET /cart after the refused requests")
    assert after == {"items": [], "count": 0}, (
        "Refused requests must not change the cart; after them it is %r. Validate both fields before "
        "touching the cart." % (after,)
    )


@pytest.mark.req(6)
def test_numbers_must_be_json_numbers(client):
    """A product_id or quantity sent as a string, a boolean or a fraction answers 400 and changes nothing"""
    for what, body in (
        ('a quantity of "2" (a string)', {"product_id": 7, "quantity": "2"}),
        ('a product_id of "7" (a string)', {"product_id": "7", "quantity": 1}),
        ("a quantity of true", {"product_id": 7, "quantity": True}),
        ("a quantity of 1.5", {"product_id": 7, "quantity": 1.5}),
    ):
        response = client.post("/cart/items", json=body)
        assert response.status_code == 400, (
            "POST /cart/items with %s should answer 400: the brief asks for JSON numbers (whole, at least 1), "
            "not strings, booleans or fractions. Check the type (isinstance(value, int) and not a bool) "
            "instead of converting with int()." % what
        )
    after = _cart(client, "GET /cart after the refused requests")
    assert after == {"items": [], "count": 0}, (
        "Refused requests must not change the cart; after them it is %r. Validate both fields before "
        "touching the cart." % (after,)
    )
