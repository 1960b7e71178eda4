"""Text an enterprise enters (its contacts) and text typed about it is shown escaped on every
page and neutralised in every export: no markup runs, no cell becomes a formula."""

import datetime
from decimal import Decimal

import pytest

from zonedesk.enterprises import services

from .conftest import read_xlsx

SCRIPT = "<script>alert('x')</script>"
FORMULA = '=HYPERLINK("http://evil.example","点击")'


@pytest.fixture
def hostile(world, client_for):
    """Contacts typed in by the enterprise's own user through its page."""
    client = client_for(world.enterprise_user)
    for name, title in ((SCRIPT, FORMULA), (FORMULA, SCRIPT)):
        response = client.post(
            f"/enterprises/{world.enterprise.pk}/contacts/new/",
            {"name": name, "title": title, "phone": "+8613835400101", "is_primary": ""},
        )
        assert response.status_code == 302
    services.update_enterprise(None, world.enterprise, {"address": SCRIPT, "chain": FORMULA})
    services.add_designation(
        None,
        world.enterprise,
        kind="other",
        other_name=SCRIPT,
        level="county",
        granted_on=datetime.date(2024, 1, 1),
        note=SCRIPT,
    )
    services.create_fund(
        None,
        enterprise=world.enterprise,
        year=2026,
        source="park",
        amount=Decimal("1"),
        policy=FORMULA,
        purpose=SCRIPT,
    )


ESCAPED_SCRIPT = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"
ESCAPED_FORMULA = "=HYPERLINK(&quot;http://evil.example&quot;,&quot;点击&quot;)"


@pytest.mark.parametrize(
    "who, path, escaped",
    [
        ("enterprise_user", "/enterprises/{pk}/", ESCAPED_SCRIPT),
        ("owner", "/enterprises/{pk}/", ESCAPED_SCRIPT),
        ("viewer", "/enterprises/{pk}/", ESCAPED_SCRIPT),
        ("owner", "/enterprises/", ESCAPED_FORMULA),  # the list shows the chain, no contacts
        ("owner", "/enterprises/designations/", ESCAPED_SCRIPT),
        ("owner", "/enterprises/funds/", ESCAPED_SCRIPT),
    ],
)
def test_pages_show_the_text_escaped(world, client_for, hostile, who, path, escaped):
    html = client_for(getattr(world, who)).get(path.format(pk=world.enterprise.pk)).content.decode()
    assert "<script>alert" not in html
    assert escaped in html


def test_the_enterprise_export_neutralises_formulas_in_contacts_and_chain(
    world, client_for, hostile
):
    sheet = read_xlsx(client_for(world.owner).get("/enterprises/export.xlsx").content)
    row = next(r for r in sheet[2:] if r[1] == "山西强伟纸业有限公司")
    headers = sheet[1]
    chain, contact = row[headers.index("产业链")], row[headers.index("主要联系人")]
    assert chain == "'" + FORMULA
    assert contact == SCRIPT  # the primary contact's name: no formula, kept as typed
    assert not any(str(c).startswith("=") for r in sheet for c in r)


def test_the_fund_and_designation_exports_neutralise_them_too(world, client_for, hostile):
    client = client_for(world.owner)
    for url in ("/enterprises/funds/export.xlsx", "/enterprises/designations/export.xlsx"):
        sheet = read_xlsx(client.get(url).content)
        assert not any(str(c).startswith("=") for r in sheet for c in r), url
    funds = read_xlsx(client.get("/enterprises/funds/export.xlsx").content)
    assert "'" + FORMULA in funds[2] and SCRIPT in funds[2]  # text kept, never a formula


def test_the_api_returns_the_text_as_data(world, api_for, hostile):
    body = api_for(world.owner).get(f"/api/v1/enterprises/{world.enterprise.pk}").json()
    assert {c["name"] for c in body["contacts"]} == {SCRIPT, FORMULA}
