"""The exit-planning pages, mounted under /o/<code>/roadmap/ (included from regie.urls)."""

from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("o/<slug:org>/roadmap/", views.roadmap, name="roadmap"),
    path("o/<slug:org>/roadmap/plans/<int:pk>/", views.plan, name="plan"),
]
