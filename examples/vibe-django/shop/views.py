"""Shop views (deliberate flaws, see README)."""
import pickle

from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect


def search(request):
    q = request.GET.get("q", "")
    with connection.cursor() as cur:
        cur.execute(f"SELECT id, name, price FROM shop_product WHERE name LIKE '%%{q}%%'")
        rows = cur.fetchall()
    return JsonResponse({"results": rows})


def product(request, slug):
    with connection.cursor() as cur:
        cur.execute("SELECT id, name FROM shop_product WHERE slug = '%s'" % slug)
        return JsonResponse({"product": cur.fetchone()})


def restore_cart(request):
    cart = pickle.loads(request.body)
    return JsonResponse({"items": len(cart)})


def continue_shopping(request):
    return HttpResponseRedirect(request.GET["return_to"])


def home(request):
    return redirect("product-list")
