"""Document conversions: which pairs exist, how a claimed source format is confirmed by the
content, and the converters themselves.

TODO (see the brief's requirements 4 and 7-10): write the parsers and the converters, then list
them in CONVERTERS. A parser turns the uploaded bytes into a document or raises NotThisFormat
(415); a converter takes that document and returns a generator of text pieces, or raises
CannotConvert (422) when the document cannot be represented in the target format."""
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


def read_text(data):
    """The bytes as text. TODO: refuse NUL bytes and text that is not UTF-8; drop a BOM."""
    raise NotImplementedError


def parse_csv(data):
    """(header, rows). TODO: a header of unique non-empty names, every row as wide as the header."""
    raise NotImplementedError


def parse_json(data):
    """The parsed JSON value. TODO: NotThisFormat when it is not JSON."""
    raise NotImplementedError


def parse_txt(data):
    return read_text(data)


PARSERS = {"csv": parse_csv, "json": parse_json, "txt": parse_txt}

# TODO: csv_to_json, csv_to_html, json_to_csv, txt_to_html(document, title) -> a generator of str
CONVERTERS = {}


def matrix():
    """{"csv": ["html", "json"], ...}: every source with its targets, sorted."""
    table = {}
    for source, target in CONVERTERS:
        table.setdefault(source, []).append(target)
    return {source: sorted(targets) for source, targets in sorted(table.items())}
