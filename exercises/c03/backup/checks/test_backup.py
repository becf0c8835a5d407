"""Checks for c03-backup: an admin-only download of a consistent copy of the live SQLite database.
Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import contextlib
import os
import re
import sqlite3
import tempfile

import pytest

URL = "/api/admin/backup"


def _token(app):
    return {"X-Admin-Token": app.config.get("ADMIN_TOKEN") or "change-me"}


def _create(client, name):
    response = client.post("/api/items", json={"name": name})
    assert response.status_code == 201, f"POST /api/items should answer 201, got {response.status_code}"
    return response.get_json()["id"]


@contextlib.contextmanager
def _held_connection(app, app_module):
    """A sqlite3 connection to the app's database that the check keeps open, as another worker
    of the app would: SQLite then does not checkpoint the -wal file when the app's own
    connections close."""
    with app.app_context():
        raw = app_module.db.engine.raw_connection()
    try:
        conn = raw.driver_connection
        conn.execute("SELECT count(*) FROM item").fetchall()
        yield conn
    finally:
        raw.close()


def _backup(client, app):
    response = client.post(URL, headers=_token(app))
    assert response.status_code == 200, (
        f"POST {URL} with the right X-Admin-Token should answer 200 with the backup file, got {response.status_code}: "
        f"{response.get_data()[:150]!r}"
    )
    return response


def _rows(data, app):
    """The names in the item table of a backup given as bytes."""
    assert data[:15] == b"SQLite format 3", (
        f"the backup should be a SQLite database file (starting with b'SQLite format 3'), it starts with {data[:20]!r}"
    )
    path = None
    if hasattr(sqlite3.Connection, "deserialize"):  # Python 3.11+: open the bytes in memory
        conn = sqlite3.connect(":memory:")
        # A copy of a WAL database says so in its header (bytes 18-19 = 2); an in-memory database
        # cannot have a -wal file, so read it as a rollback-journal one (1).
        conn.deserialize(data[:18] + b"\x01\x01" + data[20:] if data[18:20] == b"\x02\x02" else data)
    else:
        os.makedirs(app.instance_path, exist_ok=True)
        fd, path = tempfile.mkstemp(suffix=".sqlite3", dir=app.instance_path)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        conn = sqlite3.connect(path)
    try:
        try:
            tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            assert "item" in tables, (
                f"the backup has no item table (tables: {tables}): it is missing committed data, "
                "a plain file copy misses what is still in the -wal file"
            )
            return [r[0] for r in conn.execute("SELECT name FROM item ORDER BY id")]
        finally:
            conn.close()
    finally:
        if path:
            os.remove(path)


@pytest.mark.req(1)
def test_admin_token_required(client, app):
    """No token or a wrong one: 401 with a JSON error"""
    for label, headers in (("no X-Admin-Token", {}), ("a wrong X-Admin-Token", {"X-Admin-Token": "wrong-token"})):
        response = client.post(URL, headers=headers)
        assert response.status_code == 401, f"POST {URL} with {label} should answer 401, got {response.status_code}"
        body = response.get_json(silent=True)
        assert isinstance(body, dict) and "error" in body, (
            f'the 401 answer should be JSON {{"error": "<message>"}}, got {response.get_data(as_text=True)[:150]!r}'
        )


@pytest.mark.req(2)
def test_download_headers(client, app):
    """200, application/vnd.sqlite3, attachment named backup-<time>.sqlite3, a SQLite file"""
    response = _backup(client, app)
    assert response.mimetype == "application/vnd.sqlite3", (
        f"the backup download should have Content-Type application/vnd.sqlite3, got {response.content_type!r}"
    )
    disposition = response.headers.get("Content-Disposition", "")
    assert disposition.startswith("attachment") and re.search(r'filename="?backup-\d{8}T\d{6}\d*Z\.sqlite3', disposition), (
        f'Content-Disposition should be attachment; filename="backup-<UTC time>.sqlite3", got {disposition!r}'
    )
    assert response.get_data()[:15] == b"SQLite format 3", (
        f"the body should be a SQLite database file (starting with b'SQLite format 3'), got {response.get_data()[:20]!r}"
    )


@pytest.mark.req(3)
def test_backup_has_committed_rows(client, app, app_module):
    """Every committed item is in the backup, even while still in the -wal file"""
    with _held_connection(app, app_module):
        for name in ("alpha", "beta", "gamma"):
            _create(client, name)
        names = _rows(_backup(client, app).get_data(), app)
    assert names == ["alpha", "beta", "gamma"], (
        f"the backup should hold every committed item ['alpha', 'beta', 'gamma'], it has {names}: "
        "a plain file copy misses the commits still in the -wal file; use sqlite3's Connection.backup()"
    )


@pytest.mark.req(4)
def test_backup_ignores_open_transaction(client, app, app_module):
    """An uncommitted write elsewhere is not in the backup, and does not block it"""
    _create(client, "committed")
    with _held_connection(app, app_module) as conn:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO item (name) VALUES ('uncommitted')")
        try:
            names = _rows(_backup(client, app).get_data(), app)
        finally:
            conn.rollback()
    assert "uncommitted" not in names, (
        f"the backup contains a row of a transaction that was never committed: {names}; it must be a consistent snapshot"
    )
    assert names == ["committed"], f"the backup should hold the committed item only, got {names}"


@pytest.mark.req(5)
def test_backup_is_snapshot(client, app, app_module):
    """Items created after a backup are not in it, and are in the next one"""
    with _held_connection(app, app_module):
        _create(client, "before")
        first = _backup(client, app).get_data()
        _create(client, "after")
        second = _backup(client, app).get_data()
        assert _rows(first, app) == ["before"], f"the first backup should hold only 'before', it has {_rows(first, app)}"
        assert _rows(second, app) == ["before", "after"], f"the second backup should hold both items, it has {_rows(second, app)}"
