"""Checks for f3-migration: a Flask-Migrate revision that adds book.published_year.

Every check starts from an empty database and runs the migrations the way
`flask db upgrade` / `flask db downgrade` do, with the app's own engine. Each check names the
brief's numbered requirements it covers (@pytest.mark.req).
"""
import contextlib
import logging
import os

import pytest
from sqlalchemy import text

from flask_tutor_pytest import expect_json

INITIAL = "0cebbde70168"  # the starter's "create book table" revision


def _rows(db_inspect, table):
    """The rows of ``table``; a clear failure when the table does not exist."""
    tables = db_inspect.tables()
    assert table in tables, (
        "There is no table named %r in the database (tables: %s). Flask-SQLAlchemy names a "
        "model's table after its class (Todo -> todo) unless __tablename__ says otherwise."
        % (table, ", ".join(tables) or "none")
    )
    return db_inspect.rows(table)


@contextlib.contextmanager
def _logging_kept():
    """Alembic's env.py reconfigures logging (fileConfig); put it back afterwards."""
    root = logging.getLogger()
    saved_root = (root.handlers[:], root.level)
    saved = {
        name: (lg.level, lg.disabled, lg.handlers[:], lg.propagate)
        for name, lg in list(logging.Logger.manager.loggerDict.items())
        if isinstance(lg, logging.Logger)
    }
    try:
        yield
    finally:
        root.handlers[:] = saved_root[0]
        root.setLevel(saved_root[1])
        for name, (level, disabled, handlers, propagate) in saved.items():
            lg = logging.getLogger(name)
            lg.setLevel(level)
            lg.disabled = disabled
            lg.handlers[:] = handlers
            lg.propagate = propagate


def _migrate_ext(app):
    ext = app.extensions.get("migrate")
    assert ext is not None, (
        "Flask-Migrate is not set up on the app: keep `migrate.init_app(app, db)` in create_app()."
    )
    return ext


def _migrations_dir(app, app_dir):
    configured = str(getattr(_migrate_ext(app), "directory", None) or "migrations")
    if os.path.isabs(configured):
        candidates = [configured]
    else:  # relative to the folder you run `flask db ...` from: the exercise folder
        candidates = [os.path.join(str(app_dir), configured), os.path.join(app.root_path, configured)]
    for path in candidates:
        if os.path.isfile(os.path.join(path, "env.py")):
            return path
    raise AssertionError(
        "Could not find the migrations folder (looked for env.py in: %s). Keep the migrations/ "
        "folder of the exercise next to app.py." % ", ".join(candidates)
    )


def _config(app, app_dir):
    return _migrate_ext(app).migrate.get_config(_migrations_dir(app, app_dir))


def _run(app, app_dir, action, revision):
    """Run `flask db upgrade/downgrade <revision>`; a failure is a check failure."""
    from alembic import command

    error = None
    with app.app_context(), _logging_kept():
        config = _config(app, app_dir)
        try:
            getattr(command, action)(config, revision)
        except Exception as e:  # noqa: BLE001 - any error of the learner's migration
            error = "%s: %s" % (type(e).__name__, str(e).strip().splitlines()[0] if str(e).strip() else "")
    if error is not None:  # failed outside the except block: the report shows our message only
        hint = ""
        if "already exists" in error:
            hint = (
                " Is db.create_all() called in create_app()? With migrations, the tables come "
                "from `flask db upgrade` only."
            )
        raise AssertionError("`flask db %s %s` failed with %s%s" % (action, revision, error.rstrip("."), "." + hint))


def _engine(app):
    with app.app_context():
        return _migrate_ext(app).db.engine


def _book_columns(db_inspect):
    assert "book" in db_inspect.tables(), "After the migrations there is no book table."
    return db_inspect.columns("book")


@pytest.mark.req(1)
def test_upgrade_adds_published_year(app, app_dir, db_inspect):
    """flask db upgrade on an empty database creates book with a published_year column"""
    _run(app, app_dir, "upgrade", "head")
    columns = _book_columns(db_inspect)
    assert "published_year" in columns, (
        "After `flask db upgrade` the book table has the columns %s, but no published_year. Write a "
        "migration that adds it: `flask db migrate -m \"add published_year to book\"`, then review "
        "the file it creates in migrations/versions/." % ", ".join(columns)
    )


