"""Database models: one Python class per table."""
from flask_sqlalchemy import SQLAlchemy

# The extension object is created here, without an app, and bound to the app in
# create_app() with db.init_app(app): the same models then work for every app instance
# (development, tests, production).
db = SQLAlchemy()


class User(db.Model):
    """A registered user. Flask-SQLAlchemy names the table after the class: "user"."""

    id = db.Column(db.Integer, primary_key=True)
    # unique=True adds a UNIQUE constraint: the database itself refuses a second "ada",
    # even if two requests race each other past any check done in Python.
    username = db.Column(db.String(50), unique=True, nullable=False)
    email = db.Column(db.String(120), nullable=False)

    def to_dict(self):
        return {"id": self.id, "username": self.username, "email": self.email}

    def __repr__(self):
        return f"<User {self.username!r}>"
