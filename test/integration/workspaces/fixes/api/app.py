import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.get("/products")
def products():
    category = request.args.get("category", "")
    db = sqlite3.connect("shop.db")
    rows = db.execute(f"SELECT id, name FROM products WHERE category = '{category}'").fetchall()
    return jsonify(rows)
