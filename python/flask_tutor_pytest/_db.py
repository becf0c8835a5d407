"""``sql_counter`` and ``db_inspect``: looking at the database a check's app uses."""

import contextlib
import sys

from . import _sandbox

_TX_WORDS = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "END")


class SQLCount:
    """What a ``with sql_counter() as c:`` block saw: ``c.count`` and ``c.statements``."""

    def __init__(self):
        self.statements = []

    @property
    def count(self):
        return len(self.statements)

    def __len__(self):
        return self.count

    def __repr__(self):
        return "<SQLCount %d statement(s)>" % self.count

    # raw sqlite3 connections
    def attach(self, conn):
        try:
            conn.set_trace_callback(self._trace)
        except Exception:
            pass

    def _trace(self, sql):
        head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
        if head not in _TX_WORDS:
            self.statements.append(sql)


class SQLCounter:
    """Fixture object. ``with sql_counter() as c:`` (or ``with sql_counter as c:``) counts the
    SQL statements executed inside the block (SQLAlchemy engines, or raw sqlite3 connections
    when the app does not use SQLAlchemy). Transaction control (BEGIN/COMMIT...) is not counted."""

    def __init__(self, sandbox):
        self._sandbox = sandbox
        self._stack = []

    def __call__(self):
        return self._counting()

    def __enter__(self):
        cm = self._counting()
        self._stack.append(cm)
        return cm.__enter__()

    def __exit__(self, *exc):
        return self._stack.pop().__exit__(*exc)

    @contextlib.contextmanager
    def _counting(self):
        result = SQLCount()
        listening = None
        if "sqlalchemy" in sys.modules:
            from sqlalchemy import event
            from sqlalchemy.engine import Engine

            def before(conn, cursor, statement, parameters, context, executemany):
                result.statements.append(statement)

            event.listen(Engine, "before_cursor_execute", before)
            listening = (event, Engine, before)
        root = self._sandbox.current if self._sandbox else None
        for conn in list(root.connections) if root else []:
            result.attach(conn)
        _sandbox._ACTIVE_SQLITE_COUNTERS.append(result)
        try:
            yield result
        finally:
            _sandbox._ACTIVE_SQLITE_COUNTERS.remove(result)
            for conn in list(root.connections) if root else []:
                try:
                    conn.set_trace_callback(None)
                except Exception:
                    pass
            if listening is not None:
                event, Engine, before = listening
                event.remove(Engine, "before_cursor_execute", before)


class DatabaseNotFound(AssertionError):
    pass


def sqlalchemy_db(ext):
    """The Flask-SQLAlchemy object registered as ``app.extensions["sqlalchemy"]``.

    Flask-SQLAlchemy 3.x registers the extension itself; reading ``.db`` on it is deprecated
    (a DeprecationWarning on every access, an error under ``-W error``), so it is recognised
    with ``isinstance`` first. Only 2.x registers a state object whose ``.db`` is the extension."""
    try:
        from flask_sqlalchemy import SQLAlchemy
    except Exception:  # pragma: no cover - registered by something that is not Flask-SQLAlchemy
        SQLAlchemy = None
    if SQLAlchemy is not None and isinstance(ext, SQLAlchemy):
        return ext
    db = getattr(ext, "db", None)  # Flask-SQLAlchemy 2.x: _SQLAlchemyState(db)
    if SQLAlchemy is not None and isinstance(db, SQLAlchemy):
        return db
    return db if db is not None else ext


