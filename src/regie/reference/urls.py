"""The page of an organisation's local overrides of catalogue facts: /o/<code>/overrides/."""

from django.urls import path

from . import views

app_name = "reference"

urlpatterns = [
    path("o/<slug:org>/overrides/", views.overrides, name="overrides"),
    path("o/<slug:org>/overrides/<int:pk>/remove/", views.remove, name="override-remove"),
]
