import os

from flask import Flask, jsonify, request
from flask_login import LoginManager, current_user, login_required
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
db = SQLAlchemy(app)
login = LoginManager(app)


@app.get("/orders")
@login_required
def orders():
    rows = db.session.execute(
        text("SELECT id, total FROM orders WHERE customer_id = :cid ORDER BY id DESC"),
        {"cid": current_user.id},
    )
    return jsonify([dict(r._mapping) for r in rows])
