"""Checks for c09-versions: versioned files on content-addressed storage.

Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import hashlib
import io
import os

import pytest

from flask_tutor_pytest import about, expect_json, expect_status

ONE = b"first draft\n" * 10
TWO = b"second draft, longer\n" * 10
THREE = b"third draft\n" * 7


def _upload(client, data, filename="notes.txt"):
    response = client.post("/api/files", data={"file": (io.BytesIO(data), filename)}, content_type="multipart/form-data")
    return expect_json(response, status=201, msg=f"POST /api/files with {filename} ({len(data)} bytes).")


def _content(client, url, expected, what):
    response = client.get(url)
    expect_status(response, 200, msg=f"GET {url} ({what}).")
    assert response.data == expected, f"GET {url} should answer {what} ({len(expected)} bytes), got {len(response.data)} bytes that differ"


def _versions(client, name="notes.txt"):
    data = expect_json(client.get(f"/api/files/{name}/versions"), status=200)
    return [v.get("version") for v in data.get("versions", [])] if isinstance(data, dict) else data


def _holding(app, content):
    found = []
    for root, _, files in os.walk(app.config["UPLOAD_FOLDER"]):
        for f in files:
            path = os.path.join(root, f)
            with open(path, "rb") as fh:
                if fh.read() == content:
                    found.append(os.path.relpath(path, app.config["UPLOAD_FOLDER"]))
    return found


@pytest.mark.req(1)
def test_each_upload_adds_a_version(client):
    """Uploads of one name are versions 1, 2, 3 (even with the same content)"""
    first = _upload(client, ONE)
    assert first == {"name": "notes.txt", "version": 1, "sha256": hashlib.sha256(ONE).hexdigest(), "size": len(ONE)}, (
        f'the first upload should answer {{"name": "notes.txt", "version": 1, "sha256": ..., "size": {len(ONE)}}}, got {first!r}'
    )
    with about(hint="Never overwrite: append a version to the name's list, numbered from a counter kept with the list."):
        second = _upload(client, TWO)
        assert second.get("version") == 2, f"the second upload of notes.txt should be version 2 (versions overwritten?), got {second!r}"
        third = _upload(client, TWO)
        assert third.get("version") == 3, f"an upload with the same content as the latest still adds a version (3), got {third!r}"
    other = _upload(client, ONE, "../other file.txt")
    assert other.get("name") == "other_file.txt" and other.get("version") == 1, (
        f'"../other file.txt" is the name other_file.txt (secure_filename), its own version 1; got {other!r}'
    )


@pytest.mark.req(1)
def test_bad_uploads(client):
    """No file field or an unusable name: 400"""
    expect_json(client.post("/api/files", data={"x": "1"}, content_type="multipart/form-data"), status=400)
    response = client.post("/api/files", data={"file": (io.BytesIO(ONE), "../..")}, content_type="multipart/form-data")
    expect_json(response, status=400, msg='the name "../.." is empty after secure_filename.')


@pytest.mark.req(2)
def test_download_latest_and_version(client):
    """GET latest and GET a given version"""
    _upload(client, ONE)
    _upload(client, TWO)
    _content(client, "/api/files/notes.txt", TWO, "the latest version (2)")
    with about(hint="Keep the old versions' bytes: version 1 must still be readable after version 2 arrived."):
        _content(client, "/api/files/notes.txt/versions/1", ONE, "version 1's content")
    _content(client, "/api/files/notes.txt/versions/2", TWO, "version 2's content")


@pytest.mark.req(3)
def test_list_versions(client):
    """The versions list, oldest first, with sha256 and size"""
    _upload(client, ONE)
    _upload(client, TWO)
    data = expect_json(client.get("/api/files/notes.txt/versions"), status=200)
    expected = {"name": "notes.txt", "versions": [
        {"version": 1, "sha256": hashlib.sha256(ONE).hexdigest(), "size": len(ONE)},
        {"version": 2, "sha256": hashlib.sha256(TWO).hexdigest(), "size": len(TWO)},
    ]}
    assert data == expected, f"GET /api/files/notes.txt/versions should answer {expected!r}, got {data!r}"


@pytest.mark.req(4)
def test_restore_adds_a_version(client):
    """Restore adds a new version with the old content; the others stay"""
    _upload(client, ONE)
    _upload(client, TWO)
    response = client.post("/api/files/notes.txt/versions/1/restore")
    data = expect_json(response, status=201, msg="POST /api/files/notes.txt/versions/1/restore.")
    with about(hint="A restore adds version 3 pointing at version 1's content; it neither rewrites version 2 nor renumbers anything."):
        assert data == {"name": "notes.txt", "version": 3, "sha256": hashlib.sha256(ONE).hexdigest(), "size": len(ONE)}, (
            f"restoring version 1 should add version 3 with version 1's content, got {data!r}"
        )
        assert _versions(client) == [1, 2, 3], f"after the restore the versions should be [1, 2, 3], got {_versions(client)}"
    _content(client, "/api/files/notes.txt", ONE, "the restored content (version 3)")
    _content(client, "/api/files/notes.txt/versions/2", TWO, "version 2, unchanged")


@pytest.mark.req(5)
def test_delete_version(client):
    """DELETE one version: 204; the previous becomes latest; numbers are never reused"""
    _upload(client, ONE)
    _upload(client, TWO)
    response = client.delete("/api/files/notes.txt/versions/2")
    expect_status(response, 204, msg="DELETE /api/files/notes.txt/versions/2.")
    assert _versions(client) == [1], f"after deleting version 2 the versions should be [1], got {_versions(client)}"
    _content(client, "/api/files/notes.txt", ONE, "version 1, the latest remaining")
    again = _upload(client, THREE)
    assert again.get("version") == 3, f"version numbers are never reused: the next upload is version 3, got {again!r}"


@pytest.mark.req(5)
def test_prune_keep(client):
    """DELETE ...versions?keep=k keeps the k newest"""
    for data in (ONE, TWO, THREE, ONE):
        _upload(client, data)
    response = client.delete("/api/files/notes.txt/versions?keep=2")
    data = expect_json(response, status=200, msg="DELETE /api/files/notes.txt/versions?keep=2.")
    assert data == {"deleted": [1, 2]}, f'keeping the 2 newest of versions 1-4 deletes [1, 2]: expected {{"deleted": [1, 2]}}, got {data!r}'
    assert _versions(client) == [3, 4], f"the versions left should be [3, 4], got {_versions(client)}"
    for keep in ("0", "-1", "x", ""):
        expect_json(client.delete(f"/api/files/notes.txt/versions?keep={keep}"), status=400, msg=f"keep={keep!r} is not a whole number of 1 or more.")
    assert _versions(client) == [3, 4], "a refused prune must not delete anything"


@pytest.mark.req(6)
def test_identical_content_stored_once(app, client):
    """Same bytes in several versions and names: one file in UPLOAD_FOLDER"""
    _upload(client, ONE)
    _upload(client, TWO)
    _upload(client, ONE)
    _upload(client, ONE, "copy.txt")
    client.post("/api/files/notes.txt/versions/1/restore")
    with about(hint="Name each blob by the SHA-256 of its content and write it only when it is not there yet."):
        assert len(_holding(app, ONE)) == 1, (
            f"the same content was uploaded 3 times and restored once; UPLOAD_FOLDER should hold it in one file, "
            f"it holds it in {len(_holding(app, ONE))}: {_holding(app, ONE)}"
        )


@pytest.mark.req(6)
def test_unused_content_removed(app, client):
    """Bytes that no version holds any more are removed; shared bytes stay"""
    _upload(client, ONE)
    _upload(client, TWO)
    _upload(client, ONE, "copy.txt")
    client.delete("/api/files/notes.txt/versions/2")
    with about(hint="After a delete, remove each blob that no version of any name refers to any more."):
        assert _holding(app, TWO) == [], f"no version holds version 2's content any more, but UPLOAD_FOLDER still does: {_holding(app, TWO)}"
    client.delete("/api/files/notes.txt/versions/1")
    with about(hint="Only remove a blob when NO version of ANY name refers to it: copy.txt still does."):
        assert len(_holding(app, ONE)) == 1, "copy.txt version 1 still holds this content: its file must stay"
    _content(client, "/api/files/copy.txt", ONE, "copy.txt, whose content notes.txt shared")


@pytest.mark.req(7)
def test_unknown(client):
    """Unknown name, empty name, unknown version: 404"""
    for method, url in (("get", "/api/files/nothing.txt"), ("get", "/api/files/nothing.txt/versions"),
                        ("get", "/api/files/nothing.txt/versions/1"), ("post", "/api/files/nothing.txt/versions/1/restore"),
                        ("delete", "/api/files/nothing.txt/versions/1"), ("delete", "/api/files/nothing.txt/versions?keep=1")):
        expect_json(getattr(client, method)(url), status=404, msg=f"{method.upper()} {url}: no such file.")
    _upload(client, ONE)
    expect_json(client.get("/api/files/notes.txt/versions/9"), status=404, msg="version 9 does not exist.")
    expect_json(client.post("/api/files/notes.txt/versions/9/restore"), status=404, msg="version 9 does not exist.")
    expect_json(client.delete("/api/files/notes.txt/versions/9"), status=404, msg="version 9 does not exist.")
    expect_status(client.delete("/api/files/notes.txt/versions/1"), 204)
    expect_json(client.get("/api/files/notes.txt"), status=404, msg="notes.txt has no version left.")
    expect_json(client.get("/api/files/notes.txt/versions"), status=404, msg="notes.txt has no version left.")
    expect_status(client.get("/api/files/..%2Fsecret"), 404)
