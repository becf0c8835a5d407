"""Database models: one Python class per table."""
from flask_sqlalchemy import SQLAlchemy

# The extension object is created here, without an app, and bound to the app in
# create_app() with db.init_app(app).
db = SQLAlchemy()


class User(db.Model):
    """A registered user. Flask-SQLAlchemy names the table after the class: "user"."""

    id = db.Column(db.Integer, primary_key=True)
    # TODO: add two columns:
    #   username: text of up to 80 characters, required (NOT NULL) and unique
    #   email:    text of up to 120 characters, required (NOT NULL)
    # Look at db.Column(db.String(...), ...) and its nullable= and unique= options.

    def to_dict(self):
        return {"id": self.id, "username": self.username, "email": self.email}

    def __repr__(self):
        return f"<User {self.id}>"
