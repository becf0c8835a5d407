"""Configuration per environment. Class attributes hold the defaults that are safe to commit;
everything secret or machine-specific comes from environment variables, read by ``from_env()``
when the app is created (never at import time)."""

import os


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    DEBUG = False
    TESTING = False
    SQLALCHEMY_DATABASE_URI = "sqlite:///app.db"
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    ITEMS_PER_PAGE = 20
    # Only development and testing may run without a real key.
    INSECURE_DEFAULT_KEY = "change-me-in-production"

    @classmethod
    def from_env(cls, environ=None):
        """The settings of this environment, with the environment variables applied."""
        environ = os.environ if environ is None else environ
        settings = {key: getattr(cls, key) for key in dir(cls) if key.isupper()}
        settings.pop("INSECURE_DEFAULT_KEY")
        secret = environ.get("SECRET_KEY") or cls.INSECURE_DEFAULT_KEY
        if not secret:
            raise RuntimeError(f"SECRET_KEY must be set in the environment for {cls.ENV_NAME}")
        settings["SECRET_KEY"] = secret
        settings["SQLALCHEMY_DATABASE_URI"] = environ.get("DATABASE_URL") or cls.SQLALCHEMY_DATABASE_URI
        raw = environ.get("ITEMS_PER_PAGE")
        if raw:
            try:
                settings["ITEMS_PER_PAGE"] = int(raw)
            except ValueError:
                raise ValueError(f"ITEMS_PER_PAGE must be an integer, got {raw!r}") from None
        return settings


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEBUG = True
    INSECURE_DEFAULT_KEY = "dev-only-insecure-key"


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SQLALCHEMY_DATABASE_URI = "sqlite:///:memory:"
    INSECURE_DEFAULT_KEY = "test-only-insecure-key"


class ProductionConfig(Config):
    ENV_NAME = "production"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
