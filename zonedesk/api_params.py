"""Types for the API's parameters, bounded so that what the database cannot hold is a 422 naming
the parameter, not a 500: a filter by an id beyond a BIGINT overflowed SQLite and PostgreSQL
alike. Figures take their bounds from catalog.bounds."""

from typing import Annotated

from ninja import Field

# What a BIGINT primary key can hold.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
