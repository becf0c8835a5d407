"""Checks for c09-scan: pluggable scanners (EICAR, ClamAV's clamd when it answers), quarantine, 422.

Each check names the brief's numbered requirements it covers (@pytest.mark.req). Requirement 6
runs against a small fake clamd started on 127.0.0.1 by the check (PING and INSTREAM)."""
import hashlib
import io
import os
import socket
import struct
import threading
import time

import pytest

from flask_tutor_pytest import about, expect_json, expect_status

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
CLEAN = b"quarterly report\n" * 20


def _post(client, data, filename="report.txt"):
    return client.post("/api/files", data={"file": (io.BytesIO(data), filename)}, content_type="multipart/form-data")


def _listed(client):
    data = expect_json(client.get("/api/files"), status=200)
    return data.get("files") if isinstance(data, dict) else None


def _infected(client, data, filename, what):
    response = _post(client, data, filename)
    with about(hint="Scan before storing: when a scanner returns a signature, answer 422 and write the bytes to the quarantine only."):
        body = expect_json(response, status=422, msg=f"POST /api/files with {what} ({filename}): the scanner must find it.")
    return body


class FakeClamd:
    """A tiny clamd: answers zPING with PONG and zINSTREAM with FOUND when the data holds MARKER."""

    MARKER = b"FAKE-CLAMD-TEST-MARKER"

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.address = self.sock.getsockname()
        self.commands = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _read_exact(self, conn, n):
        out = b""
        while len(out) < n:
            part = conn.recv(n - len(out))
            if not part:
                raise ConnectionError("closed")
            out += part
        return out

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                try:
                    conn.settimeout(2)
                    command = b""
                    while not command.endswith(b"\0"):
                        command += self._read_exact(conn, 1)
                    self.commands.append(command.decode())
                    if command in (b"zPING\0", b"nPING\n"):
                        conn.sendall(b"PONG\0")
                    elif command == b"zINSTREAM\0":
                        data = b""
                        while True:
                            (size,) = struct.unpack("!L", self._read_exact(conn, 4))
                            if size == 0:
                                break
                            data += self._read_exact(conn, size)
                        conn.sendall(b"stream: Fake.Clamd.Marker FOUND\0" if self.MARKER in data else b"stream: OK\0")
                    else:
                        conn.sendall(b"UNKNOWN COMMAND\0")
                except (OSError, ConnectionError, struct.error):
                    pass

    def close(self):
        self.sock.close()


@pytest.fixture
def fake_clamd():
    server = FakeClamd()
    yield server
    server.close()


def _closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.mark.req(1)
def test_clean_upload_stored(client):
    """A clean file: 201 with name, size, sha256, scanned_by; downloadable and listed"""
    response = _post(client, CLEAN, "../Q3 report.txt")
    data = expect_json(response, status=201, msg="POST /api/files with a clean text file.")
    expected = {"name": "Q3_report.txt", "size": len(CLEAN), "sha256": hashlib.sha256(CLEAN).hexdigest(), "scanned_by": ["eicar"]}
    assert data == expected, f"a clean upload named '../Q3 report.txt' should answer {expected!r}, got {data!r}"
    got = client.get("/api/files/Q3_report.txt")
    expect_status(got, 200)
    assert got.data == CLEAN, "GET /api/files/Q3_report.txt should answer exactly the uploaded bytes"
    assert _listed(client) == ["Q3_report.txt"], f'GET /api/files should list ["Q3_report.txt"], got {_listed(client)!r}'


@pytest.mark.req(1)
def test_bad_requests(client):
    """Missing field, empty file, unusable name: 400"""
    expect_json(client.post("/api/files", data={"x": "1"}, content_type="multipart/form-data"), status=400,
                msg='POST /api/files without the field "file".')
    expect_json(_post(client, b"", "empty.txt"), status=400, msg="POST /api/files with an empty file.")
    expect_json(_post(client, CLEAN, "../.."), status=400, msg='POST /api/files with the name "../.." (empty after secure_filename).')


