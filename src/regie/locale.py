"""Dutch first: the interface speaks Dutch unless the user chose English with the switch.

Django's LocaleMiddleware would follow the browser's Accept-Language header; a municipal
workstation with an English browser would then see English by default. Regie follows only the
explicit choice (the language cookie set by the switch) and otherwise LANGUAGE_CODE (nl).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
