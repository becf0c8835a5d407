"""Document conversions: which pairs exist, how a claimed source format is confirmed by the
content, and the converters themselves.

A source is parsed (and so validated) completely before anything is answered; a converter then
returns a generator of text pieces, so a large document is streamed out piece by piece instead
of being built as one more string in memory. Each converter is a plain function of the parsed
document: the same registry could run in a background worker (a job with a status) unchanged."""
import csv
import html
import io
import json

SOURCES = {".csv": "csv", ".json": "json", ".txt": "txt"}
MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
}


class NotThisFormat(ValueError):
    """The content is not what the file name claims (415)."""


class CannotConvert(ValueError):
    """The document is valid, but this conversion cannot represent it (422)."""


# --- sources: bytes -> a parsed document, or NotThisFormat ---------------------------------

def read_text(data):
    if b"\0" in data:
        raise NotThisFormat("the file holds NUL bytes: it is binary, not a text document")
    try:
        return data.decode("utf-8-sig")  # drops the BOM Excel and Notepad write
    except UnicodeDecodeError as e:
        raise NotThisFormat("the file is not UTF-8 text (byte %d cannot be decoded)" % e.start) from None


def parse_csv(data):
    """(header, rows): a header of unique non-empty names, every row as wide as the header."""
    text = read_text(data)
    try:
        rows = [row for row in csv.reader(io.StringIO(text, newline=""), strict=True) if row]
    except csv.Error as e:
        raise NotThisFormat("the file is not valid CSV: %s" % e) from None
    if not rows:
        raise NotThisFormat("the CSV file has no header row")
    header, body = rows[0], rows[1:]
    if any(not name.strip() for name in header) or len(set(header)) != len(header):
        raise NotThisFormat("the CSV header needs unique, non-empty column names")
    for number, row in enumerate(body, start=2):
        if len(row) > len(header):
            raise NotThisFormat("CSV row %d has %d fields, the header has %d" % (number, len(row), len(header)))
    return header, body


def parse_json(data):
    try:
        return json.loads(read_text(data))
    except ValueError as e:
        raise NotThisFormat("the file is not valid JSON: %s" % e) from None


def parse_txt(data):
    return read_text(data)


PARSERS = {"csv": parse_csv, "json": parse_json, "txt": parse_txt}


# --- converters: a parsed document -> a generator of str pieces ------------------------------

def csv_to_json(document, title):
    header, rows = document

    def generate():
        yield "["
        for i, row in enumerate(rows):
            yield ("," if i else "") + json.dumps(dict(zip(header, row)), ensure_ascii=False)
        yield "]"

    return generate()


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)  # 3, 2.5, true, ["a", "b"]


def json_to_csv(document, title):
    if not isinstance(document, list) or not all(isinstance(item, dict) for item in document):
        raise CannotConvert("only a JSON array of objects converts to CSV (one row per object)")
    columns = list(dict.fromkeys(key for item in document for key in item))

    def generate():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in [columns] + [[_cell(item.get(key)) for key in columns] for item in document]:
            writer.writerow(row)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate(0)

    return generate()


def _page_start(title):
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            "<title>%s</title>\n</head>\n<body>\n" % html.escape(title))


def csv_to_html(document, title):
    header, rows = document

    def generate():
        yield _page_start(title)
        yield "<table>\n<thead>\n<tr>%s</tr>\n</thead>\n<tbody>\n" % "".join(
            "<th>%s</th>" % html.escape(name) for name in header)
        for row in rows:
            yield "<tr>%s</tr>\n" % "".join("<td>%s</td>" % html.escape(value) for value in row)
        yield "</tbody>\n</table>\n</body>\n</html>\n"

    return generate()


def _paragraphs(text):
    paragraph = []
    for line in text.splitlines():
        if line.strip():
            paragraph.append(line)
        elif paragraph:
            yield paragraph
            paragraph = []
    if paragraph:
        yield paragraph


def txt_to_html(document, title):
    def generate():
        yield _page_start(title)
        for lines in _paragraphs(document):
            yield "<p>%s</p>\n" % "<br>\n".join(html.escape(line) for line in lines)
        yield "</body>\n</html>\n"

    return generate()


CONVERTERS = {
    ("csv", "json"): csv_to_json,
    ("csv", "html"): csv_to_html,
    ("json", "csv"): json_to_csv,
    ("txt", "html"): txt_to_html,
}


def matrix():
    """{"csv": ["html", "json"], ...}: every source with its targets, sorted."""
    table = {}
    for source, target in CONVERTERS:
        table.setdefault(source, []).append(target)
    return {source: sorted(targets) for source, targets in sorted(table.items())}
