"""Every audit action a service records has words, in Chinese and English; the history shows
the words, never the code."""

import ast
import pathlib

import pytest
from django.utils import translation

from zonedesk.audit import labels
from zonedesk.audit import services as audit
from zonedesk.audit.models import AuditEvent
from zonedesk.audit.templatetags.audit import shown
from zonedesk.orgs import services
from zonedesk.orgs.models import Org
from zonedesk.supervision.models import Blocker

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _modules():
    for path in ROOT.rglob("*.py"):
        if "tests" not in path.parts and "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(), str(path))


def _action_params(trees):
    """Functions taking an `action` parameter, by name → its position."""
    found = {}
    for _path, tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                names = [a.arg for a in node.args.args]
                if "action" in names:
                    found[node.name] = names.index("action")
    return found


def _strings(node):
    """The action codes an expression can be: a literal, either side of `a if c else b`, or
    the fixed part of f"blocker.{step}" (ending in a dot)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    if isinstance(node, ast.JoinedStr) and isinstance(node.values[0], ast.Constant):
        return [node.values[0].value]
    return []


def recorded_actions():
    """Every action code the services pass to audit: `action=...`, audit.record's second
    argument, an `action` parameter of our own helpers, and `action = ...` assignments."""
    trees = list(_modules())
    params = _action_params(trees) | {"record": 1}
    codes = {}
    for path, tree in trees:
        for node in ast.walk(tree):
            values = []
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", None))
                values += [k.value for k in node.keywords if k.arg == "action"]
                if name in params and len(node.args) > params[name]:
                    values.append(node.args[params[name]])
            elif isinstance(node, ast.Assign):
                if any(isinstance(t, ast.Name) and t.id == "action" for t in node.targets):
                    values.append(node.value)
            for value in values:
                for code in _strings(value):
                    if "." in code:
                        codes[code] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return codes


def test_every_recorded_action_has_a_label():
    codes = recorded_actions()
    assert len(codes) > 60, "the scan must find the services' actions"
    assert {"blocker.", "appeal.", "project.create", "calendar.set_day"} <= set(codes)
    missing = {
        code: where
        for code, where in codes.items()
        if not (
            code in labels.ACTIONS
            or (code.endswith(".") and any(k.startswith(code) for k in labels.ACTIONS))
        )
    }
    assert missing == {}


def test_a_workflow_step_reads_in_both_languages():
    with translation.override("zh-hans"):
        assert str(labels.action_label("blocker.answer")) == "问题督办·答复"
        assert str(labels.action_label("project.create")) == "新建项目"
    with translation.override("en"):
        assert str(labels.action_label("project.create")) == "Project created"
        assert "Answer" in str(labels.action_label("blocker.answer"))


def test_every_label_is_translated_into_english():
    with translation.override("en"):
        untranslated = [
            code
            for code, label in labels.ACTIONS.items()
            if any("\u4e00" <= c <= "\u9fff" for c in str(label))
        ]
        fields = [n for n, label in labels.FIELDS.items() if "\u4e00" <= str(label)[0] <= "\u9fff"]
    assert untranslated == []
    assert fields == []


def test_names_outside_the_model_read_as_words():
    assert str(labels.field_label(Blocker, "reason")) == "更正原因"
    assert str(labels.field_label(Org, "period")) == "月份"
    assert (
        labels.field_label(Blocker, "deadline") == Blocker._meta.get_field("deadline").verbose_name
    )


@pytest.mark.django_db
def test_the_history_shows_the_words_not_the_code(world, client_for):
    services.update_org(world.owner, world.zone, {"name": "寿阳经开区"})
    audit.record(
        world.owner,
        "period.lock",
        world.zone,
        org=world.zone,
        changes={"period": [None, "2026-12"]},
    )
    page = client_for(world.owner).get(f"/audit/history/orgs.org/{world.zone.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "修改组织" in text and "org.update" not in text
    assert "月报关账" in text and "period.lock" not in text
    assert "<b>月份</b>" in text and "period" not in text
    assert AuditEvent.objects.filter(target_id=str(world.zone.pk)).count() >= 3


def test_a_recorded_date_reads_as_a_date():
    with translation.override("zh-hans"):
        assert shown(Blocker, "deadline", "2026-11-15") == "2026年11月15日"
    assert shown(Blocker, "deadline", "不是日期") == "不是日期"
