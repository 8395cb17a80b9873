"""Who may do what. Every service and selector asks here; nothing else decides access."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from .models import ROLE_RANK, Membership, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from regie.register.models import Organisation

    from .models import User


def role_in(user: User | AnonymousUser, organisation_id: int) -> Role | None:
    """The user's role in the organisation, or None. Superusers administer every organisation."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    roles: dict[int, Role] | None = getattr(user, "_regie_roles", None)
    if roles is None:
        roles = {
            org_id: Role(role)
            for org_id, role in Membership.objects.filter(user=user).values_list("organisation_id", "role")
        }
        user._regie_roles = roles  # type: ignore[attr-defined]
    return roles.get(organisation_id)


def organisation_ids(user: User | AnonymousUser) -> list[int] | None:
    """Ids of the organisations the user may see; None means every organisation (superuser)."""
    if not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return None
    role_in(user, 0)  # fills the cache
    return sorted(getattr(user, "_regie_roles", {}))


def forget_roles(user: User | AnonymousUser) -> None:
    """Drop the per-request role cache after memberships change."""
    if hasattr(user, "_regie_roles"):
        del user._regie_roles


def has_role(user: User | AnonymousUser, organisation_id: int, minimum: Role) -> bool:
    role = role_in(user, organisation_id)
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[minimum]


def can_view(user: User | AnonymousUser, organisation: Organisation | int) -> bool:
    return has_role(user, _org_id(organisation), Role.VIEWER)


def can_edit(user: User | AnonymousUser, organisation: Organisation | int) -> bool:
    return has_role(user, _org_id(organisation), Role.EDITOR)


def can_admin(user: User | AnonymousUser, organisation: Organisation | int) -> bool:
    return has_role(user, _org_id(organisation), Role.ADMIN)


def can_edit_catalogue(user: User | AnonymousUser) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or getattr(user, "is_catalogue_maintainer", False))
    )


def require_edit(user: User | AnonymousUser, organisation: Organisation | int) -> None:
    if not can_edit(user, organisation):
        raise PermissionDenied("You may not change this organisation's register.")


def require_admin(user: User | AnonymousUser, organisation: Organisation | int) -> None:
    if not can_admin(user, organisation):
        raise PermissionDenied("You may not administer this organisation.")


def require_catalogue(user: User | AnonymousUser) -> None:
    if not can_edit_catalogue(user):
        raise PermissionDenied("Only catalogue maintainers may change shared catalogue records.")


def _org_id(organisation: Organisation | int) -> int:
    return organisation if isinstance(organisation, int) else organisation.pk
