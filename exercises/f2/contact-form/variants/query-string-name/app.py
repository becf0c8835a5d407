from flask import Flask, redirect, render_template, request, url_for

app = Flask(__name__)


@app.get("/contact")
def contact_form():
    return render_template("contact.html", values={}, problem=None)


@app.post("/contact")
def contact_send():
    values = {key: (request.form.get(key) or "").strip() for key in ("name", "email", "message")}
    if "" in values.values():
        return render_template("contact.html", values=values, problem="All fields are required."), 400
    print("message from", values["name"], values["email"])
    return redirect(url_for("thanks", name=values["name"]))


@app.get("/thanks")
def thanks():
    return render_template("thanks.html", name=request.args.get("name", "friend"))
