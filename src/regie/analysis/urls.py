"""The analysis pages, mounted under /o/<code>/analysis/ (included from regie.urls)."""

from django.urls import path

from . import views

app_name = "analysis"

urlpatterns = [
    path("o/<slug:org>/analysis/", views.dashboard, name="dashboard"),
    path("o/<slug:org>/analysis/exposure/", views.exposure, name="exposure"),
    path("o/<slug:org>/analysis/continuity/", views.continuity, name="continuity"),
    path("o/<slug:org>/analysis/lock-in/", views.lock_in, name="lock_in"),
    path("o/<slug:org>/analysis/price-power/", views.price_power, name="price_power"),
    path("o/<slug:org>/analysis/processes/<int:pk>/", views.process_dependencies, name="process"),
    path("o/<slug:org>/analysis/suppliers/<int:pk>/", views.supplier_dependencies, name="supplier"),
    path("o/<slug:org>/analysis/scenario/", views.scenario, name="scenario"),
]
