from flask import Flask, jsonify, request, session

app = Flask(__name__)
app.secret_key = "dev-only"


def whole(value):
    return type(value) is int and value > 0


def answer(items, status=200):
    return jsonify(items=items, count=sum(i["quantity"] for i in items)), status


@app.get("/cart")
def cart():
    return answer(session.get("items", []))


@app.post("/cart/items")
def add():
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not whole(body.get("product_id")) or not whole(body.get("quantity")):
        return jsonify(error="product_id and quantity must be whole numbers of at least 1"), 400
    items = [dict(i) for i in session.get("items", [])]
    for item in items:
        if item["product_id"] == body["product_id"]:
            item["quantity"] += body["quantity"]
            break
    else:
        items.append({"product_id": body["product_id"], "quantity": body["quantity"]})
    session["items"] = items
    return answer(items, 201)


@app.delete("/cart/items/<int:product_id>")
def remove(product_id):
    items = session.get("items", [])
    kept = [i for i in items if i["product_id"] != product_id]
    if len(kept) == len(items):
        return jsonify(error="not in the cart"), 404
    session["items"] = kept
    return answer(kept)
