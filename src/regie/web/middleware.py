"""Middleware that does per request only what differs between requests (ADR 0133).

:class:`CSPMiddleware`: the Content-Security-Policy header, built once per process for
responses that use the policy of the settings.

django-csp builds the header from the settings on every response (a copy of every directive,
a dataclass turned into a dict, the string joined again): a few tenths of a millisecond per
request. Regie uses no nonce, and every response but the few views with a ``csp_*`` decorator
carries the policy of the settings, so that string is the same for every such response. This
middleware keeps it per process and hands every other case (a decorated view, a nonce asked
for, exemptions) to django-csp unchanged. The strings are rebuilt when a test changes the
settings.

:class:`MessageMiddleware`: Django's, with the message storage made when a view, a template or
a context processor first uses it. An API request never does; a storage nobody used stores
nothing, so the answer is the same.
"""

from __future__ import annotations

import functools
import http.client
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware as BaseMessageMiddleware
from django.contrib.messages.storage import default_storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.functional import SimpleLazyObject, empty

# What a view can set on its response to change or drop the policy (csp.decorators).
_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)
_DEBUG_EXEMPT = (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND)


@functools.cache
def _settings_policy() -> tuple[str, tuple[str, ...], str, tuple[str, ...]]:
    """The header and the excluded path prefixes, enforced and report-only, from the settings."""
    enforced: dict[str, Any] = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    report_only: dict[str, Any] = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None) or {}
    return (
        build_policy(),
        tuple(enforced.get("EXCLUDE_URL_PREFIXES") or ()),
        build_policy(report_only=True),
        tuple(report_only.get("EXCLUDE_URL_PREFIXES") or ()),
    )


@receiver(setting_changed)
def _forget_policy(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting == "DEBUG":
        _settings_policy.cache_clear()


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware, with the policy of the settings built once per process."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if isinstance(getattr(request, "_csp_nonce", None), str) or any(
            getattr(response, name, None) is not None for name in _PER_RESPONSE
        ):
            return super().process_response(request, response)  # built for this response
        if settings.DEBUG and response.status_code in _DEBUG_EXEMPT:
            return response
        policy, excluded, policy_ro, excluded_ro = _settings_policy()
        path = request.path_info
        if policy and HEADER not in response and not path.startswith(excluded):
            response[HEADER] = policy
        if policy_ro and HEADER_REPORT_ONLY not in response and not path.startswith(excluded_ro):
            response[HEADER_REPORT_ONLY] = policy_ro
        # As django-csp: asking for a nonce once the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


class MessageMiddleware(BaseMessageMiddleware):
    """Django's message middleware; the storage is made on first use."""

    def process_request(self, request: HttpRequest) -> None:
        request._messages = SimpleLazyObject(lambda: default_storage(request))  # type: ignore[attr-defined]

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        messages = getattr(request, "_messages", None)
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:
            return response  # never used: nothing to store
        return super().process_response(request, response)
