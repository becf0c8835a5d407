"""/api/auth: register, log in (a JWT access token), who am I; and login_required for the tasks.

TODO (this stage):
- a User model in models.py (username unique, password hash), and Task.owner_id;
- a namespace "auth" at /api/auth: POST /register, POST /login, GET /me; add it in create_app();
- tokens: PyJWT, HS256, signed with app.config["SECRET_KEY"], claims sub (user id as a string),
  iat and exp (one hour later);
- login_required: every /api/tasks operation needs "Authorization: Bearer <token>";
- tasks belong to the user who created them: each user sees and changes only their own.
"""
