"""The same notes app with the flaws fixed: Shipsafe reports nothing here."""
import os
import sqlite3
import subprocess

import yaml
from flask import Flask, jsonify, redirect, render_template_string, request, send_from_directory, url_for
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]
limiter = Limiter(get_remote_address, app=app)

FORMATS = {"pdf", "html", "docx"}


def db():
    return sqlite3.connect("notes.db")


@app.get("/notes")
def list_notes():
    tag = request.args.get("tag", "")
    rows = db().execute("SELECT id, title FROM notes WHERE tag = ?", (tag,)).fetchall()
    return jsonify(rows)


@app.post("/export")
def export():
    fmt = request.form.get("format", "pdf")
    if fmt not in FORMATS:
        return {"error": "unknown format"}, 400
    subprocess.run(["pandoc", "notes.md", "-o", f"export.{fmt}"], check=True)
    return send_from_directory("exports", f"export.{fmt}")


@app.post("/import")
def import_notes():
    data = yaml.safe_load(request.data)
    return {"imported": len(data)}


@app.get("/greet")
def greet():
    name = request.args.get("name", "friend")
    return render_template_string("<h1>Welcome back, {{ name }}</h1>", name=name)


@app.post("/login")
@limiter.limit("5 per minute")
def login():
    return redirect(url_for("list_notes"))


if __name__ == "__main__":
    app.run(debug=os.environ.get("FLASK_DEBUG") == "1")