class DBInspector:
    """Fixture object: ``tables()``, ``columns(table)``, ``rows(table)``, ``count(table)``,
    ``query(sql, params=None)``, ``execute(sql, params=None)``. Works on the committed data of
    the app's database: its Flask-SQLAlchemy engine, else the SQLAlchemy engine it created, else
    the SQLite file it opened."""

    def __init__(self, app, sandbox):
        self.app = app
        self._sandbox = sandbox

    # -- backends ------------------------------------------------------------------------
    def _engine(self):
        app = self.app
        ext = app.extensions.get("sqlalchemy") if app is not None else None
        if ext is not None:
            db = sqlalchemy_db(ext)
            with app.app_context():
                try:
                    return db.engine
                except Exception:
                    pass
        root = self._sandbox.current if self._sandbox else None
        engines = root.live_engines() if root else []
        return engines[-1] if engines else None

    def _sqlite_file(self):
        root = self._sandbox.current if self._sandbox else None
        files = list(root.db_files) if root else []
        if self.app is not None:
            configured = self.app.config.get("DATABASE")
            if isinstance(configured, str):
                target = self._sandbox.redirect_sqlite3(configured) if self._sandbox else configured
                if target in files:
                    return target
        import os

        files = [f for f in files if os.path.exists(f)]
        return files[-1] if files else None

    def _run(self, sql, params=()):
        engine = self._engine()
        if engine is not None:
            from sqlalchemy import text

            with engine.connect() as conn:
                result = conn.execute(text(sql), params if isinstance(params, dict) else {})
                if not result.returns_rows:
                    return []
                return [dict(r) for r in result.mappings().all()]
        path = self._sqlite_file()
        if path is None:
            raise DatabaseNotFound(
                "The app has not opened a database yet (no SQLAlchemy engine and no SQLite file)."
            )
        connect = self._sandbox.raw_sqlite_connect if self._sandbox else None
        import sqlite3

        conn = (connect or sqlite3.connect)(path)
        try:
            conn.row_factory = sqlite3.Row
            return [dict(r) for r in conn.execute(sql, params if isinstance(params, (tuple, list, dict)) else ())]
        finally:
            conn.close()

    def _write(self, sql, params=None):
        many = isinstance(params, (list, tuple)) and params and all(isinstance(p, dict) for p in params)
        engine = self._engine()
        if engine is not None:
            from sqlalchemy import text

            if params is None:
                params = {}
            elif not isinstance(params, dict) and not many:
                raise TypeError("db_inspect.execute(): params must be a dict (:name placeholders) or a list of dicts")
            with engine.begin() as conn:  # committed when the block ends (SQLAlchemy 1.4 and 2.x)
                return conn.execute(text(sql), list(params) if many else params).rowcount
        path = self._sqlite_file()
        if path is None:
            raise DatabaseNotFound(
                "The app has not opened a database yet (no SQLAlchemy engine and no SQLite file)."
            )
        connect = self._sandbox.raw_sqlite_connect if self._sandbox else None
        import sqlite3

        conn = (connect or sqlite3.connect)(path)
        try:
            with conn:  # commits, or rolls back on an error
                if many:
                    cur = conn.executemany(sql, list(params))
                else:
                    cur = conn.execute(sql, params if isinstance(params, (tuple, list, dict)) else ())
            return cur.rowcount
        finally:
            conn.close()

    def _quote(self, name):
        return '"%s"' % str(name).replace('"', '""')

    # -- API -----------------------------------------------------------------------------
    def tables(self):
        """Sorted table names (SQLite internal tables excluded)."""
        engine = self._engine()
        if engine is not None:
            from sqlalchemy import inspect

            return sorted(inspect(engine).get_table_names())
        rows = self._run("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
        return sorted(r["name"] for r in rows)

    def columns(self, table):
        """Column names of ``table``, in table order ([] if the table does not exist)."""
        return [c["name"] for c in self.column_info(table)]

    def column_info(self, table):
        """``[{"name", "type", "nullable", "primary_key"}]`` for ``table``."""
        engine = self._engine()
        if engine is not None:
            from sqlalchemy import inspect

            insp = inspect(engine)
            if table not in insp.get_table_names():
                return []
            # columns first: SQLAlchemy 1.4's SQLite get_pk_constraint() re-sorts the cached list
            cols = [dict(c) for c in insp.get_columns(table)]
            pk = set((insp.get_pk_constraint(table) or {}).get("constrained_columns") or [])
            return [
                {
                    "name": c["name"],
                    "type": str(c["type"]),
                    "nullable": bool(c.get("nullable", True)),
                    "primary_key": c["name"] in pk,
                }
                for c in cols
            ]
        rows = self._run("PRAGMA table_info(%s)" % self._quote(table))
        return [
            {"name": r["name"], "type": r["type"], "nullable": not r["notnull"], "primary_key": bool(r["pk"])}
            for r in rows
        ]

    def rows(self, table):
        """Every row of ``table`` as a dict (column name -> value), in rowid/primary-key order."""
        return self._run("SELECT * FROM %s" % self._quote(table))

    def count(self, table):
        return self._run("SELECT COUNT(*) AS n FROM %s" % self._quote(table))[0]["n"]

    def query(self, sql, params=None):
        """Run a read query; ``params`` is a dict (``:name`` placeholders). Nothing it does is
        committed: use :meth:`execute` to change data."""
        return self._run(sql, params or {})

    def execute(self, sql, params=None):
        """Run a statement that changes the database (INSERT, UPDATE, DELETE, DDL) and commit it;
        return the number of rows it changed (``rowcount``; -1 when the driver does not know).
        ``params``: a dict (``:name`` placeholders), or a list of dicts to run it once per dict."""
        return self._write(sql, params)
