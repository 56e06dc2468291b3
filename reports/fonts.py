"""The report's fonts: Debian's fonts-noto-cjk, found through fontconfig and checked at start-up.

GB/T 9704 asks for 宋体/仿宋 in the body and 黑体 in headings. Debian ships no simplified-Chinese
FangSong (fonts-cwtex-fs is a Big5 font), so the body uses Noto Serif CJK SC (a Song face) and the
headings Noto Sans CJK SC (a Hei face). A missing face is an error: WeasyPrint would silently fall
back to another font and print tofu boxes for every Chinese character.

Speed: WeasyPrint subsets the embedded fonts when it writes the PDF. With HarfBuzz's subsetter
(Debian's libharfbuzz-subset0) that takes ~0.1 s for the 20–27 MB CFF collections; WeasyPrint's
fallback, fontTools, takes ~4 s per face (~12 s for a report) because it keeps all 65 535 glyph
slots (retain_gids) and walks every charstring. So HarfBuzz-subset is checked here too
(see bench/bench_report.py for the figures of every variant).
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from dataclasses import dataclass

SONG = "Noto Serif CJK SC"  # 宋体 role: body text, title
HEI = "Noto Sans CJK SC"  # 黑体 role: level-1 headings, table headers

# (family, style) of every face the PDF uses.
REQUIRED_FACES = ((SONG, "Regular"), (SONG, "Bold"), (HEI, "Regular"), (HEI, "Bold"))
DEBIAN_PACKAGE = "fonts-noto-cjk"


class FontsMissing(RuntimeError):
    """A CJK face the report needs is not installed; the message is for the user."""


@dataclass(frozen=True)
class Face:
    family: str
    style: str
    path: str
    index: int


def _fc_match(family: str, style: str) -> Face | None:
    exe = shutil.which("fc-match")
    if exe is None:
        return None
    out = subprocess.run(  # noqa: S603 - fixed executable, no shell, our own arguments
        [exe, "--format", "%{family}|%{style}|%{file}|%{index}", f"{family}:style={style}"],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    ).stdout
    parts = out.split("|")
    if len(parts) != 4:
        return None
    families, styles, path, index = parts
    # fontconfig answers every query with *some* font; only an exact family counts.
    if family not in [f.strip() for f in families.split(",")]:
        return None
    if style not in [s.strip() for s in styles.split(",")]:
        return None
    return Face(family, style, path, int(index or 0))


@functools.cache
def faces() -> dict[tuple[str, str], Face]:
    """Every required face, or FontsMissing naming the missing ones and the package to install."""
    found, missing = {}, []
    for family, style in REQUIRED_FACES:
        face = _fc_match(family, style)
        if face is None:
            missing.append(f"{family} {style}")
        else:
            found[(family, style)] = face
    if missing:
        raise FontsMissing(
            "报告所需的中文字体未安装：{}。请以 root 安装 Debian 软件包 {}（apt-get install {}），"
            "否则 PDF 中的汉字将无法显示。".format("、".join(missing), DEBIAN_PACKAGE, DEBIAN_PACKAGE)
        )
    return found


def harfbuzz_subset_available() -> bool:
    """Whether WeasyPrint subsets fonts with HarfBuzz (fast) rather than fontTools (~12 s)."""
    try:
        from weasyprint.text.ffi import harfbuzz, harfbuzz_subset
    except Exception:  # noqa: BLE001 - no WeasyPrint libraries at all: reported by the PDF check
        return False
    return bool(harfbuzz_subset) and bool(harfbuzz.hb_version_atleast(4, 1, 0))


@functools.cache
def covered_codepoints() -> frozenset[int]:
    """Code points every face of the report can draw (the body face's cmap, ~0.1 s, once)."""
    from fontTools.ttLib import TTFont

    covered: set[int] | None = None
    for face in faces().values():
        cmap = set(TTFont(face.path, fontNumber=face.index, lazy=True).getBestCmap())
        covered = cmap if covered is None else covered & cmap
    return frozenset(covered or ())


def uncovered_characters(text: str) -> list[str]:
    """Characters of ``text`` the report's fonts cannot draw (would print as tofu boxes)."""
    covered = covered_codepoints()
    return sorted({ch for ch in text if not ch.isspace() and ord(ch) >= 0x20 and ord(ch) not in covered})
