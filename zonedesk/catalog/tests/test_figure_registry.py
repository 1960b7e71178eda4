"""The figure registry: one definition per key and per label, printed one way, and
docs/figures.md generated from it and current."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from zonedesk.catalog import figures
from zonedesk.catalog.management.commands.figures_doc import PATH, generated


def test_the_committed_figures_doc_is_current():
    assert PATH.read_text(encoding="utf-8") == generated(), "run: manage.py figures_doc"
    call_command("figures_doc", "--check")


def test_a_label_may_name_only_one_definition():
    with pytest.raises(figures.Clash, match="开工率"):
        figures.register(
            "other_start_rate",
            "开工率",
            "another count",
            kind="rate",
            places=1,
            period="-",
            cutoff="-",
            appears=(),
        )
    assert "other_start_rate" not in figures.REGISTRY


def test_a_key_may_not_be_defined_twice():
    with pytest.raises(figures.Clash, match="defined twice"):
        figures.register(
            "start_rate",
            "开工率（另）",
            "x",
            kind="rate",
            places=1,
            period="-",
            cutoff="-",
            appears=(),
        )


def test_every_figure_prints_one_way():
    assert figures.show("amount_rate", Decimal("106.44")) == "106.44%"
    assert figures.show("start_resume_rate", Decimal("78.6")) == "78.6%"
    assert figures.show("amount_rate", None) == "—"
    assert figures.show("plan", Decimal("6000")) == "6,000.00"
    assert figures.show("inv_started", Decimal("2660400.4")) == "2,660,400"
    assert figures.text("yi", Decimal("2660400")) == "266.04"
    assert figures.show("rate_change", Decimal("2.50")) == "+2.50"
    assert figures.show("late", 0) == "0"
