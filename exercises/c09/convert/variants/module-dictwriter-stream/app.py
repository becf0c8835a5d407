"""The conversion API in one module with a module-level app. Refusals are exceptions handled by
error handlers; every answer is streamed."""
import csv
import io
import json
import os
from html import escape

from flask import Flask, Response, jsonify, request, stream_with_context
from werkzeug.exceptions import HTTPException
from werkzeug.utils import secure_filename

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024

TARGETS = {"csv": ("html", "json"), "json": ("csv",), "txt": ("html",)}
TYPES = {"json": "application/json", "csv": "text/csv; charset=utf-8", "html": "text/html; charset=utf-8"}


class UnsupportedDocument(Exception):
    status = 415


class UnsupportedConversion(Exception):
    status = 422


def matrix():
    return {source: sorted(targets) for source, targets in TARGETS.items()}


@app.errorhandler(UnsupportedDocument)
@app.errorhandler(UnsupportedConversion)
def unsupported(error):
    return jsonify(error=str(error), conversions=matrix()), error.status


@app.errorhandler(HTTPException)
def http_error(error):
    return jsonify(error=error.description), error.code


def as_text(data):
    if data.find(b"\0") != -1:
        raise UnsupportedDocument("NUL bytes: a binary file is not a document")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnsupportedDocument("the file is not encoded in UTF-8") from None


def read_csv(text):
    """csv.DictReader rows, after checking the shape with csv.reader."""
    try:
        lines = [row for row in csv.reader(io.StringIO(text, newline=""), strict=True) if row]
    except csv.Error as e:
        raise UnsupportedDocument(f"not CSV: {e}") from None
    header = lines[0] if lines else []
    if not header or "" in [h.strip() for h in header] or len(set(header)) < len(header):
        raise UnsupportedDocument("the CSV header must name every column once")
    if any(len(row) != len(header) for row in lines[1:]):
        raise UnsupportedDocument("every CSV row must have as many fields as the header")
    return header, list(csv.DictReader(io.StringIO(text, newline="")))


def html_page(title, body):
    yield f'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>{escape(title)}</title></head>\n<body>\n'
    yield from body
    yield "</body>\n</html>\n"


def csv_table(header, records):
    yield "<table>\n<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in header) + "</tr></thead>\n<tbody>\n"
    for record in records:
        yield "<tr>" + "".join(f"<td>{escape(record[h])}</td>" for h in header) + "</tr>\n"
    yield "</tbody>\n</table>\n"


def text_paragraphs(text):
    paragraph = []
    for line in text.splitlines() + [""]:
        if line.strip():
            paragraph.append(escape(line))
        elif paragraph:
            yield "<p>" + "<br>\n".join(paragraph) + "</p>\n"
            paragraph = []


def csv_rows(items):
    if not isinstance(items, list) or any(not isinstance(item, dict) for item in items):
        raise UnsupportedConversion("JSON to CSV needs an array of objects")
    fields = list(dict.fromkeys(key for item in items for key in item))

    def cell(value):
        return "" if value is None else value if isinstance(value, str) else json.dumps(value)

    def generate():
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=fields, restval="")
        writer.writeheader()
        for item in items:
            writer.writerow({key: cell(value) for key, value in item.items()})
            yield out.getvalue()
            out.seek(0)
            out.truncate()
        if not items:
            yield out.getvalue()

    return generate()


@app.get("/api/conversions/formats")
def formats():
    return {"conversions": matrix(), "max_bytes": app.config["MAX_CONTENT_LENGTH"]}


@app.post("/api/conversions")
def convert():
    upload, target = request.files.get("file"), request.form.get("to", "").strip().lower()
    if upload is None or not target:
        return jsonify(error='send the fields "file" and "to"'), 400
    data = upload.read()
    if not data:
        return jsonify(error="the file is empty"), 400
    source = os.path.splitext(upload.filename or "")[1].lower().lstrip(".")
    if source not in TARGETS:
        raise UnsupportedDocument(f"documents of type {source or 'unknown'} are not supported")
    text = as_text(data)
    if source == "json":
        try:
            document = json.loads(text)
        except ValueError:
            raise UnsupportedDocument("the file is not valid JSON") from None
    elif source == "csv":
        document = read_csv(text)
    else:
        document = text
    if target not in TARGETS[source]:
        raise UnsupportedConversion(f"{source} converts to {', '.join(TARGETS[source])}, not {target}")

    name = os.path.splitext(secure_filename(upload.filename))[0] or "document"
    name = f"{name}.{target}"
    if (source, target) == ("csv", "json"):
        body = json.JSONEncoder(ensure_ascii=False).iterencode(document[1])
    elif (source, target) == ("csv", "html"):
        body = html_page(name, csv_table(*document))
    elif source == "json":
        body = csv_rows(document)
    else:
        body = html_page(name, text_paragraphs(document))
    response = Response(stream_with_context(body), content_type=TYPES[target])
    response.headers.set("Content-Disposition", "attachment", filename=name)
    return response
