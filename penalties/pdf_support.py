"""What every notice PDF shares: WeasyPrint, Noto CJK, A4, the house layout, Chinese.

``penalties.notices_pdf`` (处罚通知书) and ``rewards.notices_pdf`` (奖励通知书) are the
same kind of paper: a numbered, dated document in Chinese whatever language the screen
is in. ``render_pdf`` renders a template with zh-hans active; a notice template writes
``<style>{% include "penalties/notice.css" %}</style>`` (page, fonts, header, tables,
signatures) and adds only what is its own.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

NOTICE_LANGUAGE = "zh-hans"

# WeasyPrint logs every layout step at INFO; the site's log wants only its problems.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def render_pdf(*, template: str, context: dict[str, Any]) -> bytes:
    """Render ``template`` in Chinese with the shared notice layout, as PDF bytes."""
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    with translation.override(NOTICE_LANGUAGE):
        html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
