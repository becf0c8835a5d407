"""Isolation: verifying never changes the learner's files.

* ``sys.dont_write_bytecode``: no ``__pycache__`` appears in the learner's folder.
* Every ``flask.Flask`` gets an instance path in a temporary "root" (one per check).
* File-based SQLite databases are redirected into the current root, at two levels:
  SQLAlchemy engine creation (``create_engine``/``engine_from_config``, so ``engine.url``
  shows the real file) and ``sqlite3.connect`` (raw ``sqlite3`` apps, and a safety net).
* ``app.run()`` called while loading is skipped (the checks use the test client).
* An audit hook refuses writes (open for writing, remove, rename, mkdir, ...) inside the
  learner's folder while checks run, with :class:`SandboxWriteError`.

Flask and SQLAlchemy are patched lazily, right after they are imported (import hook), so
loading the plugin stays cheap."""

import functools
import importlib.abc
import os
import shutil
import sys
import tempfile
import weakref

from ._errors import SandboxWriteError  # noqa: F401 - re-exported
from ._util import is_inside, norm

_WRITE_FLAGS = 0
for _name in ("O_WRONLY", "O_RDWR", "O_APPEND", "O_CREAT", "O_TRUNC"):
    _WRITE_FLAGS |= getattr(os, _name, 0)

_WATCHED = frozenset(
    {
        "open", "os.remove", "os.rename", "os.mkdir", "os.rmdir", "os.truncate",
        "shutil.rmtree", "os.chmod", "os.utime", "os.link", "os.symlink", "os.chown",
    }
)
_DB_SUFFIXES = (".db", ".sqlite", ".sqlite3", ".db3", "-journal", "-wal", "-shm")


class Root:
    """A temporary home for one app: instance folder, redirected databases, engines."""

    def __init__(self, path, learner_instance=None):
        self.path = path
        self.instance_path = os.path.join(path, "instance")
        self.db_dir = os.path.join(path, "db")  # created on first use
        os.makedirs(self.instance_path)
        self.norm = norm(path)
        self.mapping = {}  # learner's absolute path -> redirected path
        self.db_files = []  # every file-based SQLite database opened in this root
        self.engines = []  # weakrefs to SQLAlchemy engines created in this root
        self.connections = []  # raw sqlite3 connections (not SQLAlchemy's) opened in this root
        if learner_instance:
            _copy_instance_config(learner_instance, self.instance_path)

    def note_db(self, path):
        if path not in self.db_files:
            self.db_files.append(path)

    def live_engines(self):
        return [e for e in (r() for r in self.engines) if e is not None]

    def close(self, remove=True):
        for engine in self.live_engines():
            try:
                engine.dispose()
            except Exception:
                pass
        self.engines = []
        self.connections = []
        if remove:
            shutil.rmtree(self.path, ignore_errors=True)


def _copy_instance_config(src, dst):
    """Copy the learner's instance/ config files (not databases) into the temporary instance."""
    try:
        entries = list(os.scandir(src))
    except OSError:
        return
    for entry in entries:
        try:
            if not entry.is_file() or entry.name.lower().endswith(_DB_SUFFIXES):
                continue
            if entry.stat().st_size > 1024 * 1024:
                continue
            shutil.copyfile(entry.path, os.path.join(dst, entry.name))
        except OSError:
            pass


class _PostImportHook(importlib.abc.MetaPathFinder):
    """Runs a callback right after a top-level module has been imported."""

    def __init__(self):
        self.callbacks = {}

    def find_spec(self, fullname, path=None, target=None):
        cb = self.callbacks.get(fullname)
        if cb is None:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        self.callbacks.pop(fullname, None)
        spec.loader = _CallbackLoader(spec.loader, cb)
        return spec


class _CallbackLoader(importlib.abc.Loader):
    def __init__(self, loader, callback):
        self._loader = loader
        self._callback = callback

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        self._callback(module)

    def __getattr__(self, name):
        return getattr(self._loader, name)


