"""Every demo role follows its own links, breadth first from its home page and menu: none may
answer a server error, a refusal (403) or a 404, and no Chinese page may show an English code
— an audit action such as `blocker.raise` or a field's code name such as `reason:`."""

import io
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from zonedesk.audit import labels
from zonedesk.audit.models import AuditEvent
from zonedesk.demo.management.commands.demo import USERS
from zonedesk.orgs.models import User

PAGES_PER_ROLE = 70  # enough to reach every kind of page of the demo, bounded
SAME_SHAPE = 2  # pages per path shape (/projects/<n>/) and set of query keys
SKIPPED = ("/logout/", "/static/", "/media/", "/i18n/", "/api/", "/admin/")
# A code name followed by a colon, as a field shown by its column name would read.
FIELD_CODE = re.compile(r"(?<![\w/.])([a-z][a-z0-9]*_[a-z0-9_]+|[a-z]{3,})\s*[:：]")
NOT_CODES = {"http", "https", "mailto", "totp"}


class Page(HTMLParser):
    """The links of a page and its visible text (scripts, styles and attributes left out)."""

    def __init__(self):
        super().__init__()
        self.links, self.text, self._hidden = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)


def shape(url):
    parts = urlsplit(url)
    keys = sorted(k.split("=")[0] for k in parts.query.split("&") if k)
    return re.sub(r"/\d+/", "/<n>/", parts.path), tuple(keys)


def crawl(user, codes):
    client = Client()
    client.force_login(user)
    queue, seen, shapes, problems = deque([("/", "")]), {"/"}, {}, []
    visited = 0
    while queue and visited < PAGES_PER_ROLE:
        url, source = queue.popleft()
        response = client.get(url)
        visited += 1
        if response.status_code in (301, 302):
            target = response["Location"]
            if target.startswith("/login/"):
                problems.append(f"{source} → {url} → 登录页")
            elif target not in seen:
                seen.add(target)
                queue.append((target, url))
            continue
        if response.status_code != 200:
            problems.append(f"{source} → {url} → {response.status_code}")
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        page = Page()
        page.feed(response.content.decode())
        text = " ".join(page.text)
        problems += [
            f"{url}: 代码 {c}" for c in codes if re.search(rf"(?<![\w.]){c}(?![\w])", text)
        ]
        problems += [
            f"{url}: 字段 {m}"
            for m in FIELD_CODE.findall(text)
            if m not in NOT_CODES and not m.isupper()
        ]
        for href in page.links:
            href = href.split("#")[0]
            if not href.startswith("/") or href.startswith(SKIPPED) or href in seen:
                continue
            key = shape(href)
            if shapes.get(key, 0) >= SAME_SHAPE:
                continue
            shapes[key] = shapes.get(key, 0) + 1
            seen.add(href)
            queue.append((href, url))
    return visited, problems


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for every role, inside a transaction rolled back at the end, so
    the seeded catalogue (industry codes, calendar) stays for the tests that follow."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("username", [u[0] for u in USERS])
def test_each_demo_role_meets_no_dead_end_and_no_english_code(demo, username):
    # The codes that can show: every action the demo wrote, and every one with a label.
    codes = set(AuditEvent.objects.values_list("action", flat=True)) | set(labels.ACTIONS)
    visited, problems = crawl(User.objects.get(username=username), sorted(codes))
    assert visited > 3, "the crawl must reach beyond the home page"
    assert problems == []


def test_the_crawl_sees_a_code_a_refusal_and_a_field_name():
    """The checks fail where they should: on a made-up page with all three faults."""
    page = Page()
    page.feed(
        '<p>操作 blocker.raise <a href="/x/">x</a></p><p>reason: 原因</p><script>a.b</script>'
    )
    text = " ".join(page.text)
    assert page.links == ["/x/"]
    assert re.search(r"(?<![\w.])blocker.raise(?![\w])", text)
    assert FIELD_CODE.findall(text) == ["reason"]
    assert "a.b" not in text
