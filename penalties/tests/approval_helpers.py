"""Test data for approval, notice and appeal tests: a small rulebook and pending penalties
built row by row (the engine and violation logging have their own tests)."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from conduct.models import Category, Rule, Rulebook, RulebookVersion, Violation
from penalties.engine.sanctions import max_rank
from penalties.models import Penalty, PenaltyParty
from penalties.tiers import required_tier

SHANGHAI = ZoneInfo("Asia/Shanghai")
RULE_TEXT = "不准在工作时间内吵架、谩骂、酗酒,影响工作秩序。"

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def rule_14() -> Rule:
    rulebook, _ = Rulebook.objects.get_or_create(
        code="test-hospital", defaults={"name": "全员优质服务规范与处罚细则"}
    )
    version, _ = RulebookVersion.objects.get_or_create(
        rulebook=rulebook, label="2024版", defaults={"effective_from": date(2024, 1, 1)}
    )
    category, _ = Category.objects.get_or_create(
        version=version, position=2, defaults={"name": "劳动纪律“八不准”"}
    )
    rule, _ = Rule.objects.get_or_create(
        version=version,
        number="14",
        defaults={
            "category": category,
            "position": 14,
            "title": "不准吵架谩骂酗酒",
            "text": RULE_TEXT,
            "schedule": {"steps": [{"charges": [{"basis": "fixed", "amount": "200"}]}]},
        },
    )
    return rule


def make_penalty(
    *,
    employee,
    logged_by,
    amount: str | Decimal = "200.00",
    sanctions: list[str] | None = None,
    points: int = 0,
    occurred: datetime | None = None,
    party: str = PenaltyParty.EMPLOYEE,
    description: str = "在营业大厅与客户发生争吵,引起围观。",
    occurrence: int = 1,
) -> Penalty:
    """A logged violation of rule 14 by ``employee`` with one pending penalty."""
    rule = rule_14()
    occurred = occurred or datetime.combine(date(2026, 11, 3), time(9, 20), tzinfo=SHANGHAI)
    violation = Violation.objects.create(
        employee=employee,
        rulebook=rule.version.rulebook,
        rulebook_version=rule.version,
        rule=rule,
        rule_number=rule.number,
        occurred_at=occurred,
        occurred_on=occurred.astimezone(SHANGHAI).date(),
        place="营业大厅",
        source="complaint",
        description=description,
        occurrence=occurrence,
        explanation=f"第{occurrence}次违反,固定罚款:¥{Decimal(amount):.0f}",
        logged_by=logged_by,
    )
    amount = Decimal(amount)
    sanctions = sanctions or []
    return Penalty.objects.create(
        violation=violation,
        party=party,
        employee=employee if party != PenaltyParty.DEPARTMENT else None,
        department=employee.department,
        is_primary=party == PenaltyParty.EMPLOYEE,
        money_kind="fine" if amount else "",
        amount=amount,
        sanctions=sanctions,
        points=points,
        explanation=violation.explanation,
        required_tier=required_tier(amount=amount, max_sanction_rank=max_rank(sanctions)),
    )


def restore_roles() -> None:
    """Recreate the role groups and their grants after a transactional test's flush.

    The groups and their permissions come from data migrations (``create_roles`` and each
    app's ``grant_*``), and a flush at the end of any ``transaction=True`` test removes
    them. This runs those data migrations' functions again, found in every app's
    migrations, so it keeps up with apps added later."""
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    graph = MigrationLoader(connection).graph
    plan = list(dict.fromkeys(n for leaf in graph.leaf_nodes() for n in graph.forwards_plan(leaf)))
    for node in plan:
        for operation in graph.nodes[node].operations:
            code = getattr(operation, "code", None)
            if isinstance(operation, RunPython) and code.__name__.startswith(
                ("grant", "create_roles")
            ):
                code(apps, None)
