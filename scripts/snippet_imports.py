"""Checks that expanded Python snippet bodies use names that exist in this interpreter's libraries.

Run by scripts/check-snippets.mjs with the "current" Python environment (what learners install), so
API drift in a library (a removed function, a renamed argument class) breaks our build before a
learner pastes the snippet.

stdin:  a JSON list of {"id": str, "text": str}
stdout: a JSON list of {"id": str, "error": str}, one per problem

What is checked, statically (the snippet is never run):
- every `import a.b` and `from a.b import c` resolves (module found, `c` an attribute or submodule);
- every attribute chain rooted in an imported name exists: `fields.String`, `jwt.encode`,
  `sa.orm.selectinload`; the chain stops at a call or subscript (`x.y().z` checks `x.y`);
- `db.<name>` on the Flask-SQLAlchemy object (`db.paginate`, `db.get_or_404`, `db.Column`), and
  `db.session.<name>` on its session, when the snippet does not bind `db` to something else.
Relative imports (`from .models import Todo`) and the learner's own top-level modules
(LEARNER_MODULES: `from app import create_app`, `from models import Todo`) are skipped.
"""

import ast
import importlib
import json
import sys


# Top-level module names the course uses for the learner's own code.
LEARNER_MODULES = {"app", "models", "extensions", "config", "routes", "views", "auth", "schemas", "wsgi", "forms", "tasks"}


def learner_module(name):
    return name.split(".")[0] in LEARNER_MODULES


def resolve_module(name, cache):
    if name not in cache:
        try:
            cache[name] = importlib.import_module(name)
        except Exception as error:  # ImportError and anything a broken package raises
            cache[name] = error
    return cache[name]


def lookup(obj, attr, modules):
    """getattr, falling back to importing a submodule (`import sqlalchemy` then `sqlalchemy.orm`)."""
    if hasattr(obj, attr):
        return True, getattr(obj, attr)
    module_name = getattr(obj, "__name__", None)
    if isinstance(module_name, str) and type(obj).__name__ == "module":
        sub = resolve_module(module_name + "." + attr, modules)
        if not isinstance(sub, Exception):
            return True, sub
    return False, None


def chain_of(node):
    """`a.b.c` → ["a", "b", "c"]; None when the chain does not start at a plain name."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return list(reversed(parts))
    return None


def flask_sqlalchemy_db():
    try:
        from flask_sqlalchemy import SQLAlchemy
    except Exception:
        return None
    return SQLAlchemy()


def check(text, modules, db):
    problems = []
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return problems  # the parse check reports it
    roots = {}  # local name → object
    bound = set()  # names the snippet assigns itself
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if learner_module(alias.name):
                    continue
                module = resolve_module(alias.name, modules)
                if isinstance(module, Exception):
                    problems.append("import %s: %s" % (alias.name, module))
                    continue
                if alias.asname:
                    roots[alias.asname] = module
                else:
                    top = alias.name.split(".")[0]
                    roots[top] = resolve_module(top, modules)
        elif isinstance(node, ast.ImportFrom):
            if node.level or not node.module or learner_module(node.module):
                continue
            module = resolve_module(node.module, modules)
            if isinstance(module, Exception):
                problems.append("from %s import ...: %s" % (node.module, module))
                continue
            for alias in node.names:
                if alias.name == "*":
                    continue
                found, value = lookup(module, alias.name, modules)
                if not found:
                    problems.append("from %s import %s: %s has no %s" % (node.module, alias.name, node.module, alias.name))
                else:
                    roots[alias.asname or alias.name] = value
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for sub in ast.walk(target):
                    if isinstance(sub, ast.Name):
                        bound.add(sub.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
            if not isinstance(node, ast.ClassDef):
                for arg in node.args.args + node.args.kwonlyargs:
                    bound.add(arg.arg)
    if db is not None and "db" not in roots and "db" not in bound:
        roots["db"] = db
    seen = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        chain = chain_of(node)
        if not chain or chain[0] not in roots or (chain[0] in bound and roots[chain[0]] is not db):
            continue
        key = ".".join(chain)
        if key in seen:
            continue
        seen.add(key)
        obj = roots[chain[0]]
        for depth, attr in enumerate(chain[1:], start=1):
            # Only one level below db.session: the session proxies the rest to a Session.
            found, value = lookup(obj, attr, modules)
            if not found:
                problems.append("%s: %s has no attribute %s" % (key, ".".join(chain[:depth]), attr))
                break
            obj = value
            if chain[0] == "db" and depth >= 2:
                break
    return problems


def main():
    items = json.load(sys.stdin)
    modules = {}
    db = flask_sqlalchemy_db()
    out = []
    for item in items:
        for problem in check(item["text"], modules, db):
            out.append({"id": item["id"], "error": problem})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
