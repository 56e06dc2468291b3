"""Pinyin initials of an enterprise name, for the picker (鲁中科技 -> lzkj)."""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin


def name_initials(name: str) -> str:
    """Lower-case initials of the Chinese characters; Latin letters and digits are kept as typed.

    pypinyin reads whole phrases, so heteronyms in common words come out right (重庆 -> cq).
    """
    parts = lazy_pinyin(name or "", style=Style.FIRST_LETTER, errors="default")
    return "".join(ch for ch in "".join(parts).lower() if ch.isascii() and ch.isalnum())[:200]