class Sandbox:
    def __init__(self, learner, learner_instance=None, base_dir=None):
        self.learner = learner  # LearnerDir
        self.run_root = tempfile.mkdtemp(prefix="flask-tutor-", dir=base_dir)
        self.cwd = os.path.join(self.run_root, "cwd")
        os.makedirs(self.cwd)
        self.current = None
        self.notes = []
        self.guard_active = False
        self._learner_instance = learner_instance
        self._roots = 0
        self._all_roots = []  # every root's engines are disposed at the end
        self._restore = []
        self._hook = None
        self._sqlite_connect = None
        self.baseline_modules = frozenset()

    # -- roots ---------------------------------------------------------------------------
    def new_root(self, label="app"):
        self._roots += 1
        path = os.path.join(self.run_root, "%s-%d" % (label, self._roots))
        self.current = Root(path, self._learner_instance)
        self._all_roots.append(self.current)
        return self.current

    def current_root(self):
        """The current root, made on demand (label ``app``) when there is none."""
        return self.current if self.current is not None else self.new_root("app")

    # -- patches -------------------------------------------------------------------------
    def install(self):
        # Modules imported before the sandbox, the learner's excepted: a learner module imported
        # that early (by a checks folder's conftest.py, say) built its app without the patches,
        # so it is imported again.
        from ._loader import learner_module_names

        early = set(learner_module_names(self.learner))
        self.baseline_modules = frozenset(n for n in list(sys.modules) if n not in early)
        sys.dont_write_bytecode = True
        self._patch_sqlite3()
        self._hook = _PostImportHook()
        if "flask" in sys.modules:
            self._patch_flask(sys.modules["flask"])
        else:
            self._hook.callbacks["flask"] = self._patch_flask
        if "sqlalchemy" in sys.modules:
            self._patch_sqlalchemy(sys.modules["sqlalchemy"])
        else:
            self._hook.callbacks["sqlalchemy"] = self._patch_sqlalchemy
        sys.meta_path.insert(0, self._hook)
        _install_audit_hook(self)

    def uninstall(self):
        self.guard_active = False
        if self._hook is not None and self._hook in sys.meta_path:
            sys.meta_path.remove(self._hook)
        for undo in reversed(self._restore):
            try:
                undo()
            except Exception:
                pass
        self._restore = []
        for root in self._all_roots:
            root.close(remove=False)
        self._all_roots = []
        shutil.rmtree(self.run_root, ignore_errors=True)

    def _set(self, obj, name, value):
        old = getattr(obj, name)
        setattr(obj, name, value)
        self._restore.append(lambda: setattr(obj, name, old))

    def _patch_flask(self, flask_module):
        Flask = flask_module.Flask
        sandbox = self
        orig_init = Flask.__init__

        @functools.wraps(orig_init)
        def __init__(self, import_name, *args, **kwargs):
            # Every Flask app gets a temporary instance folder, also one made when no check app
            # is current: by a check (or a module/session-scoped fixture) calling the factory
            # itself, or by a check file importing the learner's module while collecting.
            root = sandbox.current_root()
            # instance_path is the 7th parameter after import_name in Flask 2.x and 3.x
            if len(args) >= 7:
                args = args[:6] + (root.instance_path,) + args[7:]
            else:
                kwargs["instance_path"] = root.instance_path
            orig_init(self, import_name, *args, **kwargs)

        def run(self, *args, **kwargs):
            sandbox.notes.append("app.run() was called while the checks loaded your app; it was skipped.")

        self._set(Flask, "__init__", __init__)
        self._set(Flask, "run", run)

    def _patch_sqlalchemy(self, sa):
        try:
            from sqlalchemy.engine import create as create_mod
        except Exception:  # pragma: no cover - unknown SQLAlchemy layout
            return
        orig = create_mod.create_engine
        sandbox = self

        @functools.wraps(orig)
        def create_engine(url, *args, **kwargs):
            url = sandbox.redirect_sqlalchemy_url(url)
            engine = orig(url, *args, **kwargs)
            if sandbox.current is not None:
                sandbox.current.engines.append(weakref.ref(engine))
            return engine

        # engine_from_config (used by Flask-SQLAlchemy) calls the module-level name.
        self._set(create_mod, "create_engine", create_engine)
        for modname in ("sqlalchemy", "sqlalchemy.engine"):
            mod = sys.modules.get(modname)
            if mod is not None and getattr(mod, "create_engine", None) is orig:
                self._set(mod, "create_engine", create_engine)

    def _patch_sqlite3(self):
        import sqlite3
        import sqlite3.dbapi2

        orig = sqlite3.dbapi2.connect
        self._sqlite_connect = orig
        sandbox = self

        @functools.wraps(orig)
        def connect(database, *args, **kwargs):
            uri = kwargs.get("uri", args[5] if len(args) > 5 else False)
            database = sandbox.redirect_sqlite3(database, uri)
            conn = orig(database, *args, **kwargs)
            # connections SQLAlchemy opens are counted through its own events (sql_counter)
            caller = sys._getframe(1).f_globals.get("__name__") or ""
            if not caller.startswith("sqlalchemy."):
                if sandbox.current is not None and len(sandbox.current.connections) < 1000:
                    sandbox.current.connections.append(conn)
                for counter in _ACTIVE_SQLITE_COUNTERS:
                    counter.attach(conn)
            return conn

        self._set(sqlite3.dbapi2, "connect", connect)
        if sqlite3.connect is orig:
            self._set(sqlite3, "connect", connect)

    @property
    def raw_sqlite_connect(self):
        if self._sqlite_connect is None:
            import sqlite3

            return sqlite3.connect
        return self._sqlite_connect

    # -- redirection ---------------------------------------------------------------------
    def redirect_path(self, path):
        """Where a file-based SQLite database at ``path`` really lives during the checks."""
        root = self.current_root()
        abs_path = os.path.abspath(path)
        n = norm(abs_path)
        if is_inside(n, root.norm):
            root.note_db(abs_path)
            return path
        if n in root.mapping:
            return root.mapping[n]
        if not os.path.isdir(root.db_dir):
            os.makedirs(root.db_dir, exist_ok=True)
        name = os.path.basename(abs_path) or "database.db"
        stem, ext = os.path.splitext(name)
        target = os.path.join(root.db_dir, name)
        i = 1
        while target in root.mapping.values():
            i += 1
            target = os.path.join(root.db_dir, "%s-%d%s" % (stem, i, ext))
        root.mapping[n] = target
        root.note_db(target)
        return target

    def redirect_sqlite3(self, database, uri=False):
        try:
            db = os.fsdecode(database)
        except TypeError:
            return database
        if not db or db == ":memory:":
            return database
        if uri or db.startswith("file:"):
            if not db.startswith("file:"):
                return database
            body, sep, query = db[5:].partition("?")
            if "mode=memory" in query or body in ("", ":memory:"):
                return database
            from urllib.parse import quote, unquote

            if body.startswith("//"):
                body = body[2:]
                body = body[body.index("/"):] if "/" in body else body
            new = self.redirect_path(unquote(body))
            return "file:" + quote(new.replace(os.sep, "/"), safe="/:") + sep + query
        return self.redirect_path(db)

    def redirect_sqlalchemy_url(self, url):
        try:
            from sqlalchemy.engine import make_url

            u = make_url(url)
        except Exception:
            return url
        if not u.drivername.startswith("sqlite"):
            return url
        db = u.database
        if not db or db == ":memory:" or u.query.get("mode") == "memory":
            return url
        if db.startswith("file:"):
            new = self.redirect_sqlite3(db, True)
        else:
            new = self.redirect_path(db)
        if new == db:
            return url
        return u.set(database=new)


