"""The API's routes, registered on the app by register_routes(app)."""

import re

from flask import abort, request, url_for
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from auth import current_user, login_required, login_user, logout_user
from models import Post, User, db

USERNAME_RE = re.compile(r"[A-Za-z0-9_]{3,30}")
# Deliberately simple: something@something.something. The only real proof that an address
# works is an email sent to it.
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MIN_PASSWORD_LENGTH = 8
MAX_POST_LENGTH = 280
DEFAULT_PER_PAGE = 10
MAX_PER_PAGE = 50


def json_body():
    """The request's JSON object, or None when the body is missing, invalid or not an object."""
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else None


def validate_registration(data):
    """Return a dict field -> message for every invalid field."""
    errors = {}
    username, email, password = data.get("username"), data.get("email"), data.get("password")
    if not isinstance(username, str) or not USERNAME_RE.fullmatch(username):
        errors["username"] = "3 to 30 characters: letters, digits and underscores only"
    if not isinstance(email, str) or len(email) > 254 or not EMAIL_RE.fullmatch(email.strip()):
        errors["email"] = "a valid email address is required"
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = f"at least {MIN_PASSWORD_LENGTH} characters"
    return errors


def validate_post(data):
    """Return (content, errors) for a post's JSON body."""
    content = data.get("content")
    if not isinstance(content, str) or not content.strip():
        return None, {"content": "content is required"}
    content = content.strip()
    if len(content) > MAX_POST_LENGTH:
        return None, {"content": f"at most {MAX_POST_LENGTH} characters"}
    return content, {}


def get_own_post(post_id):
    """The post, if the logged-in user wrote it: 404 if it does not exist, 403 if not theirs."""
    post = db.get_or_404(Post, post_id, description=f"Post {post_id} not found")
    # Authentication says who you are (401 if unknown); authorization, what you may do (403).
    if post.user_id != current_user().id:
        abort(403, description="Only the author can change this post")
    return post


def pagination_args():
    page = max(request.args.get("page", 1, type=int), 1)
    per_page = request.args.get("per_page", DEFAULT_PER_PAGE, type=int)
    return page, min(max(per_page, 1), MAX_PER_PAGE)


def register_routes(app):
    @app.get("/api")
    def api_index():
        return {"name": "Social Media API", "version": 1}

    @app.post("/api/users")
    def create_user():
        data = json_body()
        if data is None:
            return {"error": "The request body must be a JSON object"}, 400
        errors = validate_registration(data)
        if errors:
            return {"error": "Validation failed", "errors": errors}, 400

        username, email = data["username"], data["email"].strip().lower()
        if db.session.execute(db.select(User.id).where(User.username == username)).first():
            return {"error": "That username is already taken"}, 409
        if db.session.execute(db.select(User.id).where(User.email == email)).first():
            return {"error": "An account with that email already exists"}, 409

        user = User(username=username, email=email)
        user.set_password(data["password"])
        db.session.add(user)
        try:
            db.session.commit()
        except IntegrityError:  # another request registered the same name in between
            db.session.rollback()
            return {"error": "That username or email is already taken"}, 409
        # 201 Created: the body is the new user (never the password), Location is its URL.
        return user.to_dict(private=True), 201, {"Location": url_for("get_user", user_id=user.id)}

    @app.get("/api/users/<int:user_id>")
    def get_user(user_id):
        user = db.get_or_404(User, user_id, description=f"User {user_id} not found")
        return user.to_dict()

    @app.post("/api/login")
    def login():
        data = json_body()
        if data is None or not isinstance(data.get("username"), str) or not isinstance(data.get("password"), str):
            return {"error": "Send a JSON object with username and password"}, 400
        user = db.session.execute(db.select(User).where(User.username == data["username"])).scalar_one_or_none()
        # One answer for "no such user" and "wrong password": don't tell an attacker which one.
        if user is None or not user.check_password(data["password"]):
            return {"error": "Invalid username or password"}, 401
        login_user(user)
        return user.to_dict(private=True)

    @app.post("/api/logout")
    def logout():
        logout_user()
        return {"message": "Logged out"}

    @app.get("/api/me")
    @login_required
    def me():
        return current_user().to_dict(private=True)

    @app.get("/api/posts")
    def list_posts():
        page, per_page = pagination_args()
        query = (
            db.select(Post)
            .options(selectinload(Post.author))  # load the authors in one query, not one per post
            .order_by(Post.created_at.desc())  # newest first
        )
        pagination = db.paginate(query, page=page, per_page=per_page, error_out=False)
        return {
            "items": [post.to_dict() for post in pagination.items],
            "page": pagination.page,
            "per_page": pagination.per_page,
            "total": pagination.total,
            "pages": pagination.pages,
        }

    @app.post("/api/posts")
    @login_required
    def create_post():
        data = json_body()
        if data is None:
            return {"error": "The request body must be a JSON object"}, 400
        content, errors = validate_post(data)
        if errors:
            return {"error": "Validation failed", "errors": errors}, 400
        post = Post(content=content, user_id=current_user().id)
        db.session.add(post)
        db.session.commit()
        return post.to_dict(), 201, {"Location": url_for("get_post", post_id=post.id)}

    @app.get("/api/posts/<int:post_id>")
    def get_post(post_id):
        return db.get_or_404(Post, post_id, description=f"Post {post_id} not found").to_dict()

    @app.patch("/api/posts/<int:post_id>")
    @login_required
    def update_post(post_id):
        post = get_own_post(post_id)
        data = json_body()
        if data is None:
            return {"error": "The request body must be a JSON object"}, 400
        content, errors = validate_post(data)
        if errors:
            return {"error": "Validation failed", "errors": errors}, 400
        post.content = content
        db.session.commit()
        return post.to_dict()

    @app.delete("/api/posts/<int:post_id>")
    @login_required
    def delete_post(post_id):
        post = get_own_post(post_id)
        db.session.delete(post)
        db.session.commit()
        return "", 204
