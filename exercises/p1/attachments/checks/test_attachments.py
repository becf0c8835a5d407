"""Checks for p1-attachments: uploads with size and type limits, safe names, private storage,
downloads with the right headers, the task's permissions. Each check names the brief's
requirements it covers (@pytest.mark.req)."""
import io
import os

import pytest
from werkzeug.http import parse_options_header

from flask_tutor_pytest.helpers import about

TASKS = "/api/tasks"
PASSWORD = "correct horse"
MIB = 1024 * 1024
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(13)
JPEG = b"\xff\xd8\xff\xe0" + bytes(20) + b"\xff\xd9"


@pytest.fixture(autouse=True)
def _fresh_database(app):
    """A server database (DATABASE_URL, e.g. PostgreSQL) outlives one check: start each from empty tables.
    SQLite databases are new for every check already."""
    db = app.extensions.get("sqlalchemy")
    if db is None or not hasattr(db, "drop_all"):
        return
    with app.app_context():
        if db.engine.url.get_backend_name() != "sqlite":
            db.drop_all()
            db.create_all()


def _json(response, what):
    body = response.get_json(silent=True)
    assert body is not None, f"{what} should answer JSON, got {response.status_code} {response.get_data(as_text=True)[:200]!r}"
    return body


def _user(client, username):
    response = client.post("/api/auth/register", json={"username": username, "password": PASSWORD})
    assert response.status_code == 201, f"POST /api/auth/register should answer 201 (stage 2), got {response.status_code}"
    user = _json(response, "register")
    response = client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
    return user["id"], {"Authorization": f"Bearer {_json(response, 'login')['access_token']}"}


@pytest.fixture
def team(client):
    """alice owns a task assigned to bob; carol is neither."""
    people = {name: _user(client, name) for name in ("alice", "bob", "carol")}
    response = client.post(TASKS, json={"title": "Report", "assignee_id": people["bob"][0]}, headers=people["alice"][1])
    assert response.status_code == 201, f"POST {TASKS} should answer 201 (stages 1-3), got {response.status_code}"
    people["task"] = _json(response, "POST /api/tasks")["id"]
    return people


def _upload(client, headers, task_id, name, data, claimed=None):
    """claimed: the Content-Type the client says the file has (default: guessed from the name)."""
    part = (io.BytesIO(data), name, claimed) if claimed else (io.BytesIO(data), name)
    return client.post(f"{TASKS}/{task_id}/attachments", headers=headers, content_type="multipart/form-data",
                       data={"file": part})


def _uploaded(client, headers, task_id, name, data):
    response = _upload(client, headers, task_id, name, data)
    with about(hint="Add the attachments namespace to the Api in create_app(); read the file with a parser argument `location=\"files\", type=FileStorage`."):
        assert response.status_code == 201, f"uploading {name!r} ({len(data)} bytes) to task {task_id} should answer 201, got {response.status_code}: {response.get_data(as_text=True)[:200]}"
    return _json(response, "the upload")


def _stored_files(app):
    folder = app.config.get("UPLOAD_FOLDER")
    assert isinstance(folder, str) and folder, f"app.config['UPLOAD_FOLDER'] should name the folder of the attachments, got {folder!r}"
    if not os.path.isdir(folder):
        return {}
    files = {}
    for root, _dirs, names in os.walk(folder):
        for name in names:
            with open(os.path.join(root, name), "rb") as f:
                files[os.path.relpath(os.path.join(root, name), folder)] = f.read()
    return files


