"""Monthly progress reports: filing, late marking, locked months and site photos.

Today is pinned by the `clock` fixture (2025-08-15 unless a test moves it), so "late" and
"future" are decided against known dates.
"""

import datetime
import io
import struct
import zlib
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from zonedesk.audit.models import PeriodLock
from zonedesk.projects import services
from zonedesk.projects.models import ProgressPhoto, ProgressReport, ZoneSettings

from .conftest import events, fresh, make_project, refused, start

JULY = datetime.date(2025, 7, 1)


@pytest.fixture
def project(world, clock):
    return start(
        make_project(world, name="强伟30万吨生活用纸加工基地项目"), datetime.date(2025, 3, 1)
    )


def file(actor, project, period=JULY, invested="120.50", progress="主体钢结构吊装完成", **kw):
    return services.file_progress(
        actor, project, period=period, invested=Decimal(invested), progress=progress, **kw
    )


# --- filing -------------------------------------------------------------------------------


def test_filing_creates_the_months_report_with_one_event(world, project):
    report = file(world.member, project, period=datetime.date(2025, 7, 20), problems=" 用电指标 ")

    stored = fresh(report)
    assert stored.period == JULY  # any day of the month files that month
    assert (stored.invested, stored.progress, stored.problems) == (
        Decimal("120.50"),
        "主体钢结构吊装完成",
        "用电指标",
    )
    assert stored.filed_by == world.member
    (event,) = events("progress.file", report)
    assert event.actor == world.member
    assert event.changes["invested"] == [None, "120.50"]
    assert event.changes["period"] == [None, "2025-07-01"]


def test_filing_again_updates_the_same_report(world, project):
    first = file(world.member, project, invested="100")

    second = file(world.owner, project, invested="130.25", progress="厂房封顶")

    assert second.pk == first.pk
    assert ProgressReport.objects.filter(project=project).count() == 1
    stored = fresh(first)
    assert (stored.invested, stored.progress, stored.filed_by) == (
        Decimal("130.25"),
        "厂房封顶",
        world.member,
    )
    (event,) = events("progress.update", first)
    assert event.changes["invested"] == ["100.00", "130.25"]
    assert event.changes["progress"] == ["主体钢结构吊装完成", "厂房封顶"]


def test_a_future_month_is_refused_and_the_current_month_is_accepted(world, project):
    with pytest.raises(ValidationError) as e:
        file(world.member, project, period=datetime.date(2025, 9, 1))
    assert "未来" in refused(e, "period")

    report = file(world.member, project, period=datetime.date(2025, 8, 1))
    assert fresh(report).period == datetime.date(2025, 8, 1)


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"invested": "-0.01"}, "invested"), ({"progress": "   "}, "progress")],
)
def test_negative_investment_or_empty_progress_is_refused(world, project, changes, field):
    with pytest.raises(ValidationError) as e:
        file(world.member, project, **changes)

    refused(e, field)
    assert not ProgressReport.objects.exists()


# --- late marking -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filed_on", "late"),
    [(datetime.date(2025, 8, 5), False), (datetime.date(2025, 8, 6), True)],
)
def test_report_is_late_after_the_default_5th_of_next_month(world, project, clock, filed_on, late):
    clock.today = filed_on

    report = file(world.member, project)

    assert fresh(report).is_late is late


@pytest.mark.parametrize(
    ("filed_on", "late"),
    [
        (datetime.date(2025, 8, 6), False),
        # The 10th is a Sunday: the deadline moves to Monday the 11th (shift_deadline).
        (datetime.date(2025, 8, 11), False),
        (datetime.date(2025, 8, 12), True),
    ],
)
def test_report_is_late_after_the_zones_own_report_day(world, project, clock, filed_on, late):
    ZoneSettings.objects.create(org=world.zone, report_day=10)
    clock.today = filed_on

    report = file(world.member, project)

    assert fresh(report).is_late is late


def test_one_zones_report_day_does_not_move_another_zones_deadline(world, clock):
    ZoneSettings.objects.create(org=world.zone, report_day=10)
    other = start(make_project(world, org=world.other_zone, team=None), datetime.date(2025, 3, 1))
    clock.today = datetime.date(2025, 8, 6)

    report = file(world.outsider, other)

    assert fresh(report).is_late is True


@pytest.mark.parametrize(
    ("filed_on", "late"),
    # 2025-01-05 is a Sunday: the deadline moves to Monday the 6th (shift_deadline).
    [(datetime.date(2025, 1, 6), False), (datetime.date(2025, 1, 7), True)],
)
def test_decembers_report_is_due_in_january_of_the_next_year(world, project, clock, filed_on, late):
    clock.today = filed_on

    report = file(world.member, project, period=datetime.date(2024, 12, 1))

    assert fresh(report).is_late is late


