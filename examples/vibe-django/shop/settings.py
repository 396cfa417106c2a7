"""Django settings for the shop (deliberate flaws: a committed key and debug on)."""
SECRET_KEY = "django-insecure-q8#v2!lm0z@4k7x9p1r$e6w3t5y"
DEBUG = True
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "shop"]
