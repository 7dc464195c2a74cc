"""What every notice PDF shares: WeasyPrint, Noto CJK, A4, the house layout, Chinese.

``penalties.notices_pdf`` (处罚通知书) and ``rewards.notices_pdf`` (奖励通知书) are the
same kind of paper: a numbered, dated document in Chinese whatever language the screen
is in. ``render_pdf`` renders a template with zh-hans active and gives it ``notice_css``,
the layout both notices use (page, fonts, header, tables, signatures); a notice template
writes ``<style>{{ notice_css }}</style>`` and adds only what is its own.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

NOTICE_LANGUAGE = "zh-hans"

# WeasyPrint logs every layout step at INFO; the site's log wants only its problems.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

NOTICE_CSS = mark_safe(
    """
  @page {
    size: A4;
    margin: 18mm 18mm 20mm 18mm;
    @bottom-left { content: string(noticeno); font-size: 8pt; color: #666; }
    @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; color: #666; }
  }
  html { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 10.5pt;
         line-height: 1.55; color: #111; }
  .notice { page-break-after: always; }
  .notice:last-child { page-break-after: auto; }
  .company { text-align: center; font-size: 13pt; letter-spacing: .1em; margin: 0; }
  h1 { text-align: center; font-size: 20pt; letter-spacing: .5em; margin: 2mm 0 1mm 0;
       font-family: "Noto Sans CJK SC", sans-serif; }
  .number { text-align: right; font-family: "Noto Sans Mono CJK SC", monospace; font-size: 10pt;
            string-set: noticeno content(); margin: 0 0 2mm 0; }
  .banner { border: 2px solid #b00; color: #b00; text-align: center; font-weight: bold;
            padding: 2mm; margin: 2mm 0; }
  table { width: 100%; border-collapse: collapse; margin: 0 0 3mm 0; }
  th, td { border: .6pt solid #444; padding: 1.4mm 2mm; vertical-align: top; text-align: left; }
  th { width: 22%; background: #f1f1f1; font-weight: bold;
       font-family: "Noto Sans CJK SC", sans-serif; font-size: 9.5pt; }
  td.amount { font-size: 12pt; font-weight: bold; }
  h2 { font-size: 11.5pt; margin: 4mm 0 1.5mm 0; font-family: "Noto Sans CJK SC", sans-serif;
       border-bottom: .8pt solid #111; padding-bottom: .5mm; }
  .rule-text { white-space: pre-wrap; }
  .small { font-size: 9pt; color: #333; }
  .chain td, .chain th { font-size: 9.5pt; }
  .chain th { width: auto; }
  .signatures { margin-top: 6mm; width: 100%; }
  .signatures td { border: none; padding: 5mm 0 0 0; width: 50%; }
  .line { display: inline-block; border-bottom: .8pt solid #111; min-width: 42mm; }
  .short { min-width: 28mm; }
  .issuer { text-align: right; margin-top: 5mm; }
"""
)


def render_pdf(*, template: str, context: dict[str, Any]) -> bytes:
    """Render ``template`` in Chinese with the shared notice layout, as PDF bytes."""
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    with translation.override(NOTICE_LANGUAGE):
        html = render_to_string(template, {"notice_css": NOTICE_CSS, **context})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
