"""The reward notice (奖励通知书) as a PDF, rendered like the penalty notice
(``penalties.pdf_support``: WeasyPrint, Noto CJK, A4, in Chinese whatever the screen's
language). Renders what it is given: the notice's frozen ``snapshot``; only the banner
(the award voided since) is read live, because it is about the notice, not in it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from penalties.pdf_support import render_pdf

TEMPLATE = "rewards/notice_pdf.html"


def _banner(notice: Any):
    """Lazy text: translated when the notice renders (in Chinese)."""
    from rewards.models import AwardStatus

    if getattr(getattr(notice, "award", None), "status", None) == AwardStatus.VOIDED:
        return _("Award voided — no longer valid.")
    return ""


def _context(notice: Any) -> dict[str, Any]:
    return {"number": notice.number, "s": dict(notice.snapshot or {}), "banner": _banner(notice)}


def reward_notice_pdf(*, notice: Any) -> bytes:
    """One reward notice as a PDF document (A4); kept once rendered and read back while
    the notice is unchanged (``penalties.pdf_support.render_pdf``)."""
    return render_pdf(template=TEMPLATE, context={"notices": [_context(notice)]}, cache=True)


def reward_notices_pdf(*, notices: Iterable[Any]) -> bytes:
    """Several reward notices as one PDF, each starting on a new page."""
    items = list(notices)
    return render_pdf(template=TEMPLATE, context={"notices": [_context(n) for n in items]})
