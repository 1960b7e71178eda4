"""A decompression bomb as an appeal image is refused — beyond Pillow's hard limit and in the
band between 1× and 2× its pixel limit where Pillow only warns — naming the file, and
nothing is stored: no appeal, no attachment, no file."""

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from zonedesk.appeals import services
from zonedesk.appeals.models import Appeal, Attachment
from zonedesk.projects.tests.test_progress import png_of_zeros

from .conftest import jpeg_bytes, raise_one, upload

# Pillow warns of what it then refuses, or of what the checker refuses after it.
pytestmark = pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")


def stored(settings):
    return [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]


def refused(call, name):
    with pytest.raises(ValidationError) as e:
        call()
    (message,) = e.value.message_dict["attachments"]
    assert name in message and "不是可接受的文件" in message


def test_a_bomb_beyond_pillows_hard_limit_is_refused_when_an_appeal_is_raised(ap, settings):
    side = int((2 * Image.MAX_IMAGE_PIXELS) ** 0.5) + 100
    bomb = png_of_zeros(side, side)
    assert len(bomb) < services.MAX_ATTACHMENT_BYTES  # small file: the size check passes

    refused(lambda: raise_one(ap, attachments=[upload("bomb.png", bomb)]), "bomb.png")

    assert not Appeal.objects.exists() and not Attachment.objects.exists()
    assert not stored(settings)


def test_an_image_over_the_pixel_limit_is_refused_not_only_warned(ap, settings, monkeypatch):
    """Between 1× and 2× MAX_IMAGE_PIXELS Pillow warns and would decode it all; the limit
    is scaled down so that the image stays tiny, in the proportions of a real bomb."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)
    big = jpeg_bytes(size=(120, 120), fmt="PNG")  # 14 400 pixels: over 1×, under 2×

    refused(lambda: raise_one(ap, attachments=[upload("big.png", big)]), "big.png")

    assert not Appeal.objects.exists() and not stored(settings)


def test_a_bomb_added_later_is_refused_and_the_appeal_is_unchanged(ap, settings, monkeypatch):
    appeal = raise_one(ap)
    steps = appeal.steps.count()
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)
    big = jpeg_bytes(size=(120, 120), fmt="WEBP")

    refused(
        lambda: services.add_attachments(ap.w.unit_user, appeal, [upload("现场.webp", big)]),
        "现场.webp",
    )

    assert not appeal.attachments.exists() and appeal.steps.count() == steps
    assert not stored(settings)


def test_an_image_of_exactly_the_pixel_limit_is_accepted(ap, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)

    appeal = raise_one(ap, attachments=[upload("现场.png", jpeg_bytes(size=(100, 100), fmt="PNG"))])

    assert appeal.attachments.get().kind == Attachment.Kind.IMAGE
