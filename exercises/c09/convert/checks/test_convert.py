"""Checks for c09-convert: a document conversion API (CSV <-> JSON, CSV and text -> HTML), the
source format confirmed by the content, size limits, the conversion matrix, download headers.

Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import csv
import io
import json
import struct
import zlib
from html.parser import HTMLParser

import pytest
from werkzeug.http import parse_options_header

from flask_tutor_pytest import about, expect_header, expect_json, expect_status

MATRIX = {"csv": ["html", "json"], "json": ["csv"], "txt": ["html"]}

PEOPLE_CSV = (
    "name,city,code\r\n"
    "Zoë,\"Lyon, France\",007\r\n"
    "\r\n"
    "Bob,Oslo,42\r\n"
).encode("utf-8")


def _png():
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    raw = b"\x00\xff\x00\x00" * 1
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _post(client, data, filename, to, content_type="application/octet-stream"):
    form = {"file": (io.BytesIO(data), filename, content_type)}
    if to is not None:
        form["to"] = to
    return client.post("/api/conversions", data=form, content_type="multipart/form-data")


def _convert(client, data, filename, to, what, content_type="application/octet-stream"):
    response = _post(client, data, filename, to, content_type)
    expect_status(response, 200, msg=f"POST /api/conversions with {what} ({filename}, to={to}).")
    return response


def _download_name(response):
    value = expect_header(response, "Content-Disposition")
    kind, options = parse_options_header(value)
    return kind, options.get("filename")


class _Html(HTMLParser):
    """Start tags seen, and the text of every th, td and p (a <br> counts as a newline)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.cells, self.rows, self.paragraphs = [], [], [], []
        self._text = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td", "p"):
            self._text = []
        elif tag == "br" and self._text is not None:
            self._text.append("\n")

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._text is not None:
            if self.rows:
                self.rows[-1].append((tag, "".join(self._text)))
            self._text = None
        elif tag == "p" and self._text is not None:
            self.paragraphs.append("".join(self._text))
            self._text = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def _parse_html(response):
    parser = _Html()
    parser.feed(response.get_data(as_text=True))
    parser.close()
    return parser


@pytest.mark.req(1, 3)
def test_formats(client):
    """GET /api/conversions/formats lists the matrix and the size limit"""
    expect_json(client.get("/api/conversions/formats"), {"conversions": MATRIX, "max_bytes": 2 * 1024 * 1024}, status=200,
                msg="GET /api/conversions/formats with the app's default configuration (MAX_CONTENT_LENGTH 2 MiB).")


@pytest.mark.req(1, 3)
@pytest.mark.app_config(MAX_CONTENT_LENGTH=64 * 1024)
def test_formats_follow_config(client):
    """max_bytes is the configured MAX_CONTENT_LENGTH"""
    data = expect_json(client.get("/api/conversions/formats"), {"conversions": MATRIX, "max_bytes": 64 * 1024}, status=200,
                       msg="GET /api/conversions/formats with MAX_CONTENT_LENGTH set to 65536.")
    assert data.get("max_bytes") == 64 * 1024, (
        f'with MAX_CONTENT_LENGTH set to 65536, "max_bytes" should be 65536, got {data.get("max_bytes")!r}: '
        'read it from current_app.config["MAX_CONTENT_LENGTH"]'
    )


@pytest.mark.req(2)
def test_missing_parts(client):
    """No file, an empty file, or no target: 400"""
    response = client.post("/api/conversions", data={"to": "json"}, content_type="multipart/form-data")
    expect_json(response, status=400, msg='POST /api/conversions without the field "file".')
    response = _post(client, b"", "empty.csv", "json")
    expect_json(response, status=400, msg="POST /api/conversions with an empty file.")
    response = _post(client, PEOPLE_CSV, "people.csv", None)
    expect_json(response, status=400, msg='POST /api/conversions without the field "to".')
    response = _post(client, PEOPLE_CSV, "people.csv", "")
    expect_json(response, status=400, msg='POST /api/conversions with an empty "to".')


