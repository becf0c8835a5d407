"""Checks for c05-schema-versions: one store, a marshmallow schema per API version, v1 deprecation headers.
Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import pytest

from flask_tutor_pytest.helpers import about

V1 = "/api/v1/products"
V2 = "/api/v2/products"
DEPRECATION = "@1767225600"
LINK = '</api/v2/products>; rel="successor-version"'


def v2_body(title="Lamp", amount=1999, currency="USD"):
    return {"title": title, "price": {"amount": amount, "currency": currency}}


def created(client, url, body, what):
    response = client.post(url, json=body)
    assert response.status_code == 201, (
        f"{what} should answer 201, got {response.status_code}: {response.get_data(as_text=True)[:300]}"
    )
    return response.get_json()


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


@pytest.mark.req(1)
def test_v2_create_and_read(client):
    """v2 creates and reads products in its shape"""
    body = created(client, V2, v2_body(), "POST /api/v2/products")
    assert body == {"id": 1, **v2_body()}, f"v2 should answer {{'id': 1, **{v2_body()}}}, got {body}"
    got = client.get(f"{V2}/1")
    assert got.status_code == 200 and got.get_json() == body, f"GET {V2}/1 should answer {body}, got {got.get_json()}"
    listed = client.get(V2)
    assert listed.status_code == 200 and listed.get_json() == [body], f"GET {V2} should list [{body}], got {listed.get_json()}"
    assert client.get(f"{V2}/9").status_code == 404, f"GET {V2}/9 (unknown) should answer 404"


@pytest.mark.req(2)
def test_v2_validation(client):
    """v2 reports every bad field, nested, and rejects unknown ones"""
    errors = errors_of(client.post(V2, json={"title": "", "price": {"amount": "10", "currency": "JPY"}, "sku": 1}),
                       "a v2 body with four bad fields")
    assert errors.get("title") and errors.get("sku") == ["Unknown field."], f"title and sku should be reported, got {errors}"
    price = errors.get("price")
    assert isinstance(price, dict) and price.get("amount") and price.get("currency"), (
        f"price.amount and price.currency should be reported nested under price, got {errors}"
    )
    for amount, ok in ((1, True), (100_000_000, True), (0, False), (100_000_001, False), (1.5, False)):
        response = client.post(V2, json=v2_body(amount=amount))
        assert (response.status_code == 201) is ok, f"v2 amount {amount} should answer {201 if ok else 400}, got {response.status_code}"
    for currency in ("USD", "EUR", "GBP"):
        created(client, V2, v2_body(currency=currency), f"v2 with currency {currency}")
    errors = errors_of(client.post(V2, json={}), "an empty v2 body")
    assert set(errors) == {"title", "price"}, f"title and price are required, got {errors}"


@pytest.mark.req(3)
def test_v1_create_and_read(client):
    """v1 creates USD products from dollars and reads them back as dollars"""
    with about(hint='Register `products_blueprint("v1", ProductV1Schema())`.', blame="app"):
        body = created(client, V1, {"name": "Lamp", "price": 19.99}, "POST /api/v1/products")
    assert body == {"id": 1, "name": "Lamp", "price": 19.99}, f'v1 should answer {{"id": 1, "name": "Lamp", "price": 19.99}}, got {body}'
    got = client.get(f"{V1}/1")
    assert got.status_code == 200 and got.get_json() == body, f"GET {V1}/1 should answer {body}, got {got.get_json()}"
    assert client.get(V1).get_json() == [body], f"GET {V1} should list [{body}], got {client.get(V1).get_json()}"
    assert client.get(f"{V1}/9").status_code == 404, f"GET {V1}/9 (unknown) should answer 404"
    with about(hint="In v1's `@post_load`, store `round(price * 100)` cents and the currency USD."):
        assert client.get(f"{V2}/1").get_json() == {"id": 1, **v2_body()}, (
            f"the v1 product should be stored as 1999 USD cents (read through v2: {v2_body()}), "
            f"got {client.get(f'{V2}/1').get_json()}"
        )


@pytest.mark.req(4)
def test_v1_validation(client):
    """v1: name, price range and 2 decimals; a v2 body is rejected"""
    for price, ok in ((0.01, True), (1_000_000, True), (12.5, True), (0, False), (1_000_000.01, False)):
        response = client.post(V1, json={"name": "x", "price": price})
        assert (response.status_code == 201) is ok, f"v1 price {price} should answer {201 if ok else 400}, got {response.status_code}"
    with about(hint="A validator function: `if round(value, 2) != value: raise ValidationError(\"At most 2 decimal places.\")`."):
        errors = errors_of(client.post(V1, json={"name": "x", "price": 12.345}), "v1 price 12.345")
        assert errors.get("price") == ["At most 2 decimal places."], f'price 12.345 should say ["At most 2 decimal places."], got {errors}'
    errors = errors_of(client.post(V1, json={"name": "", "price": 1}), "an empty v1 name")
    assert errors.get("name"), f"an empty name should be reported, got {errors}"
    errors = errors_of(client.post(V1, json={"name": "n" * 101, "price": 1}), "a v1 name of 101 characters")
    assert client.post(V1, json={"name": "n" * 100, "price": 1}).status_code == 201, "a v1 name of 100 characters should answer 201"
    errors = errors_of(client.post(V1, json=v2_body()), "a v2 body sent to v1")
    assert errors.get("title") == ["Unknown field."] and errors.get("name") == ["Missing data for required field."], (
        f'a v2 body sent to v1 should report "title": ["Unknown field."] and "name": ["Missing data for required field."], got {errors}'
    )


@pytest.mark.req(5)
def test_one_store_both_ways(client):
    """Products are shared; a non-USD product has price null in v1"""
    created(client, V1, {"name": "Lamp", "price": 5}, "a v1 product")
    created(client, V2, v2_body(title="Desk", amount=25050, currency="USD"), "a v2 USD product")
    created(client, V2, v2_body(title="Chair", amount=4000, currency="EUR"), "a v2 EUR product")
    with about(hint="Both blueprints must read and write the same store (`current_app.extensions[\"products\"]`)."):
        got = client.get(f"{V1}/2")
        assert got.status_code == 200 and got.get_json() == {"id": 2, "name": "Desk", "price": 250.5}, (
            f'the v2 product 2 read through v1 should be {{"id": 2, "name": "Desk", "price": 250.5}}, got {got.get_json()}'
        )
    with about(hint="In v1's `@pre_dump`, answer `None` as the price when the currency is not USD."):
        got = client.get(f"{V1}/3").get_json()
        assert got == {"id": 3, "name": "Chair", "price": None}, (
            f'a EUR product read through v1 should have "price": null, got {got}'
        )
    assert client.get(f"{V2}/1").get_json() == {"id": 1, **v2_body(amount=500)}, (
        f"the v1 product read through v2 should be {{'id': 1, **{v2_body(amount=500)}}}, got {client.get(f'{V2}/1').get_json()}"
    )
    assert [p["id"] for p in client.get(V1).get_json()] == [1, 2, 3], "GET /api/v1/products should list all three"


@pytest.mark.req(6)
def test_deprecation_headers(client):
    """Every v1 answer (201, 200, 400, 404) carries Deprecation and Link; v2 does not"""
    answers = [client.post(V1, json={"name": "Lamp", "price": 1}), client.get(V1), client.get(f"{V1}/1"),
               client.post(V1, json={}), client.get(f"{V1}/99")]
    with about(hint="Set the headers in an `@after_request` of the v1 blueprint: it runs for error answers too."):
        for response in answers:
            what = f"{response.request.method} {response.request.path} ({response.status_code})"
            assert response.headers.get("Deprecation") == DEPRECATION, (
                f"{what} should have the header Deprecation: {DEPRECATION}, got {response.headers.get('Deprecation')!r}"
            )
            assert response.headers.get("Link") == LINK, f"{what} should have the header Link: {LINK}, got {response.headers.get('Link')!r}"
    for response in (client.get(V2), client.post(V2, json={})):
        assert "Deprecation" not in response.headers, f"v2 answers must not have a Deprecation header ({response.request.method} {V2})"