def test_amending_a_late_report_keeps_it_late(world, project, clock):
    report = file(world.member, project)  # filed 15 August: late
    clock.today = datetime.date(2025, 8, 20)

    file(world.member, project, invested="150")

    assert fresh(report).is_late is True


# --- locked months ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["statistician", "owner"])
def test_statistician_or_admin_locks_a_month_with_an_event(world, clock, request, who):
    actor = getattr(world, who) if hasattr(world, who) else request.getfixturevalue(who)

    lock = services.lock_period(actor, world.zone, datetime.date(2025, 7, 31))

    assert (lock.org, lock.period, lock.locked_by) == (world.zone, JULY, actor)
    (event,) = events("period.lock")
    assert event.actor == actor
    assert event.changes == {"period": [None, "2025-07"]}


@pytest.mark.parametrize("who", ["member", "leader", "viewer", "unit_user", "outsider"])
def test_others_cannot_lock_a_month(world, clock, request, who):
    actor = getattr(world, who) if hasattr(world, who) else request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        services.lock_period(actor, world.zone, JULY)

    assert not PeriodLock.objects.exists()


def test_a_future_month_cannot_be_locked_but_the_current_one_can(world, clock, statistician):
    with pytest.raises(ValidationError) as e:
        services.lock_period(statistician, world.zone, datetime.date(2025, 9, 1))
    refused(e, "period")

    services.lock_period(statistician, world.zone, datetime.date(2025, 8, 1))
    assert PeriodLock.objects.filter(org=world.zone, period=datetime.date(2025, 8, 1)).exists()


def test_a_month_cannot_be_locked_twice(world, clock, statistician):
    services.lock_period(statistician, world.zone, JULY)

    with pytest.raises(ValidationError) as e:
        services.lock_period(world.owner, world.zone, JULY)

    assert "2025-07" in refused(e, "period")
    assert len(events("period.lock")) == 1


@pytest.mark.parametrize("reason", ["", "补报漏报月份"], ids=["without-reason", "with-reason"])
def test_a_locked_month_refuses_new_reports(world, project, statistician, reason):
    """With or without a reason: a closed month takes corrections, never new reports. The
    message must say so — asking for a correction reason first would send the officer round
    in a circle (fill in a reason, then be told the month takes no new report)."""
    services.lock_period(statistician, world.zone, JULY)

    with pytest.raises(ValidationError) as e:
        file(world.member, project, reason=reason)

    assert "不能新增月报" in refused(e, "period")
    assert not ProgressReport.objects.exists()


def test_correcting_a_locked_month_needs_a_reason(world, project, statistician):
    report = file(world.member, project, invested="100")
    services.lock_period(statistician, world.zone, JULY)

    with pytest.raises(ValidationError) as e:
        file(world.member, project, invested="90", reason="  ")

    assert "更正原因" in refused(e, "reason")
    assert fresh(report).invested == Decimal("100")
    assert not events("progress.correct")


def test_a_correction_with_a_reason_is_applied_and_the_reason_is_audited(
    world, project, statistician
):
    report = file(world.member, project, invested="100")
    services.lock_period(statistician, world.zone, JULY)

    file(world.member, project, invested="90.00", reason=" 统计口径调整 ")

    assert fresh(report).invested == Decimal("90")
    (event,) = events("progress.correct", report)
    assert event.changes == {"invested": ["100.00", "90.00"], "reason": [None, "统计口径调整"]}
    assert not events("progress.update")


def test_a_lock_holds_only_for_its_zone_and_month(world, project, statistician):
    services.lock_period(statistician, world.zone, JULY)
    other = start(make_project(world, org=world.other_zone, team=None), datetime.date(2025, 3, 1))

    file(world.member, project, period=datetime.date(2025, 6, 1))
    file(world.outsider, other, period=JULY)

    assert ProgressReport.objects.count() == 2


# --- photos -------------------------------------------------------------------------------