@pytest.mark.req(1)
def test_upload(client, team):
    """The owner and the assignee upload: 201 with id, task_id, filename, content_type, size; no file field answers 400"""
    task = team["task"]
    got = _uploaded(client, team["alice"][1], task, "notes.txt", b"hello")
    assert set(got) == {"id", "task_id", "filename", "content_type", "size"} and isinstance(got["id"], int), (
        f"an upload should answer exactly id, task_id, filename, content_type and size, got {got}"
    )
    assert (got["task_id"], got["filename"], got["content_type"], got["size"]) == (task, "notes.txt", "text/plain", 5), (
        f"uploading notes.txt (5 bytes) should answer task_id {task}, filename 'notes.txt', content_type 'text/plain', size 5, got {got}"
    )
    for name, data, ctype in (("scan.PDF", PDF, "application/pdf"), ("pic.png", PNG, "image/png"), ("photo.jpg", JPEG, "image/jpeg"), ("photo.jpeg", JPEG, "image/jpeg")):
        got = _uploaded(client, team["bob"][1], task, name, data)
        assert got["content_type"] == ctype and got["size"] == len(data), f"uploading {name} should answer content_type {ctype!r} and size {len(data)}, got {got}"
    response = _upload(client, team["alice"][1], task, "claims.txt", b"plain words", claimed="image/png")
    assert response.status_code == 201, f"a .txt upload whose part claims Content-Type image/png should still answer 201, got {response.status_code}"
    with about(hint="Take the Content-Type from your table of extensions, never from `upload.mimetype` (the client's claim)."):
        got = _json(response, "the upload")["content_type"]
        assert got == "text/plain", f"a .txt file whose part claims image/png should be stored as text/plain (by its extension), got {got!r}"
    response = client.post(f"{TASKS}/{task}/attachments", headers=team["alice"][1], content_type="multipart/form-data", data={"other": "x"})
    assert response.status_code == 400, f"an upload without the form field 'file' should answer 400, got {response.status_code}"


@pytest.mark.req(2)
def test_types(client, team, app):
    """Other extensions, or content that does not match the extension, answer 415 and store nothing"""
    a, task = team["alice"][1], team["task"]
    for name, data in (("run.exe", b"MZ\x90\x00"), ("page.html", b"<script>alert(1)</script>"), ("noext", b"hello"),
                       ("fake.png", b"<svg onload=alert(1)>"), ("fake.pdf", b"hello"), ("fake.jpg", PNG), ("bad.txt", b"\xff\xfe\x00bad")):
        response = _upload(client, a, task, name, data)
        with about(hint="Allow only .txt, .pdf, .png, .jpg and .jpeg, and check the first bytes (`%PDF-`, `\\x89PNG\\r\\n\\x1a\\n`, `\\xff\\xd8\\xff`; a .txt must decode as UTF-8): `ns.abort(415, ...)`."):
            assert response.status_code == 415, f"uploading {name!r} ({data[:12]!r}…) should answer 415, got {response.status_code}"
        assert isinstance(_json(response, f"the 415 for {name}"), dict), "the 415 should be a JSON object"
    assert _json(client.get(f"{TASKS}/{task}/attachments", headers=a), "GET attachments") == [], "a refused upload must store nothing"
    assert _stored_files(app) == {}, f"a refused upload must leave no file in UPLOAD_FOLDER, found {sorted(_stored_files(app))}"


@pytest.mark.req(3)
def test_size_limit(client, team, app):
    """Exactly 1 MiB (1,048,576 bytes) is accepted; one byte more, or a much larger body, answers 413"""
    a, task = team["alice"][1], team["task"]
    got = _uploaded(client, a, task, "exact.txt", b"a" * MIB)
    assert got["size"] == MIB, f"a file of exactly 1,048,576 bytes should be stored whole, got size {got['size']}"
    for size in (MIB + 1, 3 * MIB):
        response = _upload(client, a, task, "big.txt", b"a" * size)
        with about(hint="Read at most one byte more than the limit (`upload.stream.read(limit + 1)`) and `ns.abort(413, ...)` when you got more; MAX_CONTENT_LENGTH must leave room for a 1 MiB file plus the multipart envelope."):
            assert response.status_code == 413, f"uploading {size:,} bytes should answer 413, got {response.status_code}"
        assert isinstance(response.get_json(silent=True), dict), f"the 413 should be a JSON object, got {response.get_data(as_text=True)[:120]!r}"
    listed = _json(client.get(f"{TASKS}/{task}/attachments", headers=a), "GET attachments")
    assert [x["filename"] for x in listed] == ["exact.txt"], f"only the 1 MiB file should be stored, got {listed}"


