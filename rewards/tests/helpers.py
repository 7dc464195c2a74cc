"""Test data for rewards: the seed rulebooks' reward types loaded from the fixtures, and
awards made through the services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.utils import timezone

from conduct.models import RulebookVersion
from conduct.services.rulebooks import rulebook_version_load
from rewards.models import RewardType
from rewards.services.catalogue import reward_types_load

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "rulebooks"

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def fixture_data(code: str) -> dict:
    with (FIXTURES / f"{code}.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_types(*codes: str) -> dict[str, RewardType]:
    """Load the rulebooks ``codes`` from the fixtures with their reward types; returns
    the reward types by ``"<rulebook>/<code>"``."""
    for code in codes:
        data = fixture_data(code)
        rulebook_version_load(data=data, replace=True)
        for version_data in data["versions"]:
            version = RulebookVersion.objects.get(rulebook__code=code, label=version_data["label"])
            reward_types_load(version=version, data=version_data.get("reward_types"))
    return {
        f"{t.version.rulebook.code}/{t.code}": t
        for t in RewardType.objects.select_related("version__rulebook")
    }


def today() -> date:
    return timezone.localdate()


def yuan(value: str) -> Decimal:
    return Decimal(value)


REWARD_MIGRATIONS = [
    ("staff.migrations.0002_roles", "create_roles"),
    ("penalties.migrations.0001_penalties", "grant_penalty_permissions"),
    ("penalties.migrations.0003_approval_roles", "grant_approval_permissions"),
    ("rewards.migrations.0002_permissions", "grant_reward_permissions"),
]


def restore_roles() -> None:
    """Recreate the role groups and their grants (a transactional test's flush removed
    what the data migrations made)."""
    import importlib

    from django.apps import apps

    for module, function in REWARD_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)
