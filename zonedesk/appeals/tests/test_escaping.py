"""Text typed by an enterprise is shown as text everywhere: pages, Word, Excel, messages."""

import io

from django.core import mail
from docx import Document

from zonedesk.appeals import services

from .conftest import raise_one, xlsx_text

EVIL = '<script>alert("x")</script>=HYPERLINK("http://evil")'


def test_script_in_description_is_escaped_on_every_page(ap, client_for):
    appeal = raise_one(ap, description=EVIL)
    services.accept(ap.w.unit_user, appeal)
    services.answer(ap.w.unit_user, appeal, text="答复")
    services.close(ap.w.unit_user, appeal)
    services.rate(ap.w.enterprise_user, appeal, rating="unsatisfied", comment=EVIL)
    pages = [
        (ap.w.owner, f"/appeals/{appeal.pk}/"),
        (ap.w.owner, "/appeals/"),
        (ap.w.owner, "/appeals/report/?month=2025-11"),
        (ap.w.unit_user, "/appeals/inbox/"),
        (ap.w.enterprise_user, "/appeals/mine/"),
        (ap.w.owner, f"/enterprises/{ap.w.enterprise.pk}/"),
    ]
    for user, url in pages:
        html = client_for(user).get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "&lt;script&gt;alert" in html, url


def test_script_in_description_is_plain_text_in_word_and_excel(ap, client_for):
    raise_one(ap, description=EVIL)
    c = client_for(ap.w.owner)
    text = xlsx_text(c.get("/appeals/export.xlsx").content)
    assert EVIL in text  # kept as text, not markup
    sheet = xlsx_text(c.get("/appeals/report.xlsx?month=2025-11").content, 1)
    assert "<script>alert" in sheet  # the title (from the description) is a text cell
    doc = Document(io.BytesIO(c.get("/appeals/report.docx?month=2025-11").content))
    cells = [cell.text for t in doc.tables for row in t.rows for cell in row.cells]
    assert any(cell.startswith("<script>alert") for cell in cells)


def test_formula_in_description_is_neutralised_in_excel(ap, client_for):
    raise_one(ap, description='=HYPERLINK("http://evil","点我")')
    text = xlsx_text(client_for(ap.w.owner).get("/appeals/export.xlsx").content)
    assert "'=HYPERLINK" in text


def test_messages_carry_the_text_and_the_inbox_escapes_it(ap, client_for):
    ap.w.unit_user.email = "unit@example.com"
    ap.w.unit_user.save()
    appeal = raise_one(ap, description=EVIL)
    message = ap.w.unit_user.inbox.get(event="appeal.routed")
    assert message.title.startswith("新诉求：<script>")
    client = client_for(ap.w.unit_user)
    html = client.get("/messages/").content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    # Following the message leads to the appeal, where the text is escaped as well.
    r = client.get(f"/messages/{message.pk}/")
    assert r.status_code == 302 and r["Location"] == f"/appeals/{appeal.pk}/"
    page = client.get(r["Location"]).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    # The e-mail is plain text: no HTML part that could run the script.
    from zonedesk.notify import services as notify

    for pk in notify.due_ids(key=f"appeal:{appeal.pk}:appeal.routed:1"):
        notify.deliver(pk)
    assert mail.outbox and all(not getattr(m, "alternatives", None) for m in mail.outbox)
    # The title (the description's start, cut with "…") as typed: plain text, never markup.
    assert mail.outbox[0].subject == "新诉求：" + EVIL[:29] + "…"
