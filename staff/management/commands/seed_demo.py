"""Fills the database with a living demo: the organisation, every rulebook fixture, and
whatever demo records each capability adds. Safe to run again: nothing is duplicated."""

import importlib
import random

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.demo import DEMO_PASSWORD

# Each app's demo module, in dependency order. A module seeds with
# ``seed(*, rng, today) -> dict`` and is skipped if the app has none yet.
DEMO_MODULES = [
    "staff.demo",
    "conduct.demo",
    "penalties.demo",
    "rewards.demo",
    "attendance.demo",
    "payroll.demo",
]


class Command(BaseCommand):
    help = "Load the demo company, the rulebooks and demo records (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="random seed")

    def handle(self, *args, seed: int, **options):
        today = timezone.localdate()
        logins = []
        for name in DEMO_MODULES:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise
                continue
            with transaction.atomic():
                result = module.seed(rng=random.Random(f"{seed}:{name}"), today=today) or {}
            logins.extend(result.pop("logins", []))
            summary = ", ".join(f"{k}={v}" for k, v in result.items())
            self.stdout.write(f"{name}: {summary or 'ok'}")
        if logins:
            self.stdout.write(self.style.SUCCESS(_("Demo logins (password: %s)") % DEMO_PASSWORD))
            for username, role in logins:
                self.stdout.write(f"  {username:<10} {role}")
