import os


def test_save_goes_to_a_temporary_instance(client, app_dir):
    resp = client.post("/save")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert not os.path.realpath(resp.get_json()["instance"]).startswith(os.path.realpath(str(app_dir)))


def test_save_again(client):
    assert client.post("/save").status_code == 200