@pytest.mark.req(2, 3)
@pytest.mark.parametrize("case", ["the EICAR file", "EICAR after other bytes", "EICAR with a trailing newline, named .txt"])
def test_eicar_detected(client, case):
    """The EICAR string anywhere in the file: 422 with its signature, not stored"""
    data, name = {
        "the EICAR file": (EICAR, "eicar.com"),
        "EICAR after other bytes": (b"PK\x03\x04 some archive header " + EICAR + b" tail", "archive.zip"),
        "EICAR with a trailing newline, named .txt": (EICAR + b"\r\n", "notes.txt"),
    }[case]
    with about(hint='`EicarScanner.scan` should answer "Eicar-Test-Signature" when `EICAR in data`.', blame="scanners.py:EicarScanner.scan"):
        body = _infected(client, data, name, case)
    assert body.get("signature") == "Eicar-Test-Signature", f'the 422 should name "signature": "Eicar-Test-Signature", got {body!r}'
    assert isinstance(body.get("quarantine_id"), str) and body["quarantine_id"], f'the 422 should hold a "quarantine_id", got {body!r}'
    assert body.get("scanned_by") == ["eicar"], f'"scanned_by" should be ["eicar"], got {body.get("scanned_by")!r}'
    expect_status(client.get("/api/files/" + name), 404, msg=f"an infected upload must never be served ({name}).")
    assert name not in (_listed(client) or []), f"GET /api/files must not list the infected {name}"


@pytest.mark.req(3)
def test_infected_never_replaces_clean_file(client):
    """An infected upload under an existing name leaves the clean file unchanged"""
    expect_json(_post(client, CLEAN, "report.txt"), status=201)
    _infected(client, EICAR, "report.txt", "the EICAR file under the name of a stored file")
    got = client.get("/api/files/report.txt")
    expect_status(got, 200, msg="the infected upload removed the clean report.txt: write to the served folder only after a clean scan.")
    assert got.data == CLEAN, "the infected upload replaced the clean report.txt: write to the served folder only after a clean scan"


@pytest.mark.req(4)
def test_quarantine(app, client):
    """Infected bytes are kept in quarantine inside UPLOAD_FOLDER and listed, never served"""
    first = _infected(client, EICAR, "eicar.com", "the EICAR file")
    second = _infected(client, b"xx" + EICAR, "../evil.exe", "EICAR in a file named ../evil.exe")
    data = expect_json(client.get("/api/quarantine"), status=200)
    items = data.get("items") if isinstance(data, dict) else None
    assert isinstance(items, list), f'GET /api/quarantine should answer {{"items": [...]}}, got {data!r}'
    expected = sorted([
        {"id": first.get("quarantine_id"), "filename": "eicar.com", "signature": "Eicar-Test-Signature", "size": len(EICAR)},
        {"id": second.get("quarantine_id"), "filename": "evil.exe", "signature": "Eicar-Test-Signature", "size": len(EICAR) + 2},
    ], key=lambda i: i["filename"])
    got = sorted(items, key=lambda i: str(i.get("filename")) if isinstance(i, dict) else "")
    with about(hint="Write the infected bytes (and their id, name, signature, size) under UPLOAD_FOLDER, e.g. quarantine/<id>.bin and <id>.json."):
        assert got == expected, f"GET /api/quarantine should list {expected!r}, got {items!r}"
    kept = []
    for root, _, files in os.walk(app.config["UPLOAD_FOLDER"]):
        for f in files:
            with open(os.path.join(root, f), "rb") as fh:
                kept.append(fh.read())
    assert EICAR in kept and b"xx" + EICAR in kept, "the infected bytes should be kept, as they came, in a file inside UPLOAD_FOLDER (the quarantine)"
    for qid in (first.get("quarantine_id"), second.get("quarantine_id")):
        for url in (f"/api/files/{qid}", f"/api/files/{qid}.bin", f"/api/files/../quarantine/{qid}.bin", f"/api/quarantine/{qid}"):
            response = client.get(url)
            assert EICAR not in response.data, f"GET {url} served quarantined content: no URL may serve it"
    # Wherever the quarantine is, its files must not be reachable through the download route:
    # every tail of their paths inside UPLOAD_FOLDER is tried as a name (quarantine/<id>.bin, ...).
    folder = app.config["UPLOAD_FOLDER"]
    infected = []  # (content, path parts): in a fixed order, whatever the ids and the disk's order
    for root, _, files in os.walk(folder):
        for f in files:
            with open(os.path.join(root, f), "rb") as fh:
                content = fh.read()
            if EICAR in content:
                infected.append((content, os.path.relpath(os.path.join(root, f), folder).split(os.sep)))
    for _, parts in sorted(infected):
        for i in range(len(parts)):
            name = "/".join(parts[i:])
            response = client.get(f"/api/files/{name}")
            with about(hint="Keep the quarantine outside the folder the download route serves (e.g. UPLOAD_FOLDER/clean and UPLOAD_FOLDER/quarantine side by side)."):
                assert EICAR not in response.data, (
                    f"GET /api/files/<a quarantined file's path inside UPLOAD_FOLDER, from its last {len(parts) - i} part(s)> "
                    "served quarantined content: the quarantine must not sit inside the folder the download route serves"
                )


