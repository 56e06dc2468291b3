"""Pinyin initials of an enterprise name, for the picker (鲁中科技 -> lzkj)."""

from __future__ import annotations

from functools import lru_cache

# pypinyin is imported where a name is converted: loading its phrase dictionary takes ~0.5 s,
# which every manage.py command would otherwise pay at start-up.


@lru_cache(maxsize=16_384)
def _segment_initials(segment: str) -> str:
    """The initials of one segment as pypinyin's phrase-aware conversion gives them."""
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(segment, style=Style.FIRST_LETTER, errors="default"))


def name_initials(name: str) -> str:
    """Lower-case initials of the Chinese characters; Latin letters and digits are kept as typed.

    pypinyin reads whole phrases, so heteronyms in common words come out right (重庆 -> cq).

    The name is cut into segments exactly as ``lazy_pinyin`` cuts it (runs of Chinese characters
    split into the phrases of pypinyin's dictionary, other text kept as it is); pypinyin converts
    each segment on its own, so a segment's initials are looked up once and remembered: company
    names share most of theirs (有限公司, 科技, 股份, 集团, the county's name), and converting a
    segment costs ~10 µs. Same results as ``lazy_pinyin`` on the whole name (tested).
    """
    from pypinyin.constants import RE_HANS
    from pypinyin.seg.simpleseg import seg

    parts = []
    for segment in seg(name or ""):
        # Text without Chinese characters is kept as typed (errors="default").
        parts.append(_segment_initials(segment) if RE_HANS.match(segment) else segment)
    return "".join(ch for ch in "".join(parts).lower() if ch.isascii() and ch.isalnum())[:200]
