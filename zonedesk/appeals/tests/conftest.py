"""Fixtures for the appeals tests: zone A's categories routed to its 企业服务中心, a second
unit (自然资源所) with its own user, a zone leader, and a clock pinning "today"."""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from zonedesk.appeals import services
from zonedesk.conftest import make_user
from zonedesk.orgs import services as orgs
from zonedesk.orgs.models import Role

# A Wednesday in a published year, clear of holidays.
TODAY = datetime.date(2025, 11, 12)


@pytest.fixture
def clock(clock):
    """The shared clock of zonedesk/conftest.py, set to this folder's day."""
    clock.today = TODAY
    return clock


@pytest.fixture
def ap(world, clock, settings, tmp_path):
    """Appeals world on top of `world`."""
    settings.MEDIA_ROOT = tmp_path / "media"
    a = SimpleNamespace(w=world, clock=clock)
    a.leader = make_user("zoneleader", world.zone, Role.Name.LEADER)
    a.land = orgs.create_unit(None, org=world.zone, name="自然资源所")
    a.land_user = make_user("landuser", world.zone, Role.Name.UNIT, unit=a.land)
    a.cats = {c.name: c for c in services.seed_categories(None, world.zone, unit=world.unit)}
    a.other_cat = services.create_category(
        None, org=world.other_zone, name="用地", unit=world.other_unit, days=5
    )
    return a


def raise_one(a, description="厂区道路破损，影响货车进出，请协调修复。", category="用地", **kw):
    return services.raise_appeal(
        a.w.enterprise_user,
        enterprise=a.w.enterprise,
        category=a.cats[category],
        description=description,
        **kw,
    )


def closed_one(a, **kw):
    appeal = raise_one(a, **kw)
    services.accept(a.w.unit_user, appeal)
    services.answer(a.w.unit_user, appeal, text="已安排施工队本周修复。")
    services.close(a.w.unit_user, appeal)
    return appeal


def jpeg_bytes(size=(40, 30), fmt="JPEG"):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def api_client(user):
    from django.test import Client

    from zonedesk.orgs.services import create_token

    _token, secret = create_token(user, "测试")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    client.raise_request_exception = False
    return client


def xlsx_rows(content, sheet=0):
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(sheet).to_python()


def xlsx_text(content, sheet=0):
    return " ".join(str(v) for row in xlsx_rows(content, sheet) for v in row if v != "")
