"""The notice fonts, cut down once per process so that every PDF embeds them cheaply.

The notices are set in Noto Serif/Sans CJK SC. The installed fonts are collections
(``.ttc``) of 20–27 MB with ~65,000 glyphs each; WeasyPrint copies the whole collection
into memory for every font of every document and subsets it with HarfBuzz keeping the
glyph numbers (``RETAIN_GIDS``), which for a CJK font means tables sized by the highest
glyph used, ~65,000 entries: about 30 ms a face, four faces, 110–130 ms of a 300 ms
notice, and 450 KB of PDF.

So, once per process, each of the four faces the notices use is cut down with HarfBuzz's
subsetter (C, ~0.1–0.2 s a face) to the characters of GB 2312 (the 6,763 hanzi of
everyday Chinese, its symbols) plus ASCII, Latin-1, general and CJK punctuation and the
full-width forms: ~7,900 characters, glyphs renumbered from 1. Those faces are handed to
WeasyPrint as ``@font-face`` families (``JC Notice Serif`` / ``JC Notice Sans``, regular
and bold) by :func:`font_face_css`; the notice stylesheet names them first and the
installed Noto families after them, so a character outside the cut-down set (a rare
hanzi in a name) is still printed, in the same design, from the installed font; only that
document pays the full font's cost.

Nothing here is required: without HarfBuzz-subset, fontconfig or the Noto CJK fonts,
:func:`font_face_css` returns "" and the notices use the installed fonts as before.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass

logger = logging.getLogger(__name__)

SCHEME = "jc-notice-font:"


@dataclass(frozen=True)
class Face:
    key: str  # used in the URL the stylesheet names
    family: str  # the @font-face family the notice CSS names
    bold: bool
    source_family: str  # the installed family it is cut from


FACES = (
    Face("serif-regular", "JC Notice Serif", False, "Noto Serif CJK SC"),
    Face("serif-bold", "JC Notice Serif", True, "Noto Serif CJK SC"),
    Face("sans-regular", "JC Notice Sans", False, "Noto Sans CJK SC"),
    Face("sans-bold", "JC Notice Sans", True, "Noto Sans CJK SC"),
)

# fontconfig weights (fontconfig.h): regular 80, bold 200.
FC_WEIGHT_REGULAR = 80
FC_WEIGHT_BOLD = 200


def charset() -> list[int]:
    """The code points kept: GB 2312 (hanzi and its symbols), ASCII, Latin-1, general
    punctuation, CJK symbols and punctuation, full-width forms."""
    points = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    points |= set(range(0x2000, 0x2070)) | set(range(0x3000, 0x3040))
    points |= set(range(0xFF00, 0xFFF0))
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                points.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return sorted(points)


_CDEF = """
typedef struct _FcPattern FcPattern;
typedef struct _FcConfig FcConfig;
typedef unsigned char FcChar8;
typedef int FcBool;
typedef enum { FcResultMatch, FcResultNoMatch, FcResultTypeMismatch, FcResultNoId,
               FcResultOutOfMemory } FcResult;
typedef enum { FcMatchPattern, FcMatchFont, FcMatchScan } FcMatchKind;
FcPattern * FcNameParse (const FcChar8 *name);
FcBool FcConfigSubstitute (FcConfig *config, FcPattern *p, FcMatchKind kind);
void FcDefaultSubstitute (FcPattern *pattern);
FcPattern * FcFontMatch (FcConfig *config, FcPattern *p, FcResult *result);
FcResult FcPatternGetString (const FcPattern *p, const char *object, int n, FcChar8 **s);
FcResult FcPatternGetInteger (const FcPattern *p, const char *object, int n, int *i);
void FcPatternDestroy (FcPattern *p);

typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
typedef uint32_t hb_codepoint_t;
hb_blob_t * hb_blob_create_from_file_or_fail (const char *file_name);
void hb_blob_destroy (hb_blob_t *blob);
const char * hb_blob_get_data (hb_blob_t *blob, unsigned int *length);
hb_face_t * hb_face_create (hb_blob_t *blob, unsigned int index);
void hb_face_destroy (hb_face_t *face);
hb_blob_t * hb_face_reference_blob (hb_face_t *face);
unsigned int hb_face_get_glyph_count (const hb_face_t *face);
void hb_set_add (hb_set_t *set, hb_codepoint_t codepoint);
hb_subset_input_t * hb_subset_input_create_or_fail (void);
void hb_subset_input_destroy (hb_subset_input_t *input);
hb_set_t * hb_subset_input_unicode_set (hb_subset_input_t *input);
hb_face_t * hb_subset_or_fail (hb_face_t *source, const hb_subset_input_t *input);
hb_set_t * hb_subset_input_set (hb_subset_input_t *input, int set_type);
void hb_subset_input_set_flags (hb_subset_input_t *input, unsigned value);
void hb_set_clear (hb_set_t *set);
uint32_t hb_tag_from_string (const char *str, int len);
"""

# hb-subset.h
HB_SUBSET_FLAGS_NO_HINTING = 0x1
HB_SUBSET_FLAGS_DESUBROUTINIZE = 0x4
HB_SUBSET_SETS_LAYOUT_FEATURE_TAG = 6
# The OpenType features kept: kerning only. The default set also keeps vertical forms,
# alternates and the like, whose glyphs (~5,600 more) the notices never show but every
# render would subset again; without them a face subsets in ~8 ms instead of ~16 ms.
# WeasyPrint strips hinting and subroutines of every embedded font anyway.
KEPT_FEATURES = (b"kern",)


class _Libraries:
    def __init__(self):
        from cffi import FFI  # WeasyPrint's own dependency

        self.ffi = FFI()
        self.ffi.cdef(_CDEF)
        self.fc = self.ffi.dlopen("libfontconfig.so.1")
        self.hb = self.ffi.dlopen("libharfbuzz.so.0")
        self.hb_subset = self.ffi.dlopen("libharfbuzz-subset.so.0")

    def find(self, family: str, *, bold: bool) -> tuple[str, int] | None:
        """The file and face index fontconfig gives for ``family``, if it is that
        family in that weight (not a substitute)."""
        ffi, fc = self.ffi, self.fc
        weight = FC_WEIGHT_BOLD if bold else FC_WEIGHT_REGULAR
        pattern = fc.FcNameParse(f"{family}:weight={weight}".encode())
        if pattern == ffi.NULL:
            return None
        try:
            fc.FcConfigSubstitute(ffi.NULL, pattern, fc.FcMatchPattern)
            fc.FcDefaultSubstitute(pattern)
            result = ffi.new("FcResult *")
            match = fc.FcFontMatch(ffi.NULL, pattern, result)
        finally:
            fc.FcPatternDestroy(pattern)
        if match == ffi.NULL:
            return None
        try:
            string = ffi.new("FcChar8 **")
            families = []
            n = 0
            while fc.FcPatternGetString(match, b"family", n, string) == fc.FcResultMatch:
                families.append(ffi.string(string[0]).decode())
                n += 1
            integer = ffi.new("int *")
            if fc.FcPatternGetInteger(match, b"weight", 0, integer) != fc.FcResultMatch:
                return None
            found_weight = integer[0]
            if fc.FcPatternGetInteger(match, b"index", 0, integer) != fc.FcResultMatch:
                return None
            index = integer[0]
            if fc.FcPatternGetString(match, b"file", 0, string) != fc.FcResultMatch:
                return None
            path = ffi.string(string[0]).decode()
        finally:
            fc.FcPatternDestroy(match)
        if family not in families or (found_weight >= 150) != bold:
            return None
        return path, index

    def subset(self, path: str, index: int, points: list[int]) -> bytes | None:
        """The face ``index`` of ``path`` cut down to ``points`` (glyphs renumbered)."""
        ffi, hb, hbs = self.ffi, self.hb, self.hb_subset
        blob = hb.hb_blob_create_from_file_or_fail(path.encode())
        if blob == ffi.NULL:
            return None
        face = hb.hb_face_create(blob, index)
        hb.hb_blob_destroy(blob)  # the face holds its own reference
        subset_input = hbs.hb_subset_input_create_or_fail()
        try:
            if hb.hb_face_get_glyph_count(face) == 0 or subset_input == ffi.NULL:
                return None
            unicodes = hbs.hb_subset_input_unicode_set(subset_input)
            for point in points:
                hb.hb_set_add(unicodes, point)
            features = hbs.hb_subset_input_set(subset_input, HB_SUBSET_SETS_LAYOUT_FEATURE_TAG)
            hb.hb_set_clear(features)
            for tag in KEPT_FEATURES:
                hb.hb_set_add(features, hb.hb_tag_from_string(tag, -1))
            hbs.hb_subset_input_set_flags(
                subset_input, HB_SUBSET_FLAGS_NO_HINTING | HB_SUBSET_FLAGS_DESUBROUTINIZE
            )
            result = hbs.hb_subset_or_fail(face, subset_input)
            if result == ffi.NULL:
                return None
            out = hb.hb_face_reference_blob(result)
            length = ffi.new("unsigned int *")
            data = hb.hb_blob_get_data(out, length)
            content = ffi.unpack(data, length[0]) if data != ffi.NULL else b""
            hb.hb_blob_destroy(out)
            hb.hb_face_destroy(result)
            return content or None
        finally:
            if subset_input != ffi.NULL:
                hbs.hb_subset_input_destroy(subset_input)
            hb.hb_face_destroy(face)


_lock = threading.Lock()
_made: tuple[dict[str, bytes], str] | None = None


def notice_fonts() -> dict[str, bytes]:
    """``{url: font bytes}`` of the cut-down faces, made once per process; empty when
    any face cannot be made (then every notice uses the installed fonts)."""
    return _make()[0]


def fonts_tag() -> str:
    """The digests of the cut-down faces: part of the name of a kept PDF, so that other
    fonts (installed fonts updated, another cut) give other PDFs."""
    return _make()[1]


def _make() -> tuple[dict[str, bytes], str]:
    global _made
    if _made is None:
        with _lock:
            if _made is None:
                _made = _make_fonts()
    return _made


def _make_fonts() -> tuple[dict[str, bytes], str]:
    try:
        libraries = _Libraries()
        points = charset()
        fonts, sources = {}, []
        for face in FACES:
            found = libraries.find(face.source_family, bold=face.bold)
            content = libraries.subset(*found, points) if found else None
            if content is None:
                logger.warning(
                    "Notice PDFs use the installed fonts: no cut-down %s %s (%s).",
                    face.source_family,
                    "bold" if face.bold else "regular",
                    "not installed" if found is None else "subsetting failed",
                )
                return {}, ""
            fonts[SCHEME + face.key] = content
            sources.append(f"{face.key}={hashlib.sha256(content).hexdigest()}")
        return fonts, " ".join(sources)
    except (OSError, AttributeError) as exc:  # a library or one of its symbols missing
        logger.warning("Notice PDFs use the installed fonts: %s", exc)
        return {}, ""


def font_face_css() -> str:
    """The ``@font-face`` rules of the cut-down faces ("" when there are none)."""
    fonts = notice_fonts()
    if not fonts:
        return ""
    return "\n".join(
        f'@font-face {{ font-family: "{face.family}"; src: url("{SCHEME}{face.key}"); '
        f"font-weight: {'bold' if face.bold else 'normal'}; font-style: normal; }}"
        for face in FACES
    )
