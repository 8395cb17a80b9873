"""URLs of the API, mounted at /api/v1."""

from .main import api_urlpatterns

urlpatterns = api_urlpatterns()
