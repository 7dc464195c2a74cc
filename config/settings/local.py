"""Local development and the zero-setup demo: SQLite unless DATABASE_URL says otherwise."""

import os
import secrets

from .base import *  # noqa: F403
from .base import BASE_DIR, env_bool

DEBUG = env_bool("DEBUG", True)


def _local_secret_key() -> str:
    """A key generated once per checkout and kept out of git (var/ is ignored)."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = BASE_DIR / "var" / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _local_secret_key()
