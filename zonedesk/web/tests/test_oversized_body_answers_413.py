"""A body over the limit is a 413 — JSON for the API, a Chinese page for the web — refused
before anything is read or written, instead of a 500 with a traceback."""

import io

from zonedesk.imports.models import ImportJob
from zonedesk.supervision.models import Blocker

THREE_MB = b'{"title": "' + b"x" * 3_000_000 + b'"}'


def test_a_3_mb_json_body_is_413_with_a_chinese_detail_and_writes_nothing(world, api_for):
    response = api_for(world.owner).post(
        "/api/v1/blockers", THREE_MB, content_type="application/json"
    )

    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "请求体超过 2.5 MB 的上限，请拆分或压缩后重试"}
    assert not Blocker.objects.exists()


def test_a_30_mb_upload_to_the_import_api_is_413_and_starts_no_job(world, api_for):
    upload = io.BytesIO(b"x" * 30_000_000)
    upload.name = "台账.xlsx"

    response = api_for(world.owner).post(
        "/api/v1/imports", {"kind": "projects", "org_id": world.zone.pk, "file": upload}
    )

    assert response.status_code == 413
    assert response.json()["detail"] == "文件超过20MB，请拆分后上传"
    assert not ImportJob.objects.exists()


def test_an_upload_over_the_request_cap_is_413_before_it_is_read(world, api_for, settings):
    settings.MAX_UPLOAD_REQUEST_BYTES = 1024 * 1024
    upload = io.BytesIO(b"x" * (2 * 1024 * 1024))
    upload.name = "台账.xlsx"

    response = api_for(world.owner).post(
        "/api/v1/imports", {"kind": "projects", "org_id": world.zone.pk, "file": upload}
    )

    assert response.status_code == 413
    assert response.json() == {"detail": "请求体超过 1 MB 的上限，请拆分或压缩后重试"}
    assert not ImportJob.objects.exists()


def test_an_oversized_form_field_inside_an_upload_is_413_json(world, api_for):
    # Under the upload cap, so the body is parsed: Django refuses the 3 MB text field itself.
    upload = io.BytesIO(b"x")
    upload.name = "台账.xlsx"

    response = api_for(world.owner).post(
        "/api/v1/imports", {"kind": "x" * 3_000_000, "org_id": world.zone.pk, "file": upload}
    )

    assert response.status_code == 413
    assert response.json()["detail"].startswith("请求体超过 2.5 MB 的上限")


def test_a_3_mb_form_post_to_a_page_is_a_chinese_413_page(world, client_for):
    response = client_for(world.owner).post(
        "/projects/new/",
        b"name=" + b"x" * 3_000_000,
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 413
    page = response.content.decode()
    assert "上传内容过大" in page and "请求体超过 2.5 MB 的上限" in page


def test_a_body_within_the_limit_still_reaches_the_view(world, api_for):
    response = api_for(world.owner).post(
        "/api/v1/blockers", b'{"title": "' + b"x" * 100_000 + b'"}', content_type="application/json"
    )

    assert response.status_code == 422  # the view's own validation: org_id and unit_id missing
