"""The framework pages, mounted under /o/<code>/framework/ (included from regie.urls)."""

from django.urls import path

from . import views

app_name = "policy"

urlpatterns = [
    path("o/<slug:org>/framework/", views.framework, name="framework"),
    path("o/<slug:org>/framework/findings/", views.findings, name="findings"),
    path("o/<slug:org>/framework/findings/<int:pk>/", views.finding, name="finding"),
    path("o/<slug:org>/framework/trend/", views.trend, name="trend"),
    path("o/<slug:org>/framework/scorecards/", views.scorecards, name="scorecards"),
    path("o/<slug:org>/framework/scorecards/<str:kind>/<int:pk>/", views.scorecard, name="scorecard"),
]
