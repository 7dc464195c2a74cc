"""The kept notice PDFs can be pruned by age; a pruned notice is simply rendered again."""

import os
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone

from penalties import pdf_support


def keep(name: str, days_old: int) -> str:
    path = f"{pdf_support.CACHE_FOLDER}/{name[:2]}/{name}.pdf"
    pdf_support._cache_write(path, b"%PDF-1.7\n...\n%%EOF\n")
    moment = (timezone.now() - timedelta(days=days_old)).timestamp()
    os.utime(default_storage.path(path), (moment, moment))
    return path


@pytest.mark.django_db
def test_files_older_than_the_days_go_and_younger_ones_stay():
    old, recent = keep("aa01", 40), keep("bb02", 3)

    out = StringIO()
    call_command("notice_pdfs_prune", "--days", "30", stdout=out)

    assert not default_storage.exists(old)
    assert default_storage.exists(recent)
    assert "已删除 1 个" in out.getvalue()


@pytest.mark.django_db
def test_a_dry_run_counts_and_removes_nothing():
    old = keep("cc03", 40)

    out = StringIO()
    call_command("notice_pdfs_prune", "--dry-run", stdout=out)

    assert default_storage.exists(old)
    assert "将删除 1 个" in out.getvalue()


@pytest.mark.django_db
def test_no_cache_folder_yet_is_nothing_to_do():
    assert pdf_support.kept_pdfs_prune(older_than=timedelta(days=1)) == (0, 0)


def test_negative_days_are_refused():
    with pytest.raises(CommandError):
        call_command("notice_pdfs_prune", "--days", "-1")
