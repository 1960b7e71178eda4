"""The API's pagination: ninja's limit and offset, bounded.

Unbounded, a huge `offset` reached the database as a LIMIT/OFFSET it could not hold (a 500);
bounded, it is a 422 that names the parameter. NINJA_PAGINATION_CLASS points here.
"""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 500
# Far beyond any list ZoneDesk holds (a nation's projects are ~10^5), far below a BIGINT.
MAX_OFFSET = 1_000_000


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT, description="每页条数（1—500）")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="跳过的条数（0—1000000）")

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
