"""The reports pages, mounted under /o/<code>/reports/ (included from regie.urls)."""

from django.urls import path, re_path

from . import views

app_name = "reports"

urlpatterns = [
    path("o/<slug:org>/reports/", views.reports, name="index"),
    re_path(
        r"^o/(?P<org>[-\w]+)/reports/dependency\.(?P<fmt>pdf|html)$",
        views.report_file,
        {"kind": "dependency"},
        name="dependency",
    ),
    re_path(
        r"^o/(?P<org>[-\w]+)/reports/tenders/(?P<tender>[0-9]+)\.(?P<fmt>pdf|html)$",
        views.report_file,
        {"kind": "procurement"},
        name="procurement",
    ),
]
