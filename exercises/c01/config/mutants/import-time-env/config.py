"""Config classes that read the environment in their class bodies (at import time)."""

import os


class Config:
    ENV_NAME = "base"
    DEBUG = False
    TESTING = False
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///app.db")
    ITEMS_PER_PAGE = int(os.environ.get("ITEMS_PER_PAGE", "20"))

    @classmethod
    def from_env(cls, environ=None):
        settings = {key: getattr(cls, key) for key in dir(cls) if key.isupper()}
        if not settings["SECRET_KEY"]:
            if cls.ENV_NAME == "production":
                raise RuntimeError("SECRET_KEY must be set")
            settings["SECRET_KEY"] = "dev-only-insecure-key"
        return settings


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEBUG = True


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///:memory:")


class ProductionConfig(Config):
    ENV_NAME = "production"


CONFIGS = {"development": DevelopmentConfig, "testing": TestingConfig, "production": ProductionConfig}
