"""Parses expanded snippet bodies for scripts/check-snippets.mjs (one process for all of them).

stdin:  a JSON list of {"id": str, "kind": "python" | "template", "text": str}
stdout: a JSON list of {"id": str, "error": str}, one per body that fails (empty when all pass)

Python bodies must parse with ast, and also compile as the body of a function, which catches
what the parser lets through (duplicate arguments, `break` outside a loop, ...) while allowing
the `return` of a view fragment. Template bodies must parse with Jinja2 in Flask's default
environment (no extensions) and, with the Jinja syntax removed, have balanced HTML tags.
Needs Jinja2: run it with Debian's /usr/bin/python3 (python3-jinja2).
"""

import ast
import json
import re
import sys
from html.parser import HTMLParser

try:
    import jinja2
except ImportError:  # pragma: no cover - environment problem, reported to the caller
    sys.stderr.write("snippet_parse.py: jinja2 is not importable by %s\n" % sys.executable)
    sys.exit(2)

JINJA = jinja2.Environment()
JINJA_SYNTAX = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
}


def source_line(text, lineno):
    lines = text.splitlines()
    return lines[lineno - 1].strip() if lineno and 0 < lineno <= len(lines) else ""


def check_python(text):
    try:
        ast.parse(text, "<snippet>")
    except SyntaxError as error:
        return "line %s:%s: %s: %s" % (error.lineno, error.offset, error.msg, source_line(text, error.lineno))
    lines = text.splitlines(True)
    wrapped = "def __snippet__():\n" + "".join("\t" + line if line.strip() else line for line in lines) + "\n\tpass\n"
    try:
        compile(wrapped, "<snippet>", "exec", dont_inherit=True)
    except SyntaxError as error:
        lineno = (error.lineno or 1) - 1
        return "line %s: %s: %s" % (lineno, error.msg, source_line(text, lineno))
    return None


class TagBalance(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open = []
        self.errors = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID_ELEMENTS:
            self.open.append((tag, self.getpos()[0]))

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            self.errors.append("line %s: </%s> closes a void element" % (self.getpos()[0], tag))
        elif self.open and self.open[-1][0] == tag:
            self.open.pop()
        else:
            expected = "</%s> for <%s> of line %s" % (self.open[-1][0], self.open[-1][0], self.open[-1][1]) if self.open else "no closing tag"
            self.errors.append("line %s: </%s> where %s was expected" % (self.getpos()[0], tag, expected))


def check_template(text):
    try:
        JINJA.parse(text)
    except jinja2.TemplateSyntaxError as error:
        return "line %s: %s: %s" % (error.lineno, error.message, source_line(text, error.lineno))
    # Replace Jinja syntax by neutral text, keeping line numbers, then check the HTML tags.
    html = JINJA_SYNTAX.sub(lambda m: "x" * (m.group(0).startswith("{{")) + "\n" * m.group(0).count("\n"), text)
    parser = TagBalance()
    parser.feed(html)
    parser.close()
    errors = parser.errors + ["line %s: <%s> is never closed" % (line, tag) for tag, line in parser.open]
    return "; ".join(errors) or None


def main():
    items = json.load(sys.stdin)
    failures = []
    for item in items:
        check = check_python if item["kind"] == "python" else check_template
        error = check(item["text"])
        if error:
            failures.append({"id": item["id"], "error": error})
    json.dump(failures, sys.stdout)


if __name__ == "__main__":
    main()
