"""What every notice PDF shares: WeasyPrint, Noto CJK, A4, the house layout, Chinese.

``penalties.notices_pdf`` (处罚通知书) and ``rewards.notices_pdf`` (奖励通知书) are the
same kind of paper: a numbered, dated document in Chinese whatever language the screen
is in. ``render_pdf`` renders a template with zh-hans active and lays it out with the
shared stylesheet ``penalties/notice.css`` (page, fonts, header, tables, signatures); a
notice template adds in its own ``<style>`` only what is its own.

Speed (issue 11: one notice < 300 ms). Per thread, once: WeasyPrint's
``FontConfiguration`` and the parsed stylesheet, with the notice faces cut down to
everyday Chinese (``penalties.pdf_fonts``) registered in it. A render is then the HTML
parse, the layout and the PDF, with a small font to subset (~120 ms instead of ~300 ms).
Gunicorn's workers are synchronous and single-threaded; a threaded server gets one
configuration per thread, because Pango/fontconfig objects must not be shared between
threads.

Rendered once, kept: ``render_pdf(..., cache=True)`` (one notice) keeps the PDF under
``MEDIA_ROOT/notice-pdfs/`` named by the SHA-256 of everything it is made of: the HTML
(the frozen snapshot *and* the live parts: banner, acknowledgement, translations), the
stylesheet, the fonts and WeasyPrint's version. A notice acknowledged, replaced, voided
or revoked since renders different HTML, so a different file: nothing to invalidate, and
a stale PDF cannot be served. The folder is a cache: it can be deleted at any time, and
``manage.py notice_pdfs_prune`` removes files older than some days (``kept_pdfs_prune``).
"""

from __future__ import annotations

import atexit
import gc
import hashlib
import logging
import re
import threading
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation

from penalties.pdf_fonts import SCHEME, font_face_css, fonts_tag, notice_fonts

NOTICE_LANGUAGE = "zh-hans"
STYLESHEET = "penalties/notice.css"
CACHE_FOLDER = "notice-pdfs"

logger = logging.getLogger(__name__)

# WeasyPrint logs every layout step at INFO; the site's log wants only its problems.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class _OpenArrays:
    """WeasyPrint's ``ffi`` for its font subsetting, with ``new`` allocating sized
    arrays as open ones.

    WeasyPrint 70 passes its glyph lists to HarfBuzz as
    ``ffi.new(f"hb_codepoint_t[{len(glyphs)}]", glyphs)``: every new length is a new C
    type that cffi parses with pycparser (~3 ms), two per font per PDF, ~15 ms a notice.
    ``ffi.new("hb_codepoint_t[]", glyphs)`` makes the same array from a type parsed once.
    Only a sized array given exactly that many items is rewritten; everything else goes
    to the real ``ffi``."""

    SIZED = re.compile(r"(\w+)\[(\d+)\]")

    def __init__(self, ffi) -> None:
        self._ffi = ffi

    def __getattr__(self, name: str):
        return getattr(self._ffi, name)

    def new(self, cdecl, init=None):
        if isinstance(cdecl, str) and isinstance(init, (list, tuple)):
            sized = self.SIZED.fullmatch(cdecl)
            if sized and len(init) == int(sized[2]):
                return self._ffi.new(f"{sized[1]}[]", init)
        return self._ffi.new(cdecl, init)


def _open_arrays_in_font_subsetting() -> None:
    from weasyprint.pdf import fonts

    if not isinstance(fonts.ffi, _OpenArrays):
        fonts.ffi = _OpenArrays(fonts.ffi)


