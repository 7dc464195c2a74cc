"""``python manage.py penalty_quote``: what a violation would cost, as JSON.

The same preview the logging form shows (``penalties.selectors.penalties.penalty_preview``):
without ``--occurrence`` the occurrence number comes from the records; with it, the answer
is what the N-th occurrence would cost.
"""

import json
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from conduct.models import Rule, Rulebook
from conduct.selectors.rulebooks import rulebook_version_in_force
from penalties.selectors.penalties import penalty_preview
from staff.models import Employee


def _money(value: str | None, name: str) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise CommandError(f"{name} 不是有效的金额:{value}") from None
    if not number.is_finite():
        raise CommandError(f"{name} 不是有效的金额:{value}")
    return number


class Command(BaseCommand):
    help = "Quote the penalty of a violation of a rule by an employee on a day (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--rulebook", required=True, help="rulebook code")
        parser.add_argument("--rule", required=True, help="rule number")
        parser.add_argument("--employee", required=True, help="employee number (工号)")
        parser.add_argument("--on", required=True, help="date of the violation, YYYY-MM-DD")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--severity", help="severity level code")
        group.add_argument("--amount", help="amount chosen inside the range")
        parser.add_argument(
            "--amount2", help="amount of the second range charge (e.g. the compensation)"
        )
        parser.add_argument("--involved", help="amount involved")
        parser.add_argument("--occurrence", type=int, help="quote the N-th occurrence")
        parser.add_argument("--quantity", type=int, default=1, help="households, covers …")
        parser.add_argument("--sanction", default="", help="sanction chosen by severity")

    def handle(self, *args, **options):
        try:
            on = date.fromisoformat(options["on"])
        except ValueError:
            raise CommandError(f"日期格式应为 YYYY-MM-DD:{options['on']}") from None
        rulebook = Rulebook.objects.filter(code=options["rulebook"]).first()
        if rulebook is None:
            raise CommandError(f"没有代码为 {options['rulebook']} 的规章制度")
        employee = (
            Employee.objects.select_related("department", "supervisor")
            .filter(employee_no=options["employee"])
            .first()
        )
        if employee is None:
            raise CommandError(f"没有工号为 {options['employee']} 的员工")
        version = rulebook_version_in_force(rulebook=rulebook, on=on)
        if version is None:
            raise CommandError(f"{on} 没有生效的《{rulebook.name}》版本")
        rule = (
            Rule.objects.select_related("version__rulebook", "category")
            .filter(version=version, number=options["rule"])
            .first()
        )
        if rule is None:
            raise CommandError(f"{version} 中没有第{options['rule']}条")
        if options["occurrence"] is not None and options["occurrence"] < 1:
            raise CommandError("违反次数必须不小于1")
        if options["quantity"] < 1:
            raise CommandError("数量必须不小于1")
        try:
            preview = penalty_preview(
                employee=employee,
                rule=rule,
                occurred_on=on,
                level=options["severity"],
                chosen_amount=_money(options["amount"], "--amount"),
                involved_amount=_money(options["involved"], "--involved"),
                second_amount=_money(options["amount2"], "--amount2"),
                quantity=options["quantity"],
                sanction_choice=options["sanction"],
                occurrence=options["occurrence"],
            )
        except ValidationError as exc:
            raise CommandError(";".join(str(m) for m in exc.messages)) from None
        self.stdout.write(json.dumps(preview, ensure_ascii=False, indent=2))
