"""Checks for c09-range-download: streaming downloads with HTTP Range, ETag and If-None-Match.

Each check names the brief's numbered requirements it covers (@pytest.mark.req). The checks put
their files in app.config["UPLOAD_FOLDER"] (a temporary folder of the check)."""
import os
import time

import pytest

from flask_tutor_pytest import about, expect_header, expect_json, expect_status

DATA = bytes((i * 7 + 3) % 256 for i in range(1000))  # 1000 bytes, no two neighbours alike


def _put(app, name, data):
    folder = app.config["UPLOAD_FOLDER"]
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def _get(client, name, **headers):
    return client.get("/api/files/" + name, headers=headers)


def _range(client, name, spec):
    response = _get(client, name, Range=spec)
    return response


def _expect_206(response, spec, first, last, size=len(DATA), data=DATA):
    with about(hint="A Range request is answered `206 Partial Content` with only the bytes asked for: "
                    "`send_from_directory(folder, name, conditional=True)` does it (not `conditional=False`)."):
        expect_status(response, 206, msg=f"Range: {spec} asks for part of the file.")
    assert response.data == data[first:last + 1], (
        f"Range: {spec} should answer bytes {first} to {last} inclusive ({last - first + 1} bytes), "
        f"got {len(response.data)} bytes" + (
            " (one byte short: the last position of a range is inclusive)" if response.data == data[first:last] else
            " (one byte too many)" if response.data == data[first:last + 2] else "")
    )
    expect_header(response, "Content-Range", f"bytes {first}-{last}/{size}", msg=f"Range: {spec}:")
    expect_header(response, "Content-Length", str(last - first + 1), msg=f"Range: {spec}:")


@pytest.mark.req(1)
def test_list_files(app, client):
    """GET /api/files lists every file with its size, sorted by name"""
    _put(app, "b.bin", DATA)
    _put(app, "a.txt", b"hello")
    data = expect_json(client.get("/api/files"), status=200)
    assert data == {"files": [{"name": "a.txt", "size": 5}, {"name": "b.bin", "size": 1000}]}, (
        f'GET /api/files should list a.txt (5 bytes) then b.bin (1000 bytes) as {{"files": [{{"name": ..., "size": ...}}]}}, got {data!r}'
    )


@pytest.mark.req(2)
def test_whole_file(app, client):
    """Without Range: 200, the whole file, Content-Length and Accept-Ranges: bytes"""
    _put(app, "b.bin", DATA)
    response = _get(client, "b.bin")
    expect_status(response, 200, msg="GET /api/files/b.bin without a Range header should send the whole file.")
    assert response.data == DATA, f"GET /api/files/b.bin should send the 1000 bytes of the file, got {len(response.data)} bytes"
    expect_header(response, "Content-Length", "1000")
    with about(hint='Tell clients they may ask for ranges: `response.headers["Accept-Ranges"] = "bytes"` '
                    "(Werkzeug 2.2 sets it only on a 206)."):
        expect_header(response, "Accept-Ranges", "bytes")


@pytest.mark.req(3)
def test_closed_range(app, client):
    """Range: bytes=a-b answers 206 with bytes a..b inclusive and Content-Range"""
    _put(app, "b.bin", DATA)
    _expect_206(_range(client, "b.bin", "bytes=0-9"), "bytes=0-9", 0, 9)
    _expect_206(_range(client, "b.bin", "bytes=100-199"), "bytes=100-199", 100, 199)
    _expect_206(_range(client, "b.bin", "bytes=500-500"), "bytes=500-500", 500, 500)


@pytest.mark.req(3)
def test_last_past_end_is_clamped(app, client):
    """A last position at or past the end is read as the last byte"""
    _put(app, "b.bin", DATA)
    _expect_206(_range(client, "b.bin", "bytes=995-5000"), "bytes=995-5000", 995, 999)
    _expect_206(_range(client, "b.bin", "bytes=990-1000"), "bytes=990-1000", 990, 999)


@pytest.mark.req(4)
def test_open_and_suffix_ranges(app, client):
    """bytes=a- answers to the end; bytes=-n answers the last n bytes"""
    _put(app, "b.bin", DATA)
    _expect_206(_range(client, "b.bin", "bytes=900-"), "bytes=900-", 900, 999)
    _expect_206(_range(client, "b.bin", "bytes=-10"), "bytes=-10", 990, 999)
    _expect_206(_range(client, "b.bin", "bytes=-1000"), "bytes=-1000", 0, 999)


