"""Checks for c09-chunked-upload: resumable chunked uploads verified by SHA-256.

Each check names the brief's numbered requirements it covers (@pytest.mark.req). The app's
MAX_UPLOAD_SIZE is 4096 bytes here."""
import hashlib
import os

import pytest

from flask_tutor_pytest import about, expect_json, expect_status

pytestmark = pytest.mark.app_config(MAX_UPLOAD_SIZE=4096)

DATA = bytes((i * 31 + 7) % 251 for i in range(1000))
SHA = hashlib.sha256(DATA).hexdigest()


def _open(client, filename="report.bin", size=len(DATA), sha256=SHA, status=201):
    body = {"filename": filename, "size": size, "sha256": sha256}
    response = client.post("/api/uploads", json=body)
    data = expect_json(response, status=status, msg=f"POST /api/uploads with {body!r}.")
    return data


def _put(client, upload_id, offset, chunk, status=200, why=""):
    url = f"/api/uploads/{upload_id}/chunks?offset={offset}"
    response = client.put(url, data=chunk, content_type="application/octet-stream")
    return expect_json(response, status=status, msg=f"PUT {url} with a {len(chunk)}-byte chunk{why}.")


def _folder_files(app):
    folder = app.config["UPLOAD_FOLDER"]
    return sorted(n for n in os.listdir(folder) if not n.startswith("."))


def _progress(data, received, missing, what):
    assert isinstance(data, dict) and data.get("received") == received and data.get("missing") == missing, (
        f'{what}: expected "received": {received}, "missing": {missing}; got "received": '
        f'{data.get("received") if isinstance(data, dict) else None!r}, "missing": {data.get("missing") if isinstance(data, dict) else None!r}'
    )


@pytest.mark.req(1)
def test_open_upload(client):
    """POST /api/uploads opens an upload: 201 with id, filename, size, received 0 and everything missing"""
    data = _open(client)
    assert isinstance(data.get("id"), str) and data["id"], f'the answer should hold the upload "id" (a string), got {data!r}'
    expected = {"id": data["id"], "filename": "report.bin", "size": 1000, "received": 0, "missing": [[0, 999]]}
    assert data == expected, f"POST /api/uploads should answer {expected!r}, got {data!r}"


@pytest.mark.req(1)
def test_filename_is_secured(client):
    """The stored name is secure_filename(filename)"""
    data = _open(client, filename="../../etc/report v2.pdf")
    with about(hint="Never use the client's file name as it is: `werkzeug.utils.secure_filename(filename)`."):
        assert data.get("filename") == "etc_report_v2.pdf", (
            f'filename "../../etc/report v2.pdf" should be stored as "etc_report_v2.pdf" (secure_filename), got {data.get("filename")!r}'
        )


@pytest.mark.parametrize("body", [
    {"filename": "../..", "size": 10, "sha256": SHA},
    {"filename": 42, "size": 10, "sha256": SHA},
    {"filename": "a.bin", "size": 0, "sha256": SHA},
    {"filename": "a.bin", "size": -5, "sha256": SHA},
    {"filename": "a.bin", "size": "10", "sha256": SHA},
    {"filename": "a.bin", "size": 1.5, "sha256": SHA},
    {"filename": "a.bin", "size": True, "sha256": SHA},
    {"filename": "a.bin", "size": 10, "sha256": "abc"},
    {"filename": "a.bin", "size": 10, "sha256": "z" * 64},
    {"filename": "a.bin", "size": 10},
])
@pytest.mark.req(2)
def test_open_validation(client, body):
    """Invalid filename, size or sha256: 400 with an error"""
    response = client.post("/api/uploads", json=body)
    with about(hint="Validate every field before opening the upload: answer 400 {\"error\": ...}."):
        data = expect_json(response, status=400, msg=f"POST /api/uploads with {body!r} is invalid.")
    assert isinstance(data, dict) and isinstance(data.get("error"), str), f'a 400 should be {{"error": "..."}}, got {data!r}'


