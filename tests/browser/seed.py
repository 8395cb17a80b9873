"""Prepare a temporary SQLite database for the browser tests: migrate, then a small landscape.

Run as ``python -m tests.browser.seed`` with DATABASE_URL pointing at the file. All data is
written through the register services (tests.factories).
"""

from __future__ import annotations

import os


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regie.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from regie.register import services
    from regie.register.models import Process
    from tests.factories import make_landscape, make_user

    landscape = make_landscape()
    make_user("root", superuser=True)
    for number in range(1, 31):
        services.register_create(
            actor=None,
            model=Process,
            data={
                "organisation": landscape.a.org,
                "name": f"Vergunningverlening {number:02d}",
                "availability": 1 + number % 3,
                "integrity": 2,
                "confidentiality": 1 + (number + 1) % 3,
                "critical": number % 4 == 0,
            },
        )


if __name__ == "__main__":
    main()
