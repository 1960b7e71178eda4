"""Attachments are checked by content, size-limited, re-encoded when images, and served only
to those who may see the appeal."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from zonedesk.appeals import services
from zonedesk.appeals.models import Attachment

from .conftest import jpeg_bytes, raise_one, upload


def office(main_type, extra=()):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            f'<Types><Override PartName="/x" ContentType="{main_type}"/>{"".join(extra)}</Types>',
        )
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_accepted_kinds_are_recognised_by_content_whatever_their_name(ap):
    files = [
        upload("photo.png", jpeg_bytes(fmt="PNG")),
        upload("scan", jpeg_bytes(fmt="WEBP")),
        upload("现场.jpg", jpeg_bytes()),
        upload("材料.pdf", PDF),
        upload("说明.docx", office(DOCX_MAIN)),
        upload("清单.xlsx", office(XLSX_MAIN)),
    ]
    appeal = raise_one(ap, attachments=files)
    kinds = list(appeal.attachments.values_list("kind", flat=True))
    assert kinds == ["image", "image", "image", "pdf", "docx", "xlsx"]
    image = appeal.attachments.first()
    # Images are stored re-encoded as JPEG, whatever came in.
    assert image.file.read()[:3] == b"\xff\xd8\xff"
    assert image.name == "photo.png"


@pytest.mark.parametrize(
    "name,data",
    [
        ("photo.jpg", b"#!/bin/sh\nrm -rf /\n"),
        ("photo.jpg", b"<script>alert(1)</script>"),
        ("photo.jpg", b"\xff\xd8\xff\xe0 not really a jpeg"),
        ("doc.pdf", b"%PDF-1.4 but never ends"),
        ("macro.docx", office("application/vnd.ms-word.document.macroEnabled.main+xml")),
        ("archive.docx", office("application/zip")),
        ("page.html", b"<html><body>hi</body></html>"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused(ap, name, data):
    with pytest.raises(ValidationError) as e:
        raise_one(ap, attachments=[upload(name, data, "image/jpeg")])
    assert name in e.value.message_dict["attachments"][0]
    assert not Attachment.objects.exists()


def test_size_limit(ap, settings):
    big = PDF[:-6] + b"0" * services.MAX_ATTACHMENT_BYTES + b"\n%%EOF\n"
    with pytest.raises(ValidationError) as e:
        raise_one(ap, attachments=[upload("big.pdf", big)])
    assert "10MB" in e.value.message_dict["attachments"][0]


def test_script_upload_through_the_phone_form_is_refused_and_nothing_is_saved(ap, client_for):
    c = client_for(ap.w.enterprise_user)
    r = c.post(
        "/appeals/new/",
        {
            "category": ap.cats["用地"].pk,
            "description": "道路破损",
            "attachments": [upload("photo.jpg", b"<?php system($_GET['c']); ?>", "image/jpeg")],
        },
    )
    assert r.status_code == 200
    assert "不是可接受的文件" in r.content.decode()
    assert not ap.w.enterprise.appeals.exists()


def test_download_only_for_those_who_see_the_appeal(ap, client_for):
    appeal = raise_one(ap, attachments=[upload("现场.jpg", jpeg_bytes()), upload("a.pdf", PDF)])
    image, pdf = appeal.attachments.all()
    for user in (ap.w.enterprise_user, ap.w.unit_user, ap.w.owner):
        r = client_for(user).get(f"/appeals/attachments/{image.pk}/")
        assert r.status_code == 200
        assert r["Content-Type"] == "image/jpeg"
        assert r["X-Content-Type-Options"] == "nosniff"
    r = client_for(ap.w.owner).get(f"/appeals/attachments/{pdf.pk}/")
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"].startswith("attachment")
    for user in (ap.w.outsider, ap.land_user):
        assert client_for(user).get(f"/appeals/attachments/{image.pk}/").status_code == 404
    assert client_for(ap.w.outsider).get(f"/appeals/attachments/{image.pk}/").status_code == 404
    from django.test import Client

    assert Client().get(f"/appeals/attachments/{image.pk}/").status_code == 302


def test_unit_adds_an_attachment_later_and_it_is_logged(ap, client_for):
    appeal = raise_one(ap)
    c = client_for(ap.w.unit_user)
    r = c.post(f"/appeals/{appeal.pk}/attach/", {"attachments": [upload("回复函.pdf", PDF)]})
    assert r.status_code == 302
    assert appeal.attachments.get().name == "回复函.pdf"
    assert appeal.steps.filter(action="attach", text="回复函.pdf").exists()
    # Another unit may not.
    r = client_for(ap.land_user).post(
        f"/appeals/{appeal.pk}/attach/", {"attachments": [upload("x.pdf", PDF)]}
    )
    assert r.status_code == 404
