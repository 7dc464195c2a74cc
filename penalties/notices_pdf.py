"""The penalty notice (处罚通知书) as a PDF: WeasyPrint, Noto CJK, A4.

Renders what it is given. A notice carries a frozen ``snapshot`` (plain strings and
numbers, written once when the notice was issued, see ``penalties.services.notices``),
so the same notice prints the same text today and in five years, whatever happened to
the rulebook, the employee's department or the approver's name since. Only the status
banner (superseded by a later notice, penalty revoked or voided, acknowledged online) is
read live, because it is about the notice, not in it. A rendered notice is kept and read
back while its HTML (snapshot and live lines) is unchanged (``penalties.pdf_support``).

The notice is a document in Chinese whatever language the screen is in: it is rendered
with zh-hans active, so the same notice is the same paper for everyone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from penalties.pdf_support import NOTICE_LANGUAGE, render_pdf

TEMPLATE = "penalties/notice_pdf.html"


def _banner(notice: Any) -> str:
    """Why a notice no longer holds, printed across its top (live, not frozen)."""
    from penalties.models import PenaltyStatus

    if not getattr(notice, "is_current", True):
        return str(_("Replaced by a later notice — no longer valid."))
    status = getattr(getattr(notice, "penalty", None), "status", None)
    if status == PenaltyStatus.REVOKED:
        return str(_("Penalty revoked on appeal — no longer valid."))
    if status == PenaltyStatus.VOIDED:
        return str(_("Penalty voided — no longer valid."))
    return ""


def _acknowledgement(notice: Any) -> str:
    from penalties.services.notices import cn_datetime, person_name

    if getattr(notice, "acknowledged_at", None) is None:
        return ""
    return str(_("Acknowledged online by %(name)s on %(when)s (IP %(ip)s).")) % {
        "name": person_name(notice.acknowledged_by),
        "when": cn_datetime(notice.acknowledged_at),
        "ip": notice.acknowledged_ip or "—",
    }


def _notice_context(notice: Any) -> dict[str, Any]:
    return {
        "number": notice.number,
        "s": dict(notice.snapshot or {}),
        "banner": _banner(notice),
        "acknowledgement": _acknowledgement(notice),
    }


def _render(notices: list[Any], *, cache: bool = False) -> bytes:
    with translation.override(NOTICE_LANGUAGE):  # the banners are part of the paper
        context = {"notices": [_notice_context(notice) for notice in notices]}
    return render_pdf(template=TEMPLATE, context=context, cache=cache)


def penalty_notice_pdf(*, notice: Any) -> bytes:
    """One notice as a PDF document (A4, one or two pages). Kept once rendered: the same
    notice in the same state is read back, not rendered again (``render_pdf``)."""
    return _render([notice], cache=True)


def penalty_notices_pdf(*, notices: Iterable[Any]) -> bytes:
    """Several notices as one PDF, each starting on a new page (HR prints a month)."""
    items = list(notices)
    return _render(items)
