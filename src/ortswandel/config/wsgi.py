"""WSGI entry point (gunicorn ortswandel.config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

from ortswandel.config.runtime import tune_gc

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ortswandel.config.settings")
application = get_wsgi_application()
tune_gc()  # after start-up: full collections no longer walk Django's own objects
