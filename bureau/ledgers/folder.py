"""A folder of ledger files (``import_ledgers DIR``): which ledger each file holds, and the order in
which they import (a ledger's rows point to records of the ledgers before it)."""

from __future__ import annotations

from pathlib import Path

from bureau.ledgers.columns import LEDGER_NAMES, Ledger, normalise_header
from bureau.ledgers.safety import FileRejected, check_container, open_workbook

# Rows read from the top of a sheet to find its header (the template has a title row or two above it).
HEADER_ROWS = 10


def import_order() -> list[type[Ledger]]:
    """DOMAIN.md's eight ledgers in dependency order (企业名录 first), then the others as registered."""
    from bureau.registry import registry

    ledgers = list(registry["ledgers"].values())
    rank = {name: i for i, name in enumerate(LEDGER_NAMES)}
    return sorted(ledgers, key=lambda lg: (rank.get(lg.name, len(rank)), ledgers.index(lg)))


def ledger_by_name(path: Path, ledgers: list[type[Ledger]]) -> type[Ledger] | None:
    """The ledger whose Chinese name (or English code) the file's name contains, the longest first."""
    stem = normalise_header(path.stem)
    for ledger in sorted(ledgers, key=lambda lg: -len(lg.name)):
        if normalise_header(ledger.name) in stem:
            return ledger
    lowered = stem.lower()
    return next((lg for lg in ledgers if lg.slug in lowered), None)


def ledger_by_headers(path: Path, ledgers: list[type[Ledger]]) -> type[Ledger] | None:
    """The ledger whose required headers all appear in one of the first rows of the file's first
    sheet, and that matches the most of that row's headers."""
    check_container(str(path))
    wb = open_workbook(str(path))
    try:
        rows = [
            {normalise_header(v) for v in row if v is not None}
            for row in wb.worksheets[0].iter_rows(max_row=HEADER_ROWS, values_only=True)
        ]
    finally:
        wb.close()
    best, best_score = None, 0
    for ledger in ledgers:
        required = {normalise_header(h) for h in ledger.required_headers()}
        headers = {normalise_header(h) for h in ledger.headers()}
        for row in rows:
            score = len(row & headers)
            if required <= row and score > best_score:
                best, best_score = ledger, score
    return best


def ledger_for_file(path: Path, ledgers: list[type[Ledger]] | None = None) -> type[Ledger] | None:
    """The ledger a file holds: from its name, else from its headers (None: not a ledger file)."""
    ledgers = ledgers if ledgers is not None else import_order()
    found = ledger_by_name(path, ledgers)
    if found is not None:
        return found
    try:
        return ledger_by_headers(path, ledgers)
    except FileRejected:
        return None


def ledger_files(folder: Path) -> list[tuple[type[Ledger] | None, Path]]:
    """The folder's .xlsx files with their ledgers, in import order (files of one ledger by name);
    a file no ledger matches comes first with None."""
    ledgers = import_order()
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".xlsx" and not p.name.startswith("~$"))
    found = [(ledger_for_file(p, ledgers), p) for p in files]
    return sorted(found, key=lambda lp: (-1 if lp[0] is None else ledgers.index(lp[0]), lp[1].name))


def summary_line(ledger: type[Ledger], result) -> str:
    counts = result.counts()
    return (
        f"{ledger.name}：共 {len(result.rows)} 行，新增 {counts['new']}，修改 {counts['changed']}，"
        f"无变化 {counts['unchanged']}，错误 {counts['error']}"
    )


def near_lines(result) -> list[str]:
    """The rows flagged 「与已有“…”相近」 (a likely typo the preview shows), for the commands to print."""
    return [f"第{r.number}行：{flag}" for r in result.rows for flag in r.flags if "相近" in flag]
