"""Property-based tests of every operation against the live OpenAPI document (schemathesis).

Positive and negative examples, a fixed seed (derandomized) and a bounded number of examples
per operation: no 5xx, and every response conforms to the document (status, headers, body).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from regie.accounts.models import User
from regie.wsgi import application
from tests.api.conftest import make_token
from tests.factories import Landscape

# The live document, served by the application itself (no database needed to serve it).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_transaction_open() -> Any:
    """The WSGI app is called directly, not through Django's test client, so do what the client
    does: keep request signals from closing the connection that holds the test's transaction
    (on PostgreSQL that would close it mid-test)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(landscape: Landscape) -> dict[str, str]:
    user: User = landscape.a.admin
    user.is_catalogue_maintainer = True
    user.save()
    return {"Authorization": f"Bearer {make_token(user)}"}


@schema.parametrize()
@settings(
    max_examples=5,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_conforms_and_never_fails(case: Any, bearer: dict[str, str]) -> None:
    if (
        "code" in (case.path_parameters or {})
        and case.meta is not None
        and case.meta.generation.mode.is_positive
    ):
        case.path_parameters["code"] = "a"
    # Schema-valid input can still be refused with 400: a referenced id that does not exist (or
    # is not visible), or a rule across fields that JSON Schema does not express (an end date
    # after the start date). Every other check, negative data rejection included, applies.
    case.call_and_validate(headers=bearer, excluded_checks=[positive_data_acceptance])
