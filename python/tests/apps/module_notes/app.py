"""Fixture app: module-level app, hard-coded sqlite:///app.db, create_all only under __main__."""
from flask import Flask, request
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///app.db"
db = SQLAlchemy(app)

visits = []


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    text = db.Column(db.String(200), nullable=False)


@app.route("/notes", methods=["GET", "POST"])
def notes():
    if request.method == "POST":
        db.session.add(Note(text=request.get_json()["text"]))
        db.session.commit()
        return {"created": True}, 201
    return {"notes": [n.text for n in Note.query.all()]}


@app.get("/visit")
def visit():
    visits.append(1)
    return {"visits": len(visits)}


if __name__ == "__main__":
    with app.app_context():
        db.create_all()
    app.run(debug=True)
