"""WSGI entry point for production servers (gunicorn regie.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regie.settings.production")
application = get_wsgi_application()