@pytest.mark.req(3)
def test_default_size_limit(client):
    """MAX_CONTENT_LENGTH defaults to 2 MiB: a larger upload answers 413 JSON"""
    big = b"n,v\n" + b"a,1\n" * (2 * 1024 * 1024 // 4 + 256)  # a valid CSV a little above 2 MiB
    response = _post(client, big, "big.csv", "json")
    with about(hint='Set `MAX_CONTENT_LENGTH=2 * 1024 * 1024` in `create_app()`\'s defaults: Flask then refuses a '
                    'larger body with 413 before your view reads it.'):
        expect_json(response, status=413, msg=f"a {len(big)}-byte CSV is above the default limit of 2 MiB (2097152 bytes).")


@pytest.mark.req(3)
@pytest.mark.app_config(MAX_CONTENT_LENGTH=64 * 1024)
def test_configured_size_limit(client):
    """A body above the configured MAX_CONTENT_LENGTH: 413 JSON"""
    big = b"n,v\n" + b"a,1\n" * (100 * 1024 // 4)
    response = _post(client, big, "big.csv", "json")
    with about(hint="Answer Flask's 413 (RequestEntityTooLarge) as JSON with an error handler for HTTPException."):
        expect_json(response, status=413, msg="a 100 KiB upload with MAX_CONTENT_LENGTH = 64 KiB.")


REFUSED = {
    "a PNG image named data.csv": (_png(), "data.csv", "json"),
    "plain text named data.json": (b"hello, this is not JSON\n", "data.json", "csv"),
    "a CSV whose rows are wider than the header": (b"a,b\n1,2\n3,4,5\n", "rows.csv", "json"),
    "a CSV with a row narrower than the header": (b"a,b,c\n1,2,3\n4,5\n", "short.csv", "json"),
    "a CSV with a duplicated column name": (b"id,id\n1,2\n", "dup.csv", "json"),
    "UTF-16 text named notes.txt": ("hello\n".encode("utf-16"), "notes.txt", "html"),
    "a JSON document named report.docx": (b'[{"a": 1}]', "report.docx", "csv"),
}


@pytest.mark.req(4)
@pytest.mark.parametrize("case", list(REFUSED))
def test_refused_by_content(client, case):
    """The content must confirm the claimed type: 415 with the matrix"""
    data, filename, to = REFUSED[case]
    response = _post(client, data, filename, to, "text/csv" if filename.endswith(".csv") else "application/octet-stream")
    with about(hint="Decode the bytes as UTF-8 (`utf-8-sig`), refuse NUL bytes, then parse them as the claimed format "
                    "(`json.loads`, `csv.reader` with the field counts checked) and answer 415 when that fails."):
        data = expect_json(response, status=415, msg=f"POST /api/conversions with {case}: the content decides, not the name.")
    assert data.get("conversions") == MATRIX, (
        f'a 415 answer lists what is supported: "conversions" should be {MATRIX!r}, got {data.get("conversions")!r}'
    )


@pytest.mark.req(4, 7)
def test_content_type_ignored(client):
    """The part's Content-Type plays no role"""
    response = _convert(client, b"a,b\n1,2\n", "table.csv", "json", "a CSV sent as image/png", content_type="image/png")
    assert json.loads(response.get_data(as_text=True)) == [{"a": "1", "b": "2"}], (
        "a CSV named table.csv, sent with Content-Type image/png, is still a CSV: it should convert to "
        '[{"a": "1", "b": "2"}]'
    )


@pytest.mark.req(5)
@pytest.mark.parametrize("source,target", [("csv", "pdf"), ("json", "html"), ("txt", "json"), ("csv", "csv")])
def test_unsupported_pair(client, source, target):
    """A pair not in the matrix: 422 with the matrix"""
    data = {"csv": PEOPLE_CSV, "json": b'[{"a": 1}]', "txt": b"Hello.\n"}[source]
    response = _post(client, data, "doc." + source, target)
    data = expect_json(response, status=422, msg=f"{source} -> {target} is not in the conversion matrix.")
    assert data.get("conversions") == MATRIX, (
        f'a 422 answer lists what is supported: "conversions" should be {MATRIX!r}, got {data.get("conversions")!r}'
    )


@pytest.mark.parametrize("source,target,content_type", [
    ("csv", "json", "application/json"),
    ("json", "csv", "text/csv; charset=utf-8"),
    ("csv", "html", "text/html; charset=utf-8"),
    ("txt", "html", "text/html; charset=utf-8"),
])
@pytest.mark.req(6)
def test_download_headers(client, source, target, content_type):
    """200, the target's Content-Type, an attachment named after the upload"""
    data = {"csv": PEOPLE_CSV, "json": b'[{"a": 1}]', "txt": b"Hello.\n"}[source]
    response = _convert(client, data, "sales report." + source, target, f"a {source} document")
    expect_header(response, "Content-Type", content_type)
    kind, name = _download_name(response)
    assert kind == "attachment" and name == "sales_report." + target, (
        f'Content-Disposition should be attachment; filename=sales_report.{target} (the uploaded name "sales report.{source}" '
        f"through secure_filename, with the target's extension), got {response.headers.get('Content-Disposition')!r}"
    )


@pytest.mark.req(6)
def test_download_name_is_safe(client):
    """The download name goes through secure_filename"""
    response = _convert(client, b"Hello.\n", "../../etc/passwd.txt", "html", "a text file with a path in its name")
    kind, name = _download_name(response)
    with about(hint="Pass the uploaded name through `werkzeug.utils.secure_filename` before you build the download name."):
        assert name == "etc_passwd.html", (
            f"the upload was named ../../etc/passwd.txt: the download name should be secure_filename's etc_passwd.html, "
            f"got {name!r}: a name from the client must never carry a path"
        )


@pytest.mark.req(7)
def test_csv_to_json(client):
    """CSV to JSON: one object per row, the header's names, strings as written"""
    response = _convert(client, PEOPLE_CSV, "people.csv", "json", "a CSV with a quoted comma, a blank line and 007")
    expected = [{"name": "Zoë", "city": "Lyon, France", "code": "007"}, {"name": "Bob", "city": "Oslo", "code": "42"}]
    got = json.loads(response.get_data(as_text=True))
    assert got == expected, f"the CSV\n{PEOPLE_CSV.decode()}\nshould convert to {expected!r}, got {got!r}"
    spaced = b"name,note\r\n Ada ,two  spaces \r\n"
    response = _convert(client, spaced, "spaced.csv", "json", "a CSV whose fields start or end with spaces")
    got = json.loads(response.get_data(as_text=True))
    expected = [{"name": " Ada ", "note": "two  spaces "}]
    assert got == expected, (
        f"the CSV {spaced.decode()!r} should convert to {expected!r}, got {got!r}: values are the fields exactly as written, "
        "spaces included (do not strip them)"
    )


@pytest.mark.req(7)
def test_csv_with_bom(client):
    """A UTF-8 BOM (Excel's CSV export) is not part of the first column's name"""
    response = _convert(client, b"\xef\xbb\xbfid,title\n1,Dune\n", "excel.csv", "json", "a CSV starting with a UTF-8 BOM")
    got = json.loads(response.get_data(as_text=True))
    with about(hint='Decode with `data.decode("utf-8-sig")`: it drops the BOM Excel writes at the start.'):
        assert got == [{"id": "1", "title": "Dune"}], (
            f'a CSV saved by Excel starts with a BOM (EF BB BF): the first key should be "id", got {got!r}: the BOM was kept in the name'
        )


@pytest.mark.req(8)
def test_json_to_csv(client):
    """JSON to CSV: columns in first-seen order, null and missing empty, other values as JSON"""
    document = [
        {"name": "Ada", "age": 36, "admin": True},
        {"name": "Bob", "email": None, "tags": ["a", "b"]},
        {"age": 2.5, "name": "Zoë, \"Z\""},
    ]
    response = _convert(client, json.dumps(document).encode(), "users.json", "csv", "an array of three objects")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True), newline="")))
    expected = [
        ["name", "age", "admin", "email", "tags"],
        ["Ada", "36", "true", "", ""],
        ["Bob", "", "", "", '["a", "b"]'],
        ['Zoë, "Z"', "2.5", "", "", ""],
    ]
    with about(hint="Write a string as it is, None or a missing key as an empty field, anything else with `json.dumps(value)`."):
        assert rows == expected, (
            f"the JSON {json.dumps(document)} should convert to the CSV rows {expected!r}, got {rows!r} "
            '(null is an empty field and true is "true", not Python\'s None and True)'
        )


