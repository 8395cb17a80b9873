"""A URLconf for the middleware tests: one view that writes through a service."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from regie.audit.context import current_request_id
from regie.register import services
from regie.register.models import Organisation, RedundancyGroup


def write_something(request: HttpRequest) -> HttpResponse:
    org = Organisation.objects.get(code=request.GET["org"])
    group = services.register_create(
        actor=None, model=RedundancyGroup, data={"organisation": org, "name": request.GET["name"]}
    )
    return HttpResponse(f"{group.pk} {current_request_id()}", content_type="text/plain")


urlpatterns = [path("write", write_something)]
