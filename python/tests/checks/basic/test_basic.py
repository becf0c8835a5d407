def test_home(client):
    """GET / answers 200."""
    assert client.get("/").status_code == 200


def test_no_app_needed():
    assert True


def test_fail_helper(client):
    import pytest

    client.get("/")
    pytest.fail("Use pytest.fail for a custom message")
