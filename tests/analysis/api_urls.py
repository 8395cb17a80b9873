"""A URL configuration that mounts the analysis router the way regie.api mounts its routers,
with the same authentication and problem handlers (used until the router is on /api/v1)."""

from django.urls import include, path
from ninja import NinjaAPI

from regie.analysis.api import router
from regie.api.auth import AUTH
from regie.api.problems import install_problem_handlers

api = NinjaAPI(urls_namespace="analysis-api-test", auth=AUTH, docs_url=None, openapi_url=None)
install_problem_handlers(api)
api.add_router("", router)

urlpatterns = [path("api/v1/", api.urls), path("", include("regie.urls"))]
