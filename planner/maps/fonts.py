"""A Simplified-Chinese font for the image and the HTML pages, from the ``pylopdf-fonts-zh-cn`` package.

``pylopdf-fonts-zh-cn`` (PyPI, SIL Open Font License 1.1) ships Noto Sans SC, so Chinese
labels render as characters on a machine that ran only ``pip install .``. Matplotlib gets
the whole font; HTML pages get a subset holding only the characters they use, embedded as
a data URI (a few tens of kB), so that they show Chinese without any installed CJK font.
"""

from __future__ import annotations

import base64
import io
import re
from contextlib import AbstractContextManager
from functools import lru_cache
from pathlib import Path
from typing import Any

CSS_FAMILY = "Planner CJK"
"""CSS font-family name of the embedded subset."""

FALLBACK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
                     "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei")
"""Installed fonts tried when the packaged font is missing."""


@lru_cache(maxsize=1)
def cjk_font_path() -> Path | None:
    """Path of a font file with Simplified-Chinese glyphs: the packaged Noto Sans SC, else an installed one."""
    try:
        import pylopdf_fonts_zh_cn

        path = Path(pylopdf_fonts_zh_cn.sans_path())
        if path.is_file():
            return path
    except ImportError:
        pass
    from matplotlib import font_manager

    for family in FALLBACK_FAMILIES:
        found = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        if found:
            return Path(found)
    return None


@lru_cache(maxsize=1)
def matplotlib_family() -> str | None:
    """Register the CJK font with matplotlib and return its family name (None when there is none)."""
    path = cjk_font_path()
    if path is None:
        return None
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def rc_params() -> dict[str, Any]:
    """Matplotlib settings that draw Chinese with the CJK font (Latin falls back to DejaVu Sans) and show every
    label as written: mathtext off, so a pair of ``$`` in a scenario's name is not read as a formula."""
    family = matplotlib_family()
    fonts = [family, "DejaVu Sans"] if family else ["DejaVu Sans"]
    return {"font.family": "sans-serif", "font.sans-serif": fonts, "axes.unicode_minus": False,
            "text.parse_math": False}


def cjk_context() -> AbstractContextManager[None]:
    """A matplotlib ``rc_context`` with :func:`rc_params`: figures drawn inside it show Chinese."""
    import matplotlib

    return matplotlib.rc_context(rc_params())  # type: ignore[arg-type]


CJK_START = 0x2E80
"""First code point given to the CJK font (CJK radicals, punctuation, ideographs, full-width forms);
Latin, punctuation such as "—" and "×", and symbols keep the page's sans-serif font."""


def page_characters(html: str) -> str:
    """The CJK characters of an HTML page, including those written as ``\\uXXXX`` in its scripts."""
    chars = {c for c in html if ord(c) >= CJK_START}
    chars |= {chr(int(h, 16)) for h in re.findall(r"\\u([0-9a-fA-F]{4})", html) if int(h, 16) >= CJK_START}
    return "".join(sorted(c for c in chars if not 0xD800 <= ord(c) <= 0xDFFF))


def font_face_css(text: str) -> str:
    """A ``@font-face`` rule for :data:`CSS_FAMILY` holding the glyphs of `text` ("" if none are needed)."""
    path = cjk_font_path()
    if path is None or not text:
        return ""
    data = _subset(path, text)
    return (f"@font-face {{ font-family: '{CSS_FAMILY}'; font-style: normal; font-weight: 400; "
            f"unicode-range: {unicode_range(text)}; "
            f"src: url(data:font/woff;base64,{base64.b64encode(data).decode('ascii')}) format('woff'); }}")


def unicode_range(text: str) -> str:
    """A CSS ``unicode-range`` value covering exactly the characters of `text`."""
    points = sorted({ord(c) for c in text})
    spans: list[tuple[int, int]] = []
    for point in points:
        if spans and point == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], point)
        else:
            spans.append((point, point))
    return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in spans)


@lru_cache(maxsize=32)
def _subset(path: Path, text: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.notdef_outline = True
    options.hinting = False
    font = TTFont(str(path), lazy=True, fontNumber=0)
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff"
    font.save(buffer)
    return buffer.getvalue()


def embed_page_font(html: str) -> str:
    """Insert into `html`'s head a ``<style>`` with the CJK subset for the characters the page uses."""
    css = font_face_css(page_characters(html))
    if not css:
        return html
    return html.replace("</head>", f"<style>{css}</style>\n</head>", 1)
