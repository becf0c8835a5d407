from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class User(db.Model):
    __tablename__ = "user"
    __table_args__ = (db.UniqueConstraint("username", name="uq_user_username"),)

    id = db.Column(db.Integer, primary_key=True, autoincrement=True)
    username = db.Column(db.String(80), nullable=False)
    email = db.Column(db.String(120), nullable=False)

    def to_dict(self):
        return dict(id=self.id, username=self.username, email=self.email)


def init_db(app):
    with app.app_context():
        db.create_all()
