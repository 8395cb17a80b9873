"""The demo's user accounts. They exist only in a database that ``regie demo`` built.

All share one documented password. Hashing a password is slow on purpose, so it is hashed
once and the same hash is given to every demo account.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from regie.accounts.models import Role, User
from regie.accounts.services import membership_set, user_create
from regie.register.models import Organisation

DEMO_PASSWORD = "regie-demo"  # noqa: S105 - documented demo password, printed by `regie demo`


@dataclass(frozen=True)
class DemoUser:
    username: str
    description: str
    superuser: bool = False
    catalogue_maintainer: bool = False
    sector_analyst: bool = False
    organisation: str | None = None
    role: str | None = None


MAIN_USERS = (
    DemoUser("admin", "beheerder van Regie (superuser)", superuser=True),
    DemoUser("demo", "beheerder van Gemeente Voorbeeld", organisation="gm9999", role=Role.ADMIN),
    DemoUser("kijker", "alleen lezen bij Gemeente Voorbeeld", organisation="gm9999", role=Role.VIEWER),
    DemoUser("catalogus", "beheerder van de gedeelde catalogus", catalogue_maintainer=True),
    DemoUser("analist", "sectoranalist (alleen geaggregeerde cijfers)", sector_analyst=True),
)


def demo_users(admins: dict[str, str]) -> tuple[DemoUser, ...]:
    """The main users and one administrator per other organisation (code → username)."""
    extra = tuple(
        DemoUser(username, f"beheerder van {code}", organisation=code, role=Role.ADMIN)
        for code, username in admins.items()
        if username not in {u.username for u in MAIN_USERS}
    )
    return MAIN_USERS + extra


def ensure_users(users: tuple[DemoUser, ...]) -> tuple[int, list[str]]:
    """Create missing demo users and their memberships. Returns (created, skipped usernames).

    An existing account is never changed, so a real account with a demo name keeps its password;
    it still gets its demo membership only when it was made by an earlier demo run.
    """
    encoded = make_password(DEMO_PASSWORD)
    organisations = {o.code: o for o in Organisation.objects.all()}
    created, skipped = 0, []
    for spec in users:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = user_create(
                actor=None,
                username=spec.username,
                password=None,
                superuser=spec.superuser,
                catalogue_maintainer=spec.catalogue_maintainer,
                sector_analyst=spec.sector_analyst,
            )
            user.password = encoded
            user.last_name = "(demo)"
            user.save(update_fields=["password", "last_name"])
            created += 1
        elif user.last_name != "(demo)":
            skipped.append(spec.username)
            continue
        if spec.organisation is not None and spec.role is not None:
            membership_set(
                actor=None, user=user, organisation=organisations[spec.organisation], role=spec.role
            )
    return created, skipped
