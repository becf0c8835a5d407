"""Account rules, apart from HTTP."""
from werkzeug.security import check_password_hash, generate_password_hash

from models import User, db


class AccountError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def create_account(username, password):
    if len(password) < 8:
        raise AccountError(400, "passwords have at least 8 characters")
    if db.session.scalar(db.select(User).where(User.username == username)) is not None:
        raise AccountError(409, "that name is taken")
    user = User(username=username)
    user.password_hash = generate_password_hash(password)
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(username, password):
    user = db.session.scalar(db.select(User).where(User.username == username))
    if user is None or not check_password_hash(user.password_hash, password):
        raise AccountError(401, "wrong username or password")
    return user
