"""The README lists the demo's logins as `zonedesk demo` creates them, and points at nothing
outside the clone."""

import re
from pathlib import Path

from zonedesk.demo.management.commands.demo import PASSWORD, USERS
from zonedesk.orgs.models import Role

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def login_rows():
    """(username, role cell) of each row of the demo-login table."""
    section = README.split("### 演示账号 / Demo logins")[1].split("\n#")[0]
    return re.findall(r"^\| `([^`]+)` \| ([^|]+) \|", section, re.M)


def test_the_readme_lists_every_demo_login_with_its_role():
    listed = {username: role.strip() for username, role in login_rows()}
    assert list(listed) == [username for username, *_rest in USERS]
    for username, _name, role, *_where in USERS:
        assert listed[username] == f"{Role.Name(role).label} {role}"


def test_the_readme_gives_the_demo_password_and_the_host():
    assert f"`{PASSWORD}`" in README
    assert "HOST=" in README and "127.0.0.1:8000" in README


def test_the_readme_points_at_nothing_outside_the_clone():
    assert "../" not in README
    for target in re.findall(r"`((?:docs|zonedesk|bench|\.ci)/[^`\s]*)`", README):
        assert next(ROOT.glob(target.rstrip("/")), None), target
    for target in re.findall(r"\]\(([^)#]+)\)", README):
        assert target.startswith("http") or (ROOT / target).exists(), target