@pytest.mark.req(2)
def test_size_limit(client):
    """A size above MAX_UPLOAD_SIZE answers 413"""
    response = client.post("/api/uploads", json={"filename": "big.bin", "size": 4097, "sha256": SHA})
    with about(hint='Compare `size` with `current_app.config["MAX_UPLOAD_SIZE"]` when the upload is opened: 413.'):
        expect_json(response, status=413, msg="size 4097 is above MAX_UPLOAD_SIZE (4096 here).")
    expect_json(client.post("/api/uploads", json={"filename": "ok.bin", "size": 4096, "sha256": SHA}), status=201,
                msg="size 4096 is exactly MAX_UPLOAD_SIZE, which is allowed.")


@pytest.mark.req(3)
def test_chunks_in_order(client):
    """Chunks in order: 200 with received and missing updated"""
    upload_id = _open(client)["id"]
    data = _put(client, upload_id, 0, DATA[:400])
    _progress(data, 400, [[400, 999]], "after bytes 0-399")
    assert data.get("id") == upload_id and data.get("size") == 1000 and data.get("filename") == "report.bin", (
        f"the chunk's answer should also hold id, filename and size, got {data!r}"
    )
    _progress(_put(client, upload_id, 400, DATA[400:]), 1000, [], "after bytes 400-999")


@pytest.mark.req(3)
def test_chunks_out_of_order_and_duplicates(client):
    """Out-of-order chunks go to their offset; a chunk sent twice counts once"""
    upload_id = _open(client)["id"]
    with about(hint="Write each chunk at its offset (`f.seek(offset)` in a file opened with \"r+b\"), "
                    "and keep the received intervals merged: never append in arrival order."):
        _progress(_put(client, upload_id, 600, DATA[600:800]), 200, [[0, 599], [800, 999]], "after bytes 600-799 only")
        _progress(_put(client, upload_id, 600, DATA[600:800]), 200, [[0, 599], [800, 999]],
                  "after bytes 600-799 were sent a second time (a retry)")
        _progress(_put(client, upload_id, 0, DATA[:100]), 300, [[100, 599], [800, 999]], "after bytes 0-99 too")
        _progress(_put(client, upload_id, 50, DATA[50:650]), 800, [[800, 999]], "after bytes 50-649 (overlapping)")


@pytest.mark.req(4)
@pytest.mark.parametrize("offset", ["-1", "abc", "", "1.5"])
def test_bad_offset(client, offset):
    """A missing or invalid offset is refused with 400 and nothing is stored"""
    upload_id = _open(client)["id"]
    url = f"/api/uploads/{upload_id}/chunks" + (f"?offset={offset}" if offset else "")
    response = client.put(url, data=DATA[:10], content_type="application/octet-stream")
    with about(hint="Read `request.args.get(\"offset\", \"\")` and accept only digits (`.isdigit()`)."):
        expect_json(response, status=400, msg=f"PUT {url}: the offset must be a whole number of 0 or more.")
    status = expect_json(client.get(f"/api/uploads/{upload_id}"), status=200)
    _progress(status, 0, [[0, 999]], "after a refused chunk")


@pytest.mark.req(4)
def test_chunk_past_size_and_empty(client):
    """A chunk ending past the declared size, or an empty one, is refused with 400"""
    upload_id = _open(client)["id"]
    with about(hint="Check `offset + len(chunk) <= size` before writing: a chunk must never grow the file past its declared size."):
        _put(client, upload_id, 900, DATA[:101], status=400, why=" would end at byte 1001, past the declared size (1000)")
        _put(client, upload_id, 1000, b"x", status=400, why=" would end at byte 1001, past the declared size (1000)")
    _put(client, upload_id, 0, b"", status=400, why=" (an empty body)")
    _progress(expect_json(client.get(f"/api/uploads/{upload_id}"), status=200), 0, [[0, 999]], "after refused chunks")
    _progress(_put(client, upload_id, 900, DATA[900:]), 100, [[0, 899]], "after bytes 900-999 (ends exactly at the size)")
    # A refused chunk writes nothing, not even its part inside the file: bytes 850-899 stay as they were sent.
    _put(client, upload_id, 0, DATA[:900])
    _put(client, upload_id, 850, b"#" * 200, status=400, why=" would end at byte 1050, past the declared size (1000)")
    response = client.post(f"/api/uploads/{upload_id}/complete")
    with about(hint="Check the chunk (offset, length, size) before opening the file: a refused chunk must not write a single byte."):
        expect_json(response, status=201, msg=(
            "every byte arrived, then a 200-byte chunk at offset 850 (past the size) was refused; POST .../complete should "
            "still find the uploaded bytes: nothing of a refused chunk may be stored (not even its first 150 bytes)"
        ))


