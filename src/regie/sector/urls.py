"""Sector pages: /sector/... for sector analysts, /o/<code>/sector/... for an organisation."""

from django.urls import path

from . import views

app_name = "sector"

urlpatterns = [
    path("sector/", views.overview, name="overview"),
    path("sector/systemic/", views.systemic, name="systemic"),
    path("sector/procurement/", views.procurement, name="procurement"),
    path("o/<slug:org>/sector/", views.organisation_view, name="organisation"),
    path("o/<slug:org>/sector/sharing/", views.sharing, name="sharing"),
]