@pytest.mark.req(2)
def test_new_revision_follows_initial(app, app_dir):
    """The new revision builds on the initial one, and there is a single head"""
    from alembic.script import ScriptDirectory

    with app.app_context():
        script = ScriptDirectory.from_config(_config(app, app_dir))
        heads = script.get_heads()
        revisions = [s.revision for s in script.walk_revisions()]
    assert INITIAL in revisions, (
        "The initial revision %s (create book table) is missing from migrations/versions/. Keep it: "
        "databases that already ran it need it." % INITIAL
    )
    assert len(heads) == 1, (
        "The migrations have %d heads (%s): each new revision must name the previous one in "
        "down_revision, so they form one line." % (len(heads), ", ".join(heads))
    )
    assert heads[0] != INITIAL, (
        "There is no revision after the initial one yet. Add a new one (do not edit the initial "
        "revision: databases that already ran it would never get the column)."
    )


@pytest.mark.req(3)
def test_downgrade_removes_published_year(app, app_dir, db_inspect):
    """flask db downgrade to the initial revision drops published_year and keeps the books"""
    _run(app, app_dir, "upgrade", "head")
    assert "published_year" in _book_columns(db_inspect), "`flask db upgrade` did not add book.published_year."
    with _engine(app).begin() as conn:
        conn.execute(
            text("INSERT INTO book (title, author, published_year) VALUES (:t, :a, :y)"),
            {"t": "Dune", "a": "Frank Herbert", "y": 1965},
        )
    _run(app, app_dir, "downgrade", INITIAL)
    columns = _book_columns(db_inspect)
    assert "published_year" not in columns, (
        "After `flask db downgrade %s` the book table still has published_year. The downgrade() "
        "function of your revision should drop the column it added." % INITIAL
    )
    titles = [r.get("title") for r in _rows(db_inspect, "book")]
    assert titles == ["Dune"], "The downgrade should keep the existing books (only drop the column); book holds: %r" % titles
    _run(app, app_dir, "upgrade", "head")
    assert "published_year" in _book_columns(db_inspect), "Upgrading again after the downgrade should add the column back."


@pytest.mark.req(4)
def test_api_stores_published_year(app, app_dir, client, db_inspect):
    """After the upgrade, POST /books stores published_year and GET /books returns it"""
    _run(app, app_dir, "upgrade", "head")
    response = client.post("/books", json={"title": "Dune", "author": "Frank Herbert", "published_year": 1965})
    data = expect_json(response, status=201)
    assert isinstance(data, dict) and data.get("published_year") == 1965, (
        'POST /books should answer the new book with "published_year": 1965; it answered %r.%s' % (
            data,
            " The year comes back as text: the column the revision created is not an integer (add_column with "
            "sa.Integer(), like the model)." if isinstance(data, dict) and isinstance(data.get("published_year"), str) else "",
        )
    )
    listed = expect_json(client.get("/books"), status=200)
    assert isinstance(listed, list) and [b.get("published_year") for b in listed if isinstance(b, dict)] == [1965], (
        'GET /books should list the book with "published_year": 1965; it answered %r.' % listed
    )
    rows = _rows(db_inspect, "book")
    assert [r.get("published_year") for r in rows] == [1965], "The book table should store 1965 in published_year; it holds %r." % rows


@pytest.mark.req(5)
def test_migrations_match_models(app, app_dir):
    """The Book model has published_year and the migrations build exactly the model's tables"""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    db = _migrate_ext(app).db
    book = db.metadata.tables.get("book")
    assert book is not None and "published_year" in book.c, (
        "The Book model has no published_year column yet: add it in models.py."
    )
    import sqlalchemy as sa

    column = book.c.published_year
    assert isinstance(column.type, sa.Integer) and column.nullable, (
        "published_year is an optional whole number: db.Column(db.Integer, nullable=True) in the model "
        "(it is %s%s), the same type as in the revision." % (column.type, "" if column.nullable else ", NOT NULL")
    )
    _run(app, app_dir, "upgrade", "head")
    with _engine(app).connect() as conn:
        migrated = {c["name"]: c["type"] for c in sa.inspect(conn).get_columns("book")}
    assert isinstance(migrated.get("published_year"), sa.Integer), (
        "`flask db upgrade` created book.published_year as %s while the model says Integer: the revision's "
        "add_column should use sa.Integer(), the model's type (the comparison below leaves types out on SQLite)."
        % migrated.get("published_year")
    )
    with _engine(app).connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        diffs = compare_metadata(context, db.metadata)
    assert not diffs, (
        "The database built by the migrations differs from the models; `flask db migrate` would "
        "generate: %s. Make the model and the revision agree (same columns, same nullable=...)." % diffs
    )
