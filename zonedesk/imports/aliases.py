"""Names as zones write them (“县工信局”, “张县长”) matched to the units, people and task
forces they stand for: an exact name, else an alias the zone registered, else suggestions —
the closest names within the zone and the nodes above it, never a sibling zone's. A user's
pick becomes the zone's alias when the import is confirmed (save_answers)."""

import difflib
import re

from django.db import transaction
from django.utils.translation import gettext as _

from zonedesk.audit import services as audit

from .models import Alias

# How county offices shorten the names of their departments.
SHORT = [
    ("工信", "工业和信息化"),
    ("发改", "发展和改革"),
    ("住建", "住房和城乡建设"),
    ("人社", "人力资源和社会保障"),
    ("自然资源", "自然资源和规划"),
    ("生态环境", "生态环境"),
    ("交通", "交通运输"),
    ("商务", "商务"),
    ("科技", "科学技术"),
    ("行政审批", "行政审批服务管理"),
    ("农业", "农业农村"),
    ("文旅", "文化和旅游"),
    ("市场监管", "市场监督管理"),
]
_PLACE = re.compile(r"^(?:[县市区州旗]|.{1,6}?[县市区](?=.))")


def _expanded(name):
    """县工信局 → 工业和信息化局: the place prefix dropped, the short form written out."""
    core = _PLACE.sub("", name, count=1) if len(name) > 3 else name
    for short, full in SHORT:
        if core.startswith(short) and not core.startswith(full):
            return full + core[len(short) :]
    return core


def suggestions(name, known, limit=3):
    """The closest of `known` (names) to `name`, best first."""
    wanted = _expanded(name)
    scored = []
    for candidate in known:
        score = max(
            difflib.SequenceMatcher(None, wanted, _expanded(candidate)).ratio(),
            difflib.SequenceMatcher(None, name, candidate).ratio(),
        )
        if name and candidate[0] == name[0] and len(name) <= 4:
            score = max(score, 0.5)  # a surname: 张县长 → 张建国
        if score >= 0.4:
            scored.append((-score, candidate))
    return [c for _s, c in sorted(scored)[:limit]]


class Names:
    """The records a kind of name may stand for, with the zone's aliases and the user's
    answers, for one file. `known`: {name: record}; `ids`: {pk: record} for the answers."""

    def __init__(self, org, field, known, answers=None):
        self.field, self.known = field, known
        self.by_pk = {r.pk: r for r in known.values()}
        self.aliases = {
            a.name: self.by_pk[a.target_id]
            for a in Alias.objects.filter(org=org, field=field)
            if a.target_id in self.by_pk
        }
        self.answers = {
            name: self.by_pk[int(pk)]
            for name, pk in (answers or {}).items()
            if str(pk).isdigit() and int(pk) in self.by_pk
        }
        self.asked = {}  # name → [suggested names]: the questions of this file

    def get(self, name):
        found = self.known.get(name) or self.aliases.get(name) or self.answers.get(name)
        if found is None and name not in self.asked:
            self.asked[name] = suggestions(name, self.known)
        return found

    def missing(self, name, message):
        """The error for an unknown name, with its nearest known ones."""
        near = self.asked.get(name) or []
        if near:
            return _("%(m)s；最接近的有：%(near)s") % {"m": message, "near": "、".join(near)}
        return message

    def questions(self):
        return [
            {
                "field": self.field,
                "name": name,
                "suggestions": [{"id": self.known[s].pk, "name": s} for s in near],
            }
            for name, near in self.asked.items()
        ]


@transaction.atomic
def save_answers(actor, org, answers):
    """The user's picks, {field: {name: pk}}, as the zone's aliases, each with its event."""
    for field, picks in answers.items():
        for name, pk in picks.items():
            alias, created = Alias.objects.update_or_create(
                org=org,
                field=field,
                name=name,
                defaults={"target_id": int(pk), "created_by": actor},
            )
            audit.record(
                actor,
                "alias.create" if created else "alias.update",
                alias,
                org=org,
                changes={"name": [None, name], "target": [None, int(pk)]},
            )