class _Renderer:
    """One thread's WeasyPrint font configuration and parsed stylesheets."""

    def __init__(self) -> None:
        import weasyprint  # heavy import, only when a PDF is asked for
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import URLFetcher, URLFetcherResponse

        _open_arrays_in_font_subsetting()
        fonts = notice_fonts()

        class FontFetcher(URLFetcher):
            """Serves the cut-down faces from memory to the @font-face rules."""

            def fetch(self, url, headers=None):
                if url.startswith(SCHEME) and url in fonts:
                    return URLFetcherResponse(url, body=fonts[url])
                return super().fetch(url, headers)

        self._html = weasyprint.HTML
        self.font_config = FontConfiguration()
        css = render_to_string(STYLESHEET)
        faces = font_face_css()
        self.stylesheets = [
            weasyprint.CSS(
                string=faces + css, font_config=self.font_config, url_fetcher=FontFetcher()
            )
        ]
        self.tag = "\n".join(
            [
                f"weasyprint {weasyprint.__version__}",
                f"fonts {fonts_tag() if faces else 'installed'}",
                f"css {hashlib.sha256(css.encode()).hexdigest()}",
            ]
        )

    def write_pdf(self, html: str) -> bytes:
        document = self._html(string=html, base_url=str(settings.BASE_DIR))
        return document.write_pdf(stylesheets=self.stylesheets, font_config=self.font_config)

    def cache_name(self, html: str) -> str:
        digest = hashlib.sha256(f"{self.tag}\n\n{html}".encode()).hexdigest()
        return f"{CACHE_FOLDER}/{digest[:2]}/{digest}.pdf"


_local = threading.local()


@atexit.register
def _close() -> None:
    """Let the main thread's font configuration remove its folder while the interpreter
    still can (its ``__del__`` fails once modules are torn down)."""
    if _local.__dict__.pop("renderer", None) is not None:
        gc.collect()  # the stylesheets and the configuration refer to each other


def _renderer() -> _Renderer:
    renderer = getattr(_local, "renderer", None)
    if renderer is None:
        renderer = _local.renderer = _Renderer()
    return renderer


def _cache_read(name: str) -> bytes | None:
    try:
        with default_storage.open(name, "rb") as file:
            data = file.read()
    except OSError:  # not rendered yet (FileNotFoundError) or unreadable: render
        return None
    # A file another request is still writing is not complete yet: render.
    return data if data.rstrip().endswith(b"%%EOF") else None


def _cache_write(name: str, data: bytes) -> None:
    try:
        if default_storage.exists(name):
            return
        saved = default_storage.save(name, ContentFile(data))
        if saved != name:  # another request stored the same PDF meanwhile
            default_storage.delete(saved)
    except OSError as exc:  # the PDF is served anyway; only the next one renders again
        logger.warning("Could not keep the notice PDF %s: %s", name, exc)


def render_html(*, template: str, context: dict[str, Any]) -> str:
    with translation.override(NOTICE_LANGUAGE):
        return render_to_string(template, context)


def render_pdf(*, template: str, context: dict[str, Any], cache: bool = False) -> bytes:
    """Render ``template`` in Chinese with the shared notice layout, as PDF bytes.

    ``cache=True`` (a single notice): the PDF of the same HTML rendered before is read
    back instead of rendered again (see the module's docstring)."""
    html = render_html(template=template, context=context)
    renderer = _renderer()
    if not cache:
        return renderer.write_pdf(html)
    name = renderer.cache_name(html)
    data = _cache_read(name)
    if data is None:
        data = renderer.write_pdf(html)
        _cache_write(name, data)
    return data


def kept_pdfs_prune(*, older_than, now=None, dry_run: bool = False) -> tuple[int, int]:
    """Remove the kept notice PDFs written more than ``older_than`` (a timedelta) ago:
    those of states since replaced are never read again, and a current one is simply
    rendered again on its next download. Returns (files, bytes) removed (or that would
    be, with ``dry_run``)."""
    from django.utils import timezone

    cutoff = (now or timezone.now()) - older_than
    files = size = 0
    try:
        folders, _files = default_storage.listdir(CACHE_FOLDER)
    except FileNotFoundError:
        return 0, 0
    for folder in folders:
        for filename in default_storage.listdir(f"{CACHE_FOLDER}/{folder}")[1]:
            name = f"{CACHE_FOLDER}/{folder}/{filename}"
            try:
                if default_storage.get_modified_time(name) >= cutoff:
                    continue
                length = default_storage.size(name)
                if not dry_run:
                    default_storage.delete(name)
            except FileNotFoundError:  # removed meanwhile
                continue
            files += 1
            size += length
    return files, size
