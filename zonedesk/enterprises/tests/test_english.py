"""The register's pages work in English too: its own catalogue covers its new texts."""

from django.conf import settings


def test_the_register_pages_read_in_english(world, client_for, registry):
    client = client_for(world.owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    funds = client.get("/enterprises/funds/").content.decode()
    assert "By industry chain" in funds and "按产业链" not in funds
    page = client.get(f"/enterprises/{world.enterprise.pk}/").content.decode()
    assert "High-tech enterprise" in page and "Expires within 90 days" in page
    expiring = client.get("/enterprises/designations/", {"expiring": "on"}).content.decode()
    assert "Designations expiring within 90 days" in expiring
