"""WSGI entry point for gunicorn: `gunicorn buurtkracht.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buurtkracht.conf.production")
application = get_wsgi_application()
