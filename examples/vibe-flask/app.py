"""A small notes app, written the way an assistant often writes it (deliberate flaws, see README)."""
import sqlite3
import subprocess

import yaml
from flask import Flask, jsonify, redirect, render_template_string, request, send_file

app = Flask(__name__)
app.secret_key = "notes-app-secret-1234"


def db():
    return sqlite3.connect("notes.db")


@app.get("/notes")
def list_notes():
    tag = request.args.get("tag", "")
    rows = db().execute(f"SELECT id, title FROM notes WHERE tag = '{tag}'").fetchall()
    return jsonify(rows)


@app.get("/notes/<int:note_id>")
def get_note(note_id):
    row = db().execute(f"SELECT * FROM notes WHERE id = {note_id}").fetchone()
    return jsonify(row)


@app.post("/export")
def export():
    fmt = request.form.get("format", "pdf")
    subprocess.run(f"pandoc notes.md -o export.{fmt}", shell=True, check=True)
    return send_file(request.form["out"])


@app.post("/import")
def import_notes():
    data = yaml.load(request.data, Loader=yaml.Loader)
    return {"imported": len(data)}


@app.get("/greet")
def greet():
    name = request.args.get("name", "friend")
    return render_template_string(f"<h1>Welcome back, {name}</h1>")


@app.post("/login")
def login():
    return redirect(request.args.get("next", "/"))


if __name__ == "__main__":
    app.run(host="0.0.0.0", debug=True)
