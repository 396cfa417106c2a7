"""A link-preview API (deliberate flaws, see README)."""
import os

import httpx
import requests
from fastapi import FastAPI
from pydantic import BaseModel
from sqlalchemy import create_engine, text

app = FastAPI(debug=True)
engine = create_engine("sqlite:///links.db")


class Link(BaseModel):
    url: str
    title: str
    priority: int


@app.post("/links")
def add_link(link: Link):
    page = requests.get(link.url, timeout=5, verify=False)
    with engine.begin() as conn:
        conn.execute(text(f"INSERT INTO links (url, title) VALUES ('{link.url}', '{link.title}')"))
    return {"status": page.status_code}


@app.get("/links")
def find_links(title: str):
    with engine.connect() as conn:
        rows = conn.execute(text(f"SELECT url FROM links WHERE title = '{title}'")).fetchall()
    return {"urls": [r.url for r in rows]}


@app.get("/links/{link_id}")
def get_link(link_id: int):
    with engine.connect() as conn:
        return conn.execute(text(f"SELECT * FROM links WHERE id = {link_id}")).first()


@app.get("/thumbnail")
async def thumbnail(src: str):
    async with httpx.AsyncClient() as client:
        r = await client.get(src)
    return {"bytes": len(r.content)}


@app.get("/report")
def report(name: str):
    os.system(f"make-report --name {name}")
    return {"ok": True}
