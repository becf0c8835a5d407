"""Checks for c01-config: config per environment, settings from environment variables, no secret in code.
Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import pytest

from flask_tutor_pytest.helpers import about

VARS = ("APP_ENV", "SECRET_KEY", "DATABASE_URL", "ITEMS_PER_PAGE", "FLASK_DEBUG", "FLASK_ENV")


@pytest.fixture
def env(monkeypatch):
    """A clean environment: none of the app's variables set."""
    for name in VARS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def _make(app_module, name=None):
    try:
        return app_module.create_app(name) if name is not None else app_module.create_app()
    except Exception as e:  # noqa: BLE001 - named in the message
        raise AssertionError(
            f"create_app({name!r}) raised {type(e).__name__}: {e}" if name else f"create_app() raised {type(e).__name__}: {e}"
        ) from None


@pytest.mark.req(1)
def test_names(env, app_module):
    """Each environment name gives an app with ENV_NAME; an unknown name raises ValueError"""
    env.setenv("SECRET_KEY", "k" * 32)
    for name in ("development", "testing", "production"):
        app = _make(app_module, name)
        assert app.config.get("ENV_NAME") == name, (
            f'create_app("{name}") should set app.config["ENV_NAME"] to {name!r}, got {app.config.get("ENV_NAME")!r}'
        )
    with pytest.raises(ValueError):
        app_module.create_app("staging")


@pytest.mark.req(2)
def test_app_env(env, app_module):
    """Without a name, APP_ENV chooses; default development"""
    app = _make(app_module)
    assert app.config.get("ENV_NAME") == "development", (
        f"create_app() without APP_ENV should use development, got ENV_NAME {app.config.get('ENV_NAME')!r}"
    )
    env.setenv("APP_ENV", "testing")
    app = _make(app_module)
    assert app.config.get("ENV_NAME") == "testing", (
        f"create_app() with APP_ENV=testing should use testing, got ENV_NAME {app.config.get('ENV_NAME')!r}"
    )


@pytest.mark.req(3)
def test_flags(env, app_module):
    """DEBUG and TESTING per environment"""
    env.setenv("SECRET_KEY", "k" * 32)
    expected = {"development": (True, False), "testing": (False, True), "production": (False, False)}
    for name, (debug, testing) in expected.items():
        app = _make(app_module, name)
        got = (bool(app.config.get("DEBUG")), bool(app.config.get("TESTING")))
        assert got == (debug, testing), (
            f"{name} should have DEBUG={debug} and TESTING={testing}, got DEBUG={got[0]} and TESTING={got[1]}"
        )


@pytest.mark.req(4)
def test_secret_from_env(env, app_module):
    """SECRET_KEY is read from the environment when create_app() runs"""
    env.setenv("SECRET_KEY", "from-the-environment-123")
    for name in ("development", "production"):
        app = _make(app_module, name)
        with about(hint="Read `os.environ` inside `create_app()` (or a method it calls), not in a class body: "
                        "class attributes are evaluated once, when the module is imported."):
            assert app.config.get("SECRET_KEY") == "from-the-environment-123", (
                f"with SECRET_KEY set in the environment when create_app runs, {name} should use it, "
                f"got {app.config.get('SECRET_KEY')!r}"
            )
    env.delenv("SECRET_KEY")
    app = _make(app_module, "development")
    assert app.config.get("SECRET_KEY"), "development without SECRET_KEY may use a placeholder key, but not none"


@pytest.mark.req(4)
def test_production_refuses_without_secret(env, app_module):
    """Production without SECRET_KEY (or with it empty) raises RuntimeError naming SECRET_KEY"""
    for value in (None, ""):
        if value is not None:
            env.setenv("SECRET_KEY", value)
        with about(hint="In production there is no fallback key: `raise RuntimeError(\"SECRET_KEY must be set\")`."):
            try:
                app = app_module.create_app("production")
            except RuntimeError as e:
                assert "SECRET_KEY" in str(e), f"the RuntimeError should name SECRET_KEY, got {str(e)!r}"
                continue
            raise AssertionError(
                "create_app(\"production\") without SECRET_KEY should raise RuntimeError, but it started "
                f"with SECRET_KEY={app.config.get('SECRET_KEY')!r} (a fallback secret written in the code)"
            )


@pytest.mark.req(5)
def test_database_url(env, app_module):
    """DATABASE_URL is read when create_app() runs, with per-environment defaults"""
    env.setenv("SECRET_KEY", "k" * 32)
    defaults = {"development": "sqlite:///app.db", "testing": "sqlite:///:memory:", "production": "sqlite:///app.db"}
    for name, uri in defaults.items():
        got = _make(app_module, name).config.get("SQLALCHEMY_DATABASE_URI")
        assert got == uri, f"{name} without DATABASE_URL should use {uri!r}, got {got!r}"
    env.setenv("DATABASE_URL", "postgresql://db.example/tasks")
    for name in defaults:
        got = _make(app_module, name).config.get("SQLALCHEMY_DATABASE_URI")
        with about(hint="Read `os.environ` when `create_app()` runs, not when config.py is imported."):
            assert got == "postgresql://db.example/tasks", (
                f"with DATABASE_URL set when create_app runs, {name} should use it, got {got!r}"
            )


@pytest.mark.req(6)
def test_items_per_page(env, app_module):
    """ITEMS_PER_PAGE is an integer from the environment, default 20"""
    got = _make(app_module, "development").config.get("ITEMS_PER_PAGE")
    assert got == 20 and isinstance(got, int), f"ITEMS_PER_PAGE should default to the integer 20, got {got!r}"
    env.setenv("ITEMS_PER_PAGE", "50")
    got = _make(app_module, "development").config.get("ITEMS_PER_PAGE")
    with about(hint="Environment variables are always strings: convert with `int(...)`."):
        assert isinstance(got, int) and got == 50, (
            f"ITEMS_PER_PAGE=50 in the environment should give the integer 50, got {got!r} ({type(got).__name__})"
        )


@pytest.mark.req(7)
def test_info(env, app_module):
    """GET /api/info names the environment and debug flag, never the secret"""
    env.setenv("SECRET_KEY", "top-secret-value-42")
    for name, debug in (("development", True), ("production", False)):
        client = _make(app_module, name).test_client()
        response = client.get("/api/info")
        assert response.status_code == 200, f"GET /api/info ({name}) should answer 200, got {response.status_code}"
        body = response.get_json(silent=True)
        assert body == {"environment": name, "debug": debug}, (
            f'GET /api/info ({name}) should answer {{"environment": "{name}", "debug": {str(debug).lower()}}}, got {body}'
        )
        assert "top-secret-value-42" not in response.get_data(as_text=True), "GET /api/info must never show the secret key"


@pytest.mark.req(1)
def test_dict_means_testing(env, app_module):
    """A dict instead of a name: testing, with the dict's settings on top"""
    app = _make(app_module, {"ITEMS_PER_PAGE": 7})
    assert app.config.get("ENV_NAME") == "testing", (
        f"create_app({{...}}) with a dict should use testing, got ENV_NAME {app.config.get('ENV_NAME')!r}"
    )
    assert app.config.get("ITEMS_PER_PAGE") == 7, "create_app({...}) should apply the dict's settings on top"
