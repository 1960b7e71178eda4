import pytest
from django.test import Client

from zonedesk.orgs.services import create_token


@pytest.fixture
def api_for():
    """An API client holding a fresh token of `user`, optionally with more headers."""

    def make(user, **headers):
        _token, secret = create_token(user, "测试")
        return Client(headers={"Authorization": f"Bearer {secret}", **headers})

    return make
