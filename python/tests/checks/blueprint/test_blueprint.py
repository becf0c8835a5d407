from flask_tutor_pytest import expect_in, expect_status


def test_blog_index(client):
    resp = expect_status(client.get("/blog/"), 200)
    expect_in("/blog/1", resp)


def test_admin_not_registered(client):
    expect_status(client.get("/admin"), 200)


def test_broken_link(client):
    client.get("/blog/broken-link")
