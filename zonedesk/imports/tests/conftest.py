"""Fixtures for the import tests: workbooks written on the fly, an investment team."""

import io

import pytest
import xlsxwriter

from zonedesk.conftest import make_user
from zonedesk.orgs.models import Role, Team
from zonedesk.orgs.services import create_team


def sheet(header, *rows, title=None):
    """An .xlsx with an optional merged title row, the header and the rows."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    ws = book.add_worksheet()
    first = 0
    if title:
        ws.merge_range(0, 0, 0, len(header) - 1, title)
        first = 2
    for r, row in enumerate([header, *rows], start=first):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(r, c, value)
    book.close()
    return out.getvalue()


@pytest.fixture
def promoter(world):
    return make_user("zhaoshang", world.zone, Role.Name.PROMOTER)


@pytest.fixture
def paper(world, promoter):
    return create_team(
        None, org=world.zone, kind=Team.Kind.INVESTMENT, name="造纸招商战队", members=[promoter]
    )
