"""Demo: every rulebook fixture in fixtures/rulebooks/."""

from pathlib import Path

import yaml
from django.conf import settings

from .services.rulebooks import rulebook_version_load

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "rulebooks"


def load_fixture(path: Path):
    with path.open(encoding="utf-8") as handle:
        return rulebook_version_load(data=yaml.safe_load(handle), replace=True)


def seed(*, rng, today) -> dict:
    loaded = [load_fixture(path) for path in sorted(FIXTURES.glob("*.yaml"))]
    return {"rulebooks": len(loaded)}
