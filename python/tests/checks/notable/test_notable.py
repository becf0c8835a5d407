def test_items(client):
    assert client.get("/api/items").status_code == 200
