"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

import regie


def regie_context(request: HttpRequest) -> dict[str, Any]:
    return {"regie_version": regie.__version__}