@pytest.fixture
def report(world, project, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return file(world.member, project)


def image_bytes(fmt, size=(40, 30), **save):
    buf = io.BytesIO()
    Image.new("RGB", size, (180, 40, 40)).save(buf, fmt, **save)
    return buf.getvalue()


def upload(content, name="site.png"):
    return SimpleUploadedFile(name, content, content_type="image/png")


def stored_files(tmp_path):
    return [p for p in tmp_path.rglob("*") if p.is_file()]


def assert_refused(world, report, tmp_path, content, name="site.jpg"):
    with pytest.raises(ValidationError) as e:
        services.add_photo(world.member, report, upload(content, name))
    assert not ProgressPhoto.objects.exists()
    assert not stored_files(tmp_path)
    assert not events("progress.photo")
    return refused(e, "photo")


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_a_real_image_is_stored_re_encoded_as_jpeg(world, report, tmp_path, fmt):
    photo = services.add_photo(world.member, report, upload(image_bytes(fmt), f"site.{fmt}"))

    (path,) = stored_files(tmp_path)
    assert path.name.endswith(".jpg")
    with Image.open(path) as img:
        assert img.format == "JPEG"
        assert img.size == (40, 30)
    assert (photo.width, photo.height, photo.uploaded_by) == (40, 30, world.member)
    (event,) = events("progress.photo", report)
    assert event.changes == {"photo": [None, photo.image.name]}


def test_re_encoding_drops_exif_such_as_gps(world, report, tmp_path):
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x8825] = {2: (37.0, 52.0, 0.0)}  # GPSInfo: latitude
    content = image_bytes("JPEG", exif=exif.tobytes())
    with Image.open(io.BytesIO(content)) as original:
        assert original.getexif()  # the upload does carry EXIF

    services.add_photo(world.member, report, upload(content, "site.jpg"))

    (path,) = stored_files(tmp_path)
    with Image.open(path) as img:
        assert not img.getexif()


def test_a_large_photo_is_scaled_down_to_the_maximum_side(world, report, tmp_path):
    content = image_bytes("PNG", size=(services.PHOTO_MAX_SIDE * 2, 100))

    photo = services.add_photo(world.member, report, upload(content))

    assert (photo.width, photo.height) == (services.PHOTO_MAX_SIDE, 50)


def test_a_text_file_renamed_jpg_is_refused_naming_it(world, report, tmp_path):
    message = assert_refused(world, report, tmp_path, "项目进展说明\n".encode() * 20, "说明.jpg")

    assert "说明.jpg" in message


def test_an_oversize_file_is_refused_before_it_is_read(world, report, tmp_path, monkeypatch):
    content = image_bytes("PNG")
    monkeypatch.setattr(services, "PHOTO_MAX_BYTES", len(content) - 1)

    assert_refused(world, report, tmp_path, content, "site.png")


def test_a_file_of_exactly_the_limit_is_accepted(world, report, tmp_path, monkeypatch):
    content = image_bytes("PNG")
    monkeypatch.setattr(services, "PHOTO_MAX_BYTES", len(content))

    services.add_photo(world.member, report, upload(content))

    assert ProgressPhoto.objects.count() == 1


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_of_zeros(width, height):
    """A valid 1-bit PNG of the given size, built without ever holding the pixels: a few
    kilobytes on disk that would decode to width × height pixels."""
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed bits
    z = zlib.compressobj(9)
    idat = b"".join(z.compress(row) for _ in range(height)) + z.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
    )


def test_a_decompression_bomb_is_refused(world, report, tmp_path):
    side = int((2 * Image.MAX_IMAGE_PIXELS) ** 0.5) + 100  # beyond Pillow's hard limit
    content = png_of_zeros(side, side)
    assert len(content) < services.PHOTO_MAX_BYTES  # small file, so the size check passes

    assert_refused(world, report, tmp_path, content, "bomb.png")


def test_an_image_over_pillows_pixel_limit_is_refused_not_only_warned(
    world, report, tmp_path, monkeypatch
):
    """Pillow raises only beyond 2 × MAX_IMAGE_PIXELS; between 1× and 2× it merely warns
    and decodes (a 10 000 × 10 000 photo would take ~300 MB as RGB). The limit is scaled
    down here so the test image stays tiny; the proportions are those of real bombs."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)
    content = image_bytes("PNG", size=(120, 120))  # 14 400 pixels: over 1×, under 2×

    assert_refused(world, report, tmp_path, content, "big.png")


def test_a_png_with_a_broken_checksum_is_refused_not_a_crash(world, report, tmp_path):
    """Pillow's PNG verify() raises SyntaxError (not OSError) on a bad chunk checksum."""
    content = bytearray(image_bytes("PNG"))
    at = content.index(b"IDAT")
    length = int.from_bytes(content[at - 4 : at], "big")
    content[at + 4 + length] ^= 0xFF  # first byte of the IDAT checksum

    assert_refused(world, report, tmp_path, bytes(content), "broken.png")


def test_a_truncated_png_is_refused(world, report, tmp_path):
    assert_refused(world, report, tmp_path, image_bytes("PNG")[:60], "cut.png")


def test_an_officer_of_another_task_force_cannot_add_photos(world, report, tmp_path, other_officer):
    with pytest.raises(PermissionDenied):
        services.add_photo(other_officer, report, upload(image_bytes("PNG")))

    assert not stored_files(tmp_path)
    assert not ProgressPhoto.objects.exists()
