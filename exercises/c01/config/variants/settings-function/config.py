"""Settings as plain dictionaries per environment, merged with the environment by a function."""

import os

DEFAULTS = {"DEBUG": False, "TESTING": False, "SQLALCHEMY_DATABASE_URI": "sqlite:///app.db", "ITEMS_PER_PAGE": 20}

ENVIRONMENTS = {
    "development": {"DEBUG": True},
    "testing": {"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite:///:memory:"},
    "production": {},
}


def load_settings(name):
    if name not in ENVIRONMENTS:
        raise ValueError(f"unknown environment {name}")
    settings = {**DEFAULTS, **ENVIRONMENTS[name], "ENV_NAME": name}
    secret = os.environ.get("SECRET_KEY", "").strip()
    if not secret and name == "production":
        raise RuntimeError("refusing to start production without SECRET_KEY")
    settings["SECRET_KEY"] = secret or os.urandom(16).hex()
    if os.environ.get("DATABASE_URL"):
        settings["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if os.environ.get("ITEMS_PER_PAGE"):
        settings["ITEMS_PER_PAGE"] = int(os.environ["ITEMS_PER_PAGE"])
    return settings
