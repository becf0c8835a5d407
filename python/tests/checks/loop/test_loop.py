def test_spin(client):
    client.get("/spin")


def test_ok(client):
    assert client.get("/ok").data == b"fine"
