"""Config objects: each instance reads the environment in __init__, when the factory makes it."""

import os


class Config:
    ENV_NAME = "base"
    DEBUG = False
    TESTING = False
    DEFAULT_DATABASE_URI = "sqlite:///app.db"
    ALLOW_PLACEHOLDER_KEY = False

    def __init__(self):
        self.SECRET_KEY = os.getenv("SECRET_KEY", "")
        if not self.SECRET_KEY:
            if not self.ALLOW_PLACEHOLDER_KEY:
                raise RuntimeError("SECRET_KEY is required in production")
            self.SECRET_KEY = f"placeholder-{self.ENV_NAME}-key"
        self.SQLALCHEMY_DATABASE_URI = os.getenv("DATABASE_URL") or self.DEFAULT_DATABASE_URI
        self.ITEMS_PER_PAGE = int(os.getenv("ITEMS_PER_PAGE") or 20)


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEBUG = True
    ALLOW_PLACEHOLDER_KEY = True


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    ALLOW_PLACEHOLDER_KEY = True
    DEFAULT_DATABASE_URI = "sqlite:///:memory:"


class ProductionConfig(Config):
    ENV_NAME = "production"
