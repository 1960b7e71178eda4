"""Inbox, badge and preferences: own messages only, escaped, bounded queries."""

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from zonedesk.notify import services
from zonedesk.notify.models import Message, Preference


def send(user, key, title="问题逾期", body="", url="/projects/"):
    services.notify([user], event="blocker.overdue", key=key, title=title, body=body, url=url)
    return Message.objects.get(user=user, key=key)


def test_inbox_lists_own_messages_unread_first(world, client_for):
    old = send(world.member, "a", title="较早未读")
    read = send(world.member, "b", title="已读消息")
    services.mark_read(world.member, [read.pk])
    send(world.owner, "c", title="别人的消息")
    html = client_for(world.member).get(reverse("notify:inbox")).content.decode()
    assert "较早未读" in html and "已读消息" in html and "别人的消息" not in html
    assert html.index("较早未读") < html.index("已读消息")
    assert 'data-unread="1"' in html
    assert old.pk


def test_inbox_needs_login(client):
    response = client.get(reverse("notify:inbox"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_every_page_has_the_badge_which_loads_its_count(world, client_for):
    for k in "abc":
        send(world.member, k)
    client = client_for(world.member)
    html = client.get(reverse("home")).content.decode()
    assert 'id="notify-badge"' in html and 'hx-trigger="load, notify-read from:body"' in html
    badge = client.get(reverse("notify:badge"), headers={"HX-Request": "true"}).content.decode()
    assert 'data-unread="3"' in badge and "load," not in badge  # loads once, not in a loop
    other = client_for(world.owner).get(reverse("notify:badge")).content.decode()
    assert "data-unread" not in other


def test_badge_costs_pages_no_query(world, client_for):
    """The count is not computed while a page renders: other pages' query bounds hold."""
    send(world.member, "a")
    client = client_for(world.member)
    for name in ("home", "notify:preferences"):
        with CaptureQueriesContext(connection) as page:
            assert client.get(reverse(name)).status_code == 200
        assert not [q for q in page.captured_queries if "notify_message" in q["sql"]]
    with CaptureQueriesContext(connection) as badge:
        client.get(reverse("notify:badge"))
    assert len([q for q in badge.captured_queries if "notify_message" in q["sql"]]) == 1


def test_message_text_is_escaped(world, client_for):
    send(world.member, "x", title="<script>alert(1)</script>", body="<img src=x onerror=alert(1)>")
    html = client_for(world.member).get(reverse("notify:inbox")).content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_mark_read_by_htmx_returns_the_row_and_updates_badge(world, client_for):
    msg = send(world.member, "a")
    client = client_for(world.member)
    response = client.post(reverse("notify:read", args=[msg.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 200 and response["HX-Trigger"] == "notify-read"
    assert f'id="message-{msg.pk}"' in response.content.decode()
    msg.refresh_from_db()
    assert msg.read_at is not None
    badge = client.get(reverse("notify:badge")).content.decode()
    assert "data-unread" not in badge


def test_cannot_read_someone_elses_message(world, client_for):
    msg = send(world.owner, "a")
    client = client_for(world.member)
    assert client.post(reverse("notify:read", args=[msg.pk])).status_code == 404
    assert client.get(reverse("notify:open", args=[msg.pk])).status_code == 404
    msg.refresh_from_db()
    assert msg.read_at is None


def test_mark_read_needs_post(world, client_for):
    msg = send(world.member, "a")
    assert client_for(world.member).get(reverse("notify:read", args=[msg.pk])).status_code == 405


def test_open_marks_read_and_goes_to_the_page(world, client_for):
    msg = send(world.member, "a", url="/projects/7/")
    response = client_for(world.member).get(reverse("notify:open", args=[msg.pk]))
    assert response.status_code == 302 and response["Location"] == "/projects/7/"
    msg.refresh_from_db()
    assert msg.read_at is not None


def test_open_never_redirects_off_the_site(world, client_for):
    msg = send(world.member, "a", url="https://evil.example/phish")
    response = client_for(world.member).get(reverse("notify:open", args=[msg.pk]))
    assert response["Location"] == reverse("notify:inbox")


def test_mark_all_read_only_touches_own(world, client_for):
    for k in "abc":
        send(world.member, k)
    send(world.owner, "d")
    client_for(world.member).post(reverse("notify:read_all"))
    assert not Message.objects.filter(user=world.member, read_at__isnull=True).exists()
    assert Message.objects.filter(user=world.owner, read_at__isnull=True).count() == 1


def test_inbox_queries_are_bounded(world, client_for, django_assert_max_num_queries):
    for i in range(40):
        send(world.member, f"k{i}")
    client = client_for(world.member)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("notify:inbox"))
    assert response.status_code == 200
    assert response.content.decode().count('class="card message') == 30


def test_enterprise_user_has_an_inbox_too(world, client_for):
    send(world.enterprise_user, "appeal")
    assert client_for(world.enterprise_user).get(reverse("notify:inbox")).status_code == 200


def test_preferences_save_email_groups_and_quiet_hours(world, client_for):
    client = client_for(world.member)
    assert client.get(reverse("notify:preferences")).status_code == 200
    response = client.post(
        reverse("notify:preferences"),
        {"email": ["appeal", "lead"], "quiet_start": "22:00", "quiet_end": "07:00"},
    )
    assert response.status_code == 302
    pref = Preference.objects.get(user=world.member)
    assert "blocker" in pref.email_off and "appeal" not in pref.email_off
    assert (pref.quiet_start, pref.quiet_end) == ("22:00", "07:00")


def test_preferences_refuse_half_a_quiet_period(world, client_for):
    response = client_for(world.member).post(
        reverse("notify:preferences"), {"quiet_start": "22:00"}
    )
    assert response.status_code == 200 and "免打扰时段须同时填写" in response.content.decode()
    assert not Preference.objects.exists()


def test_preferences_page_queries_are_bounded(world, client_for, django_assert_max_num_queries):
    client = client_for(world.member)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("notify:preferences")).status_code == 200


def test_inbox_in_english(world, client_for):
    send(world.member, "a")
    client = client_for(world.member)
    client.cookies["django_language"] = "en"
    try:
        html = client.get(reverse("notify:inbox")).content.decode()
    finally:  # the language middleware leaves English active in this thread
        translation.activate(settings.LANGUAGE_CODE)
    assert "Mark all read" in html and "全部标为已读" not in html


def test_inbox_queries_do_not_grow_with_its_messages(world, client_for):
    """Each message names its org; the org comes with the message, not one query apiece."""
    client = client_for(world.member)

    def queries(n):
        for i in range(n):
            services.notify(
                [world.member],
                event="blocker.overdue",
                key=f"k{n}-{i}",
                title="问题逾期",
                org=world.zone,
            )
        with CaptureQueriesContext(connection) as page:
            html = client.get(reverse("notify:inbox")).content.decode()
        assert html.count(world.zone.name) >= n
        return len(page.captured_queries)

    assert queries(2) == queries(20)