@pytest.mark.req(4)
def test_secure_filename(client, team):
    """Names are made safe like werkzeug.utils.secure_filename; nothing left answers 400"""
    a, task = team["alice"][1], team["task"]
    for sent, safe in (("../../etc/passwd.txt", "etc_passwd.txt"), ("My Report.pdf", "My_Report.pdf"), ("résumé 2024.txt", "resume_2024.txt")):
        data = PDF if safe.endswith(".pdf") else b"text"
        got = _uploaded(client, a, task, sent, data)
        with about(hint="`filename = secure_filename(upload.filename)` (werkzeug.utils) before anything else."):
            assert got["filename"] == safe, f"a file sent as {sent!r} should be named {safe!r}, got {got['filename']!r}"
    response = _upload(client, a, task, "../..", b"x")
    assert response.status_code == 400, f"a file name with nothing left once made safe ('../..') should answer 400, got {response.status_code}"


@pytest.mark.req(5)
def test_private_storage(client, team, app):
    """The bytes are stored in UPLOAD_FOLDER under another name, outside the static folder, not served by /static"""
    a, task = team["alice"][1], team["task"]
    data = b"secret minutes of the board"
    _uploaded(client, a, task, "minutes.txt", data)
    files = _stored_files(app)
    matches = [name for name, content in files.items() if content == data]
    with about(hint="Save the bytes to `os.path.join(app.config[\"UPLOAD_FOLDER\"], random_name)`; set UPLOAD_FOLDER in create_app() (default: instance/attachments)."):
        assert len(matches) == 1, f"the uploaded bytes should be in one file under UPLOAD_FOLDER ({app.config.get('UPLOAD_FOLDER')}), found files {sorted(files)}"
    stored = matches[0]
    assert "minutes" not in stored, f"the stored file should get a name of the server's choosing (random), not the client's: got {stored!r}"
    folder = os.path.realpath(app.config["UPLOAD_FOLDER"])
    if app.static_folder:
        static = os.path.realpath(app.static_folder)
        assert os.path.commonpath([folder, static]) != static, f"UPLOAD_FOLDER ({folder}) must not be inside the static folder ({static})"
    for url in (f"/static/{stored}", f"/static/minutes.txt", f"/{stored}"):
        response = client.get(url)
        assert response.status_code == 404 or response.get_data() != data, f"GET {url} must not serve the attachment: only the API does, behind its permissions"


@pytest.mark.req(6)
def test_list(client, team):
    """GET lists the task's attachments oldest first"""
    a, task = team["alice"][1], team["task"]
    first = _uploaded(client, a, task, "a.txt", b"a")
    second = _uploaded(client, team["bob"][1], task, "b.txt", b"bb")
    other = client.post(TASKS, json={"title": "Other"}, headers=a).get_json()["id"]
    _uploaded(client, a, other, "c.txt", b"c")
    listed = _json(client.get(f"{TASKS}/{task}/attachments", headers=a), "GET attachments")
    assert listed == [first, second], f"GET {TASKS}/{task}/attachments should list its two attachments oldest first, got {listed}"


@pytest.mark.req(7)
def test_download(client, team):
    """Download: the same bytes, Content-Type by extension, Content-Disposition attachment with the name, nosniff; 404 otherwise"""
    a, task = team["alice"][1], team["task"]
    for name, data, ctype in (("My Report.pdf", PDF, "application/pdf"), ("pic.png", PNG, "image/png"), ("notes.txt", "héllo".encode(), "text/plain")):
        got = _uploaded(client, a, task, name, data)
        url = f"{TASKS}/{task}/attachments/{got['id']}"
        response = client.get(url, headers=a)
        assert response.status_code == 200, f"GET {url} should answer 200, got {response.status_code}"
        assert response.get_data() == data, f"GET {url} should answer the bytes uploaded, got {response.get_data()[:40]!r}"
        assert response.mimetype == ctype, f"GET {url} ({name}) should answer Content-Type {ctype}, got {response.headers.get('Content-Type')!r}"
        disposition, options = parse_options_header(response.headers.get("Content-Disposition", ""))
        with about(hint="`send_file(path, mimetype=attachment.content_type, as_attachment=True, download_name=attachment.filename)`."):
            assert disposition == "attachment" and options.get("filename") == got["filename"], (
                f"GET {url} should answer Content-Disposition: attachment; filename={got['filename']}, got {response.headers.get('Content-Disposition')!r}"
            )
        assert response.headers.get("X-Content-Type-Options") == "nosniff", f"GET {url} should answer X-Content-Type-Options: nosniff, got {response.headers.get('X-Content-Type-Options')!r}"
    other = client.post(TASKS, json={"title": "Other"}, headers=a).get_json()["id"]
    for url in (f"{TASKS}/{task}/attachments/999", f"{TASKS}/{other}/attachments/{got['id']}"):
        response = client.get(url, headers=a)
        assert response.status_code == 404, f"GET {url} (no such attachment of that task) should answer 404, got {response.status_code}"


