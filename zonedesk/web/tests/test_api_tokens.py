"""API tokens on the profile page: created and shown once, stored as a digest, listed,
revoked by their owner only."""

import datetime
import hashlib
import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zonedesk.orgs.models import ApiToken
from zonedesk.orgs.services import create_token

SECRET = re.compile(r'<code class="secret">(zd_[A-Za-z0-9_-]+)</code>')


def create_on_profile(client, name="数据同步"):
    response = client.post("/profile/", {"name": name})
    assert response.status_code == 200
    match = SECRET.search(response.content.decode())
    assert match, "the new token is shown on the page"
    return response, match.group(1)


def call_api(secret):
    return Client(headers={"Authorization": f"Bearer {secret}"}).get("/api/v1/me")


def test_creating_a_token_shows_it_once_and_stores_only_prefix_and_digest(world, client_for):
    client = client_for(world.member)
    response, secret = create_on_profile(client)

    token = ApiToken.objects.get(user=world.member)
    assert token.name == "数据同步"
    assert token.prefix == secret[:8]
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.digest, token.prefix, token.name}
    assert "仅显示这一次" in response.content.decode()

    again = client.get("/profile/").content.decode()
    assert secret not in again and "仅显示这一次" not in again
    assert "数据同步" in again and f"{token.prefix}…" in again


def test_the_new_token_works_on_the_api(world, client_for):
    _response, secret = create_on_profile(client_for(world.member))

    response = call_api(secret)
    assert response.status_code == 200 and response.json()["username"] == "member"
    assert ApiToken.objects.get(user=world.member).last_used_at is not None


def test_token_use_is_written_at_most_once_a_minute(world, client_for, monkeypatch):
    """A read through the API writes last_used_at only when the stored one is a minute old."""
    _response, secret = create_on_profile(client_for(world.member))
    start = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: start)
    call_api(secret)
    monkeypatch.setattr(timezone, "now", lambda: start + datetime.timedelta(seconds=59))
    with CaptureQueriesContext(connection) as reads:
        assert call_api(secret).status_code == 200
    assert not [q for q in reads.captured_queries if q["sql"].startswith("UPDATE")]
    assert ApiToken.objects.get(user=world.member).last_used_at == start
    later = start + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    call_api(secret)
    assert ApiToken.objects.get(user=world.member).last_used_at == later


def test_a_token_needs_a_name(world, client_for):
    response = client_for(world.member).post("/profile/", {"name": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.filter(user=world.member).exists()
    assert not SECRET.search(response.content.decode())


def test_the_profile_lists_only_the_users_own_active_tokens(world, client_for):
    create_token(world.member, "我的令牌")
    create_token(world.owner, "管理员的令牌")
    revoked, _secret = create_token(world.member, "旧令牌")
    client = client_for(world.member)
    client.post(f"/profile/tokens/{revoked.pk}/revoke/")
    client.get("/profile/")  # the page that shows the “revoked” message

    response = client.get("/profile/")
    assert [t.name for t in response.context["tokens"]] == ["我的令牌"]
    html = response.content.decode()
    assert "管理员的令牌" not in html and "旧令牌" not in html


def test_revoking_a_token_stops_it_working(world, client_for):
    client = client_for(world.member)
    _response, secret = create_on_profile(client)
    token = ApiToken.objects.get(user=world.member)
    assert call_api(secret).status_code == 200

    response = client.post(f"/profile/tokens/{token.pk}/revoke/", follow=True)

    assert response.redirect_chain == [("/profile/", 302)]
    assert "令牌“数据同步”已撤销" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert call_api(secret).status_code == 401


def test_revoking_needs_a_post(world, client_for):
    token, secret = create_token(world.member, "数据同步")
    assert client_for(world.member).get(f"/profile/tokens/{token.pk}/revoke/").status_code == 405
    assert call_api(secret).status_code == 200


def test_a_user_cannot_revoke_another_users_token(world, client_for):
    token, secret = create_token(world.member, "数据同步")

    response = client_for(world.owner).post(f"/profile/tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert call_api(secret).status_code == 200


def test_revoking_twice_is_404_the_second_time(world, client_for):
    token, _secret = create_token(world.member, "数据同步")
    client = client_for(world.member)
    assert client.post(f"/profile/tokens/{token.pk}/revoke/").status_code == 302
    assert client.post(f"/profile/tokens/{token.pk}/revoke/").status_code == 404


def test_the_profile_needs_a_login(world, client):
    response = client.get("/profile/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
