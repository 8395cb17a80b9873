"""Field types shared by the resource schemas, with the model's limits as schema constraints."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator, Field, PlainSerializer, StrictInt

Name = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(max_length=20_000)]
Biv = Annotated[StrictInt, Field(ge=1, le=3, description="1 (low) to 3 (high).")]
Hours = Annotated[Decimal, Field(ge=0, max_digits=8, decimal_places=2)]
Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Days = Annotated[StrictInt, Field(ge=0, le=2_147_483_647)]
# Database ids are 64-bit; a larger number cannot name anything.
Id = Annotated[StrictInt, Field(ge=1, le=9_223_372_036_854_775_807)]
QueryId = Annotated[int, Field(ge=1, le=9_223_372_036_854_775_807)]
QueryInt = Annotated[int, Field(ge=-2_147_483_648, le=2_147_483_647)]
# Decimals are sent as JSON numbers; their precision is that of the model field.
Number = Annotated[Decimal, PlainSerializer(float, return_type=float)]


def _iso_date(value: object) -> object:
    """Dates are strings (YYYY-MM-DD); a number is not silently read as a Unix timestamp."""
    if isinstance(value, str | datetime.date):
        return value
    raise ValueError("Expected a date as YYYY-MM-DD.")


Date = Annotated[datetime.date, BeforeValidator(_iso_date)]