@pytest.mark.req(8)
def test_permissions(client, team, app):
    """Others get 404 everywhere, no token 401; the owner deletes (file gone), the assignee gets 403"""
    task = team["task"]
    got = _uploaded(client, team["alice"][1], task, "a.txt", b"owner's file")
    item = f"{TASKS}/{task}/attachments/{got['id']}"
    c = team["carol"][1]
    for what, response in (("list", client.get(f"{TASKS}/{task}/attachments", headers=c)),
                           ("upload", _upload(client, c, task, "x.txt", b"x")),
                           ("download", client.get(item, headers=c)),
                           ("delete", client.delete(item, headers=c))):
        with about(hint="Find the task with stage 3's `get_task_or_404` (owner or assignee) before touching its attachments."):
            assert response.status_code == 404, f"carol's {what} on alice's task (neither owner nor assignee) should answer 404, got {response.status_code}"
    for what, response in (("list", client.get(f"{TASKS}/{task}/attachments")), ("download", client.get(item))):
        assert response.status_code == 401, f"a {what} without a token should answer 401, got {response.status_code}"
    assert client.get(item, headers=team["bob"][1]).status_code == 200, "the assignee may download"
    response = client.delete(item, headers=team["bob"][1])
    assert response.status_code == 403, f"the assignee's DELETE {item} should answer 403, got {response.status_code}"
    response = client.delete(item, headers=team["alice"][1])
    assert response.status_code == 204, f"the owner's DELETE {item} should answer 204, got {response.status_code}"
    assert client.get(item, headers=team["alice"][1]).status_code == 404, f"after DELETE, GET {item} should answer 404"
    with about(hint="Remove the file from UPLOAD_FOLDER too (`os.remove`), after the commit."):
        assert b"owner's file" not in _stored_files(app).values(), "after DELETE the file should be gone from UPLOAD_FOLDER"


@pytest.mark.req(9)
def test_task_delete_removes_files(client, team, app):
    """Deleting a task deletes its attachments and their files"""
    a, task = team["alice"][1], team["task"]
    _uploaded(client, a, task, "a.txt", b"first file")
    _uploaded(client, a, task, "b.txt", b"second file")
    assert client.delete(f"{TASKS}/{task}", headers=a).status_code == 204, f"DELETE {TASKS}/{task} should answer 204"
    left = [name for name, content in _stored_files(app).items() if content in (b"first file", b"second file")]
    assert not left, f"deleting the task should delete its attachment files, found {left} in UPLOAD_FOLDER"


@pytest.mark.req(10)
def test_openapi(client):
    """swagger.json documents the attachment paths and the upload's file parameter"""
    spec = _json(client.get("/swagger.json"), "GET /swagger.json")
    paths = spec.get("paths") or {}
    for path, methods in (("/api/tasks/{task_id}/attachments", ("get", "post")), ("/api/tasks/{task_id}/attachments/{attachment_id}", ("get", "delete"))):
        assert path in paths, f"the OpenAPI document should describe {path}, got {sorted(paths)}"
        for method in methods:
            assert method in paths[path], f"the OpenAPI document should describe {method.upper()} {path}"
    params = (paths["/api/tasks/{task_id}/attachments"]["post"].get("parameters") or [])
    files = [p for p in params if p.get("in") == "formData" and p.get("type") == "file" and p.get("name") == "file"]
    with about(hint="`parser.add_argument(\"file\", location=\"files\", type=FileStorage, required=True)` and `@ns.expect(parser)` on post."):
        assert files, f"POST /api/tasks/{{task_id}}/attachments should document a formData parameter 'file' of type file, got {params}"
    codes = set(paths["/api/tasks/{task_id}/attachments"]["post"].get("responses") or {})
    assert {"201", "413", "415"} <= codes, f"the upload should document its 201, 413 and 415 answers, got {sorted(codes)}"
