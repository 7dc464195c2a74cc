"""The project as a whole: apps wired in, migrations complete, deploy checks clean,
the zh-Hans catalogue complete and compiled."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "audit",
    "staff",
    "conduct",
    "penalties",
    "rewards",
    "attendance",
    "payroll",
    "reports",
    "scale",
    "jobs",
]


def test_every_product_app_is_installed():
    for label in APPS:
        assert apps.get_app_config(label).path == str(ROOT / label)


@pytest.mark.django_db
def test_no_migration_is_missing():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _manage(*args, env_overrides):
    env = {**os.environ, **env_overrides}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_is_clean_locally():
    result = _manage("check", env_overrides={"DJANGO_SETTINGS_MODULE": "config.settings.local"})
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_is_clean_in_production():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "x" * 60 + "-production-like-secret-key-for-the-check",
            "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://u@127.0.0.1/db"),
            "ALLOWED_HOSTS": "jiangcheng.example.com",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage(
        "check",
        env_overrides={"DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": ""},
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


IGNORED = shutil.ignore_patterns(
    ".venv", "var", ".git", "staticfiles", "__pycache__", "*.sqlite3", "node_modules", "static"
)


def catalogues(root: Path) -> list[Path]:
    return sorted(
        path
        for path in root.glob("**/locale/zh_Hans/LC_MESSAGES/django.po")
        if ".venv" not in path.parts
    )


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="needs gettext (make test installs it)"
)
def test_zh_hans_catalogues_are_complete_for_the_current_source(tmp_path):
    """Extract the messages afresh in a copy of the source: no catalogue may gain an
    entry, or hold an untranslated or fuzzy one."""
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=IGNORED)
    result = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=copy,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "PYTHONPATH": str(copy),
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found = catalogues(copy)
    assert {path.relative_to(copy).parts[0] for path in found} >= {"locale", "staff"}
    for path in found:
        catalogue = polib.pofile(str(path))
        untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
        fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
        assert not untranslated, f"{path.relative_to(copy)} untranslated: {untranslated[:20]}"
        assert not fuzzy, f"{path.relative_to(copy)} fuzzy: {fuzzy[:20]}"


@pytest.mark.parametrize("po", catalogues(ROOT), ids=lambda path: str(path.relative_to(ROOT)))
def test_compiled_catalogue_matches_its_source(po):
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} missing: run make messages"
    compiled = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in polib.mofile(str(mo))}
    stale = [
        entry.msgid
        for entry in polib.pofile(str(po)).translated_entries()
        if not entry.msgid_plural and compiled.get((entry.msgctxt, entry.msgid)) != entry.msgstr
    ]
    assert not stale, f"{mo} is stale (run make messages): {stale[:10]}"