@pytest.mark.req(8)
@pytest.mark.parametrize("document", ['{"name": "Ada"}', "[1, 2, 3]"])
def test_json_not_a_table(client, document):
    """JSON that is not an array of objects cannot become CSV: 422"""
    response = _post(client, document.encode(), "data.json", "csv")
    data = expect_json(response, status=422, msg=f"the JSON {document} is not an array of objects.")
    assert data.get("conversions") == MATRIX, f'"conversions" should be {MATRIX!r}, got {data.get("conversions")!r}'


@pytest.mark.req(9)
def test_csv_to_html(client):
    """CSV to HTML: a table of th and td cells, every value escaped"""
    source = b'item,note\nbook,<script>alert("x")</script>\npen,a & b\n'
    response = _convert(client, source, "notes.csv", "html", "a CSV holding <script> and &")
    page = _parse_html(response)
    expected = [[("th", "item"), ("th", "note")], [("td", "book"), ("td", '<script>alert("x")</script>')], [("td", "pen"), ("td", "a & b")]]
    with about(hint="Write every value with `html.escape(value)`: the text `<script>` must become `&lt;script&gt;`."):
        assert "script" not in page.tags, (
            "the cell <script>alert(\"x\")</script> reached the page as a real <script> tag: every value must be escaped "
            "(html.escape), or the download runs the uploader's code in the reader's browser"
        )
        assert page.tags.count("table") == 1 and page.rows == expected, (
            f"the HTML should hold one <table> whose rows are {expected!r}, got the rows {page.rows!r}"
        )


@pytest.mark.req(10)
def test_txt_to_html(client):
    """Text to HTML: one <p> per paragraph, lines joined by <br>, escaped"""
    source = "First line\nsecond line\n\n\n  \nA <b>bold</b> claim & more\n".encode()
    response = _convert(client, source, "letter.txt", "html", "a text of two paragraphs")
    page = _parse_html(response)
    expected = ["First line\nsecond line", "A <b>bold</b> claim & more"]
    got = [p.replace("\r", "").replace("\n\n", "\n").strip() for p in page.paragraphs]
    assert "b" not in page.tags, "the text <b>bold</b> became a real <b> tag: every line must be escaped (html.escape)"
    assert got == expected, (
        f"the text {source.decode()!r} should become the paragraphs {expected!r} (lines joined by <br>), got {got!r}"
    )
