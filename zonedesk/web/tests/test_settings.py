"""Production mode: refuses a missing secret key and passes Django's deploy checks."""

import os
import secrets
import subprocess
import sys


def zonedesk(*args, **env):
    # The browser tests allow sync ORM calls beside Playwright's loop; a deployment must not.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "-m", "zonedesk.cli", *args],
        env={**inherited, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_real_secret_key():
    result = zonedesk("check", ZONEDESK_ENV="production", ZONEDESK_SECRET_KEY="")
    assert result.returncode != 0
    assert "ZONEDESK_SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = zonedesk("check", ZONEDESK_ENV="production", ZONEDESK_SECRET_KEY="short")
    assert result.returncode != 0


def test_production_passes_check_deploy_with_no_warning():
    result = zonedesk(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        ZONEDESK_ENV="production",
        ZONEDESK_SECRET_KEY=secrets.token_urlsafe(60),
        ZONEDESK_ALLOWED_HOSTS="zonedesk.example.gov.cn",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_development_check_deploy_does_warn():
    """The test above can fail: without production mode the deploy checks do complain."""
    result = zonedesk("check", "--deploy", "--fail-level", "WARNING", ZONEDESK_ENV="development")
    assert result.returncode != 0
