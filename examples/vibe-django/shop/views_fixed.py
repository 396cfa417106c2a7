"""The same views with the flaws fixed: Shipsafe reports nothing here."""
import json

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def search(request):
    q = request.GET.get("q", "")
    with connection.cursor() as cur:
        cur.execute("SELECT id, name, price FROM shop_product WHERE name LIKE %s", (f"%{q}%",))
        rows = cur.fetchall()
    return JsonResponse({"results": rows})


def product(request, slug):
    with connection.cursor() as cur:
        cur.execute("SELECT id, name FROM shop_product WHERE slug = %s", (slug,))
        return JsonResponse({"product": cur.fetchone()})


def restore_cart(request):
    cart = json.loads(request.body)
    return JsonResponse({"items": len(cart)})


def continue_shopping(request):
    target = request.GET.get("return_to", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)
