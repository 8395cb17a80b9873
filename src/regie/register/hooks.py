"""Post-change hooks: other apps react to register writes without the register knowing them.

The register services call :func:`changed` once per write; each registered hook runs once
per organisation after the outermost transaction commits (a bulk import in one transaction
triggers one call per organisation, not one per row). A failing hook is logged and never
undoes or fails the write. Hooks are registered from an ``AppConfig.ready``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.db import transaction

__all__ = ["changed", "register_post_change"]

Hook = Callable[[int | None], None]
_HOOKS: list[Hook] = []
_pending = threading.local()
log = logging.getLogger(__name__)


def register_post_change(hook: Hook) -> None:
    """Call ``hook(organisation_id)`` after every committed register change (None: catalogue)."""
    if hook not in _HOOKS:
        _HOOKS.append(hook)


def changed(organisation_id: int | None) -> None:
    """Record that the register of ``organisation_id`` changed (None: the shared catalogue)."""
    if not _HOOKS:
        return
    pending: set[int | None] | None = getattr(_pending, "orgs", None)
    conn = transaction.get_connection()
    scheduled = pending is not None and any(item[1] is _run for item in conn.run_on_commit)
    if pending is None or not scheduled:  # none yet, or a rollback discarded it
        pending = _pending.orgs = set()
        pending.add(organisation_id)
        transaction.on_commit(_run)
        return
    pending.add(organisation_id)


def _run() -> None:
    orgs = getattr(_pending, "orgs", None) or set()
    _pending.orgs = None
    for org_id in sorted(orgs, key=lambda x: -1 if x is None else x):
        for hook in _HOOKS:
            try:
                hook(org_id)
            except Exception:  # a hook never fails a committed write
                log.exception("post-change hook %r failed for organisation %s", hook, org_id)