@pytest.mark.req(5)
@pytest.mark.parametrize("spec", ["bytes=1000-", "bytes=2000-2100", "bytes=0-1,4-5", "bytes=5-2"])
def test_unsatisfiable(app, client, spec):
    """A range that cannot be served as one byte range: 416 with Content-Range: bytes */size"""
    _put(app, "b.bin", DATA)
    response = _range(client, "b.bin", spec)
    with about(hint="Answer 416 when the range cannot be served (`abort(416)` or Werkzeug's "
                    "`RequestedRangeNotSatisfiable(length=size)`), never the whole file."):
        expect_status(response, 416, msg=f"Range: {spec} on a 1000-byte file cannot be served as one byte range.")
    with about(hint="A 416 tells the client the real size: `Content-Range: bytes */1000`. Raise "
                    "`RequestedRangeNotSatisfiable(length=size)` and keep the headers of the exception in your error handler."):
        expect_header(response, "Content-Range", "bytes */1000",
                      msg=f"Range: {spec} answered 416, which must say the file's size (bytes */<size>).")


@pytest.mark.req(6)
def test_etag_and_if_none_match(app, client):
    """ETag on 200 and 206; If-None-Match with the current ETag answers 304 with no body"""
    _put(app, "b.bin", DATA)
    response = _get(client, "b.bin")
    etag = expect_header(response, "ETag", msg="Every download should carry the file's ETag.")
    partial = _range(client, "b.bin", "bytes=0-9")
    expect_header(partial, "ETag", msg="A 206 should carry the ETag too.")
    again = _get(client, "b.bin", **{"If-None-Match": etag})
    with about(hint="Compare `If-None-Match` with the ETag: `send_from_directory(..., conditional=True, etag=True)` does, "
                    "or `response.make_conditional(request)` after `response.set_etag(...)`."):
        expect_status(again, 304, msg="GET with If-None-Match holding the file's current ETag (from the download just before) means the client has this version.")
    assert again.data == b"", f"a 304 has no body, got {len(again.data)} bytes"
    listed = _get(client, "b.bin", **{"If-None-Match": '"an-older-version", ' + etag})
    with about(hint="If-None-Match may list several ETags separated by commas (a cache holding several versions): "
                    "answer 304 when any of them is the current one (Werkzeug's `make_conditional` / `send_from_directory(conditional=True)` does)."):
        expect_status(listed, 304, msg='GET with If-None-Match: "an-older-version", <the current ETag> (a list holding the current ETag) means the client has this version.')


@pytest.mark.req(6)
def test_etag_changes_with_content(app, client):
    """After the content changes, the ETag changes and the old one gets a 200 with the new content"""
    _put(app, "b.bin", DATA)
    old = expect_header(_get(client, "b.bin"), "ETag")
    time.sleep(0.02)
    new_data = b"new version " * 50
    _put(app, "b.bin", new_data)
    future = time.time() + 5
    os.utime(os.path.join(app.config["UPLOAD_FOLDER"], "b.bin"), (future, future))
    response = _get(client, "b.bin", **{"If-None-Match": old})
    expect_status(response, 200, msg="The file changed since the client got its ETag, so the client's copy is stale.")
    assert response.data == new_data, "after the change the download should send the new content"
    new = expect_header(response, "ETag")
    assert new != old, "the ETag should change when the file's content changes; it stayed the same"


@pytest.mark.req(7)
def test_missing_file(app, client):
    """A missing file answers 404"""
    response = _get(client, "nothing.bin")
    expect_status(response, 404, msg="GET /api/files/nothing.bin asks for a file that does not exist.")


@pytest.mark.req(7)
@pytest.mark.parametrize("name", ["../secret.txt", "..%2Fsecret.txt", "%2E%2E/secret.txt"])
def test_no_path_traversal(app, client, name):
    """A name that leaves the folder answers 404, even when the file exists next to the folder"""
    folder = app.config["UPLOAD_FOLDER"]
    with open(os.path.join(os.path.dirname(os.path.abspath(folder)), "secret.txt"), "wb") as f:
        f.write(b"TOP SECRET")
    response = client.get("/api/files/" + name)
    with about(hint="Never `os.path.join(folder, name)` with a name from the URL: `send_from_directory(folder, name)` "
                    "or `werkzeug.security.safe_join(folder, name)` (None when the name leaves the folder) refuse `..`."):
        assert b"TOP SECRET" not in response.data, (
            f"GET /api/files/{name} served secret.txt from OUTSIDE the files folder (path traversal): "
            "a name from the URL must never leave the folder"
        )
        expect_status(response, 404, msg=f"GET /api/files/{name} names a file outside the folder.")
