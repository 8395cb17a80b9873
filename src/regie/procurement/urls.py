"""The procurement pages, mounted under /o/<code>/tenders/ (included from regie.urls)."""

from django.urls import path

from . import views

app_name = "procurement"

urlpatterns = [
    path("o/<slug:org>/tenders/", views.tenders, name="tenders"),
    path("o/<slug:org>/tenders/<int:pk>/", views.tender, name="tender"),
    path("o/<slug:org>/tenders/<int:pk>/edit", views.tender_edit, name="tender_edit"),
    path("o/<slug:org>/tenders/<int:pk>/bids/new", views.bid_form, name="bid_new"),
    path("o/<slug:org>/tenders/<int:pk>/bids/<int:bid>/", views.bid_form, name="bid_edit"),
    path("o/<slug:org>/tenders/<int:pk>/bids/<int:bid>/delete", views.bid_remove, name="bid_delete"),
    path("o/<slug:org>/tenders/<int:pk>/decision", views.decision, name="decision"),
]
