"""Types for the API's parameters and figures, bounded so that what the database cannot hold is a
422 naming the parameter, not a 500: a filter by an id beyond a BIGINT overflowed SQLite and
PostgreSQL alike."""

from decimal import Decimal
from typing import Annotated

from ninja import Field

# What a BIGINT primary key can hold.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
Year = Annotated[int, Field(ge=2000, le=2100)]
# As the columns hold them (max_digits, decimal_places); catalog's bounds are the fuller rule.
Money = Annotated[Decimal, Field(max_digits=14, decimal_places=2)]
Rate = Annotated[Decimal, Field(max_digits=5, decimal_places=2)]