@pytest.mark.req(5)
def test_status_for_resume(client):
    """GET /api/uploads/<id> answers what was received and what is missing"""
    upload_id = _open(client)["id"]
    _put(client, upload_id, 100, DATA[100:300])
    data = expect_json(client.get(f"/api/uploads/{upload_id}"), status=200)
    expected = {"id": upload_id, "filename": "report.bin", "size": 1000, "received": 200, "missing": [[0, 99], [300, 999]]}
    assert data == expected, f"GET /api/uploads/<id> after bytes 100-299 should answer {expected!r}, got {data!r}"


@pytest.mark.req(6)
def test_unknown_upload(client):
    """An unknown id answers 404 on GET, PUT chunks and complete"""
    unknown = "0" * 32
    expect_json(client.get(f"/api/uploads/{unknown}"), status=404)
    response = client.put(f"/api/uploads/{unknown}/chunks?offset=0", data=b"abc", content_type="application/octet-stream")
    expect_json(response, status=404)
    expect_json(client.post(f"/api/uploads/{unknown}/complete"), status=404)
    expect_status(client.get("/api/uploads/..%2F..%2Fetc"), 404)


@pytest.mark.req(7)
def test_complete_with_missing_bytes(app, client):
    """complete while bytes are missing: 409 with missing; the upload stays open"""
    upload_id = _open(client)["id"]
    _put(client, upload_id, 0, DATA[:500])
    response = client.post(f"/api/uploads/{upload_id}/complete")
    with about(hint="Before hashing, check that every byte arrived: answer 409 with the missing ranges."):
        data = expect_json(response, status=409, msg="complete with bytes 500-999 still missing.")
    assert data.get("missing") == [[500, 999]], f'the 409 should say "missing": [[500, 999]], got {data!r}'
    assert _folder_files(app) == [], f"no file should appear before the upload is complete, found {_folder_files(app)}"
    _put(client, upload_id, 500, DATA[500:])
    expect_json(client.post(f"/api/uploads/{upload_id}/complete"), status=201,
                msg="the upload should stay open after a 409, and complete once the rest arrived.")


@pytest.mark.req(7)
def test_complete_checksum_mismatch(app, client):
    """complete with a wrong checksum: 422, the upload is discarded, no file appears"""
    upload_id = _open(client, filename="bad.bin")["id"]
    corrupt = bytearray(DATA)
    corrupt[500] ^= 0xFF
    _put(client, upload_id, 0, bytes(corrupt))
    response = client.post(f"/api/uploads/{upload_id}/complete")
    with about(hint="At completion hash the received file (`hashlib.sha256()`, in blocks) and compare it with the declared sha256."):
        expect_json(response, status=422, msg="the received bytes do not match the declared sha256 (one byte was changed): the checksum must be verified.")
    assert "bad.bin" not in _folder_files(app), "a file whose sha256 does not match must not appear in the folder"
    expect_json(client.get(f"/api/uploads/{upload_id}"), status=404, msg="after a 422 the upload is discarded.")


@pytest.mark.req(7)
def test_complete_success(app, client):
    """complete: 201, the file holds exactly the bytes, the upload id is gone"""
    upload_id = _open(client, sha256=SHA.upper())["id"]
    for offset in (800, 0, 400, 200, 600):
        _put(client, upload_id, offset, DATA[offset:offset + 200])
    response = client.post(f"/api/uploads/{upload_id}/complete")
    data = expect_json(response, status=201, msg="every byte arrived and the sha256 (sent in upper case) matches.")
    assert data == {"name": "report.bin", "size": 1000, "sha256": SHA}, (
        f'complete should answer {{"name": "report.bin", "size": 1000, "sha256": "<lower-case hex>"}}, got {data!r}'
    )
    path = os.path.join(app.config["UPLOAD_FOLDER"], "report.bin")
    assert os.path.isfile(path), f"report.bin should be in the upload folder, found {_folder_files(app)}"
    with open(path, "rb") as f:
        stored = f.read()
    assert stored == DATA, f"the stored file should hold exactly the 1000 uploaded bytes, it holds {len(stored)} bytes that differ"
    expect_json(client.get(f"/api/uploads/{upload_id}"), status=404, msg="after completion the upload id is closed.")