class _WordScanner:
    def __init__(self, name, word, signature):
        self.name, self.word, self.signature = name, word, signature

    def scan(self, data):
        return self.signature if self.word in data else None


@pytest.mark.app_config(SCANNERS=[_WordScanner("words", b"FORBIDDEN", "Policy.Forbidden.Word"),
                                  _WordScanner("second", b"FORBIDDEN", "Second.Signature")])
@pytest.mark.req(5)
def test_pluggable_scanners(client):
    """app.config["SCANNERS"] replaces the default scanners, used in order"""
    with about(hint='`active_scanners(config)` should return `list(config["SCANNERS"])` when it is set.', blame="scanners.py:active_scanners"):
        body = _infected(client, b"this file has a FORBIDDEN word", "memo.txt", "a file that the configured scanner flags")
        assert body.get("signature") == "Policy.Forbidden.Word", (
            f'the first configured scanner that finds something gives the signature "Policy.Forbidden.Word", got {body!r}'
        )
        data = expect_json(_post(client, EICAR, "eicar.com"), status=201,
                           msg="with SCANNERS set, only those scanners decide (neither flags the EICAR string).")
        assert data.get("scanned_by") == ["words", "second"], f'"scanned_by" should be ["words", "second"], got {data.get("scanned_by")!r}'


@pytest.mark.app_config(SCANNERS=[])
@pytest.mark.req(5)
def test_empty_scanners_list_means_no_scanner(client):
    """SCANNERS = [] is set: exactly those scanners (none) are used, not the default ones"""
    response = _post(client, CLEAN, "clean.txt")
    with about(hint='Test `config.get("SCANNERS") is not None`, not its truth: an empty list is a setting too.', blame="scanners.py:active_scanners"):
        data = expect_json(response, status=201, msg="with SCANNERS = [] (no scanner configured) a clean file is stored.")
        assert data.get("scanned_by") == [], (
            f'with app.config["SCANNERS"] = [] the upload answered "scanned_by": {data.get("scanned_by")!r}; expected []: '
            "when SCANNERS is set, exactly those scanners are used (an empty list is set: no scanner, not the defaults)"
        )


@pytest.mark.req(6)
def test_clamd_used_when_it_answers(app, client, fake_clamd):
    """With CLAMD_ADDRESS answering PING, clamd scans too and its FOUND signature counts"""
    app.config["CLAMD_ADDRESS"] = fake_clamd.address
    with about(hint="When CLAMD_ADDRESS is set and `ClamdScanner(...).available()`, add it after EicarScanner.",
               blame="scanners.py:active_scanners"):
        data = expect_json(_post(client, CLEAN, "clean.txt"), status=201, msg="a clean file with a clamd answering.")
        assert data.get("scanned_by") == ["eicar", "clamd"], (
            f'with clamd answering at CLAMD_ADDRESS, "scanned_by" should be ["eicar", "clamd"], got {data.get("scanned_by")!r}'
        )
        body = _infected(client, b"header " + FakeClamd.MARKER + b" footer", "sample.bin", "a file that clamd reports FOUND")
        assert body.get("signature") == "Fake.Clamd.Marker", f'the signature should be clamd\'s, "Fake.Clamd.Marker", got {body!r}'
    assert any(c.startswith("zINSTREAM") for c in fake_clamd.commands), "clamd was never asked to scan (zINSTREAM)"


@pytest.mark.req(6)
def test_works_without_clamd(app, client):
    """CLAMD_ADDRESS pointing nowhere: uploads work with eicar only, quickly"""
    app.config["CLAMD_ADDRESS"] = ("127.0.0.1", _closed_port())
    started = time.monotonic()
    with about(hint="Use clamd only when `available()` answers: a clamd that is down must never fail an upload.",
               blame="scanners.py:active_scanners"):
        data = expect_json(_post(client, CLEAN, "clean.txt"), status=201, msg="with no clamd answering at CLAMD_ADDRESS (ClamAV is never required).")
        assert data.get("scanned_by") == ["eicar"], f'without clamd, "scanned_by" should be ["eicar"], got {data.get("scanned_by")!r}'
        body = _infected(client, EICAR, "eicar.com", "the EICAR file, with no clamd answering")
    assert body.get("signature") == "Eicar-Test-Signature", f"got {body!r}"
    elapsed = time.monotonic() - started
    assert elapsed < 4, f"two uploads took {elapsed:.1f} s with clamd down: connection attempts need a short timeout"
