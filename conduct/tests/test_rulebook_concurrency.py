"""Two HR officers making the next version of the same rulebook at the same moment: the
rulebook row is locked, so exactly one version is made and the versions never overlap."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone

from conduct.models import RulebookVersion
from conduct.services.rulebooks import rulebook_version_create_next
from conduct.tests.test_rulebook_support import load_book


@pytest.mark.django_db(transaction=True)
def test_concurrent_next_versions_do_not_overlap():
    version = load_book()
    start = timezone.localdate() + timedelta(days=7)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def make(label: str) -> None:
        try:
            barrier.wait(timeout=10)
            rulebook_version_create_next(version=version, label=label, effective_from=start)
            outcomes.append("made")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=make, args=(label,)) for label in ("v2-a", "v2-b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["made", "refused"]
    versions = list(RulebookVersion.objects.order_by("effective_from"))
    assert len(versions) == 2
    assert versions[0].effective_to == start - timedelta(days=1)
    assert versions[1].effective_from == start
