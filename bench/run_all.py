"""`make bench`: run every bench/bench_*.py in turn (each prints its own figures for README).

A benchmark is a script that runs with no arguments; add one by adding a bench_<name>.py file.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    only = set(sys.argv[1:])  # e.g. `bench/run_all.py report` runs bench_report.py only
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        name = script.stem.removeprefix("bench_")
        if only and name not in only:
            continue
        print(f"== {script.name}", flush=True)
        started = time.monotonic()
        code = subprocess.run([sys.executable, str(script)], cwd=HERE.parent).returncode
        print(f"== {script.name}: {'ok' if code == 0 else f'exit {code}'} in {time.monotonic() - started:.0f} s\n")
        if code:
            failed.append(script.name)
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
