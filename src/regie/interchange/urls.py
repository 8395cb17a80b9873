"""Import and export pages, mounted under /o/<code>/ (included from regie.urls)."""

from django.urls import path

from . import views

app_name = "interchange"

urlpatterns = [
    path("o/<slug:org>/import", views.import_page, name="import"),
    path("o/<slug:org>/import/jobs/<uuid:job>", views.import_job, name="job"),
    path("o/<slug:org>/import/template.xlsx", views.template_download, name="template"),
    path("o/<slug:org>/export/<slug:fmt>", views.export_download, name="export"),
    path("schema/regie-organisation-1.schema.json", views.schema_download, name="schema"),
]
