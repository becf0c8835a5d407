"""Formats (which confirm a document by its content) and converters (which render it)."""
import csv
import html
import io
import json


class Refused(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class Format:
    name = ""
    extension = ""

    @staticmethod
    def text(data):
        if b"\x00" in data:
            raise Refused(415, "binary content (NUL bytes) is not a text document")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Refused(415, "the document is not UTF-8 text") from None

    def parse(self, data):
        raise NotImplementedError


class CsvFormat(Format):
    name, extension = "csv", ".csv"

    def parse(self, data):
        reader = csv.reader(io.StringIO(self.text(data), newline=""), strict=True)
        try:
            rows = [row for row in reader if row]
        except csv.Error as e:
            raise Refused(415, "invalid CSV: %s" % e) from None
        if not rows or not all(name.strip() for name in rows[0]) or len(set(rows[0])) != len(rows[0]):
            raise Refused(415, "a CSV needs a header of unique, non-empty names")
        width = len(rows[0])
        bad = next((n for n, row in enumerate(rows, 1) if len(row) != width), None)
        if bad:
            raise Refused(415, "line %d of the CSV does not have %d fields" % (bad, width))
        return rows[0], rows[1:]


class JsonFormat(Format):
    name, extension = "json", ".json"

    def parse(self, data):
        try:
            return json.loads(self.text(data))
        except json.JSONDecodeError as e:
            raise Refused(415, "invalid JSON: %s" % e.msg) from None


class TextFormat(Format):
    name, extension = "txt", ".txt"

    def parse(self, data):
        return self.text(data)


FORMATS = {f.extension: f for f in (CsvFormat(), JsonFormat(), TextFormat())}


class Converter:
    source = target = mimetype = ""

    def render(self, document, title):
        raise NotImplementedError

    @staticmethod
    def page(title, body):
        return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>%s</title></head>\n"
                "<body>\n%s</body>\n</html>\n" % (html.escape(title), body))


class CsvToJson(Converter):
    source, target, mimetype = "csv", "json", "application/json"

    def render(self, document, title):
        header, rows = document
        return json.dumps([dict(zip(header, row)) for row in rows], ensure_ascii=False, indent=2)


class CsvToHtml(Converter):
    source, target, mimetype = "csv", "html", "text/html"

    def render(self, document, title):
        header, rows = document
        lines = ["<table>", "<tr>" + "".join("<th>%s</th>" % html.escape(h) for h in header) + "</tr>"]
        lines += ["<tr>" + "".join("<td>%s</td>" % html.escape(v) for v in row) + "</tr>" for row in rows]
        return self.page(title, "\n".join(lines + ["</table>", ""]))


class JsonToCsv(Converter):
    source, target, mimetype = "json", "csv", "text/csv"  # send_file adds "; charset=utf-8" to text/*

    @staticmethod
    def cell(value):
        if value is None:
            return ""
        return value if isinstance(value, str) else json.dumps(value)

    def render(self, document, title):
        if not (isinstance(document, list) and all(isinstance(item, dict) for item in document)):
            raise Refused(422, "CSV needs a JSON array of objects")
        columns = []
        for item in document:
            columns += [key for key in item if key not in columns]
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows([self.cell(item.get(key)) for key in columns] for item in document)
        return out.getvalue()


class TextToHtml(Converter):
    source, target, mimetype = "txt", "html", "text/html"

    def render(self, document, title):
        blocks, current = [], []
        for line in document.splitlines() + [""]:
            if line.strip():
                current.append(html.escape(line))
            elif current:
                blocks.append("<p>" + "<br>".join(current) + "</p>\n")
                current = []
        return self.page(title, "".join(blocks))


CONVERTERS = {(c.source, c.target): c for c in (CsvToJson(), CsvToHtml(), JsonToCsv(), TextToHtml())}


def table():
    result = {}
    for source, target in sorted(CONVERTERS):
        result.setdefault(source, []).append(target)
    return result