# -- sqlite3 statement counting (raw sqlite3 apps) ----------------------------------------
_ACTIVE_SQLITE_COUNTERS = []


# -- write guard --------------------------------------------------------------------------
_GUARDED = []


def _install_audit_hook(sandbox):
    _GUARDED.append(sandbox)
    if len(_GUARDED) > 1:
        return
    sys.addaudithook(_audit)


def _audit(event, args):
    if event not in _WATCHED or not _GUARDED:
        return
    sandbox = _GUARDED[-1]
    if not sandbox.guard_active:
        return
    if event == "open":
        path, mode, flags = args[0], args[1], args[2]
        if isinstance(mode, str):
            if not any(c in mode for c in "wax+"):
                return
        elif not (flags or 0) & _WRITE_FLAGS:
            return
        paths = (path,)
        action = "write to"
    elif event in ("os.rename", "os.link", "os.symlink"):
        paths = (args[0], args[1]) if event == "os.rename" else (args[1],)
        action = "rename" if event == "os.rename" else "create a link at"
    else:
        paths = (args[0],)
        action = {
            "os.remove": "delete",
            "os.mkdir": "create the folder",
            "os.rmdir": "delete the folder",
            "shutil.rmtree": "delete the folder",
            "os.truncate": "truncate",
        }.get(event, "change")
    for p in paths:
        if isinstance(p, int) or p is None:
            continue
        try:
            p = os.fsdecode(p)
        except TypeError:
            continue
        n = norm(p)
        if is_inside(n, sandbox.learner.norm):
            raise SandboxWriteError(sandbox.learner.rel(p), action)
