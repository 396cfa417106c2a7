"""The same API with the flaws fixed: Shipsafe reports nothing here."""
import os
import subprocess

import requests
from fastapi import FastAPI
from pydantic import BaseModel
from sqlalchemy import create_engine, text

app = FastAPI(debug=os.environ.get("API_DEBUG") == "1")
engine = create_engine("sqlite:///links.db")


class Link(BaseModel):
    slug: str
    title: str


@app.post("/links")
def add_link(link: Link):
    page = requests.get(f"https://links.example.com/pages/{link.slug}", timeout=5)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO links (slug, title) VALUES (:slug, :title)"), {"slug": link.slug, "title": link.title})
    return {"status": page.status_code}


@app.get("/links")
def find_links(title: str):
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT url FROM links WHERE title = :title"), {"title": title}).fetchall()
    return {"urls": [r.url for r in rows]}


@app.get("/report")
def report(name: str):
    subprocess.run(["make-report", "--name", name], check=True)
    return {"ok": True}
