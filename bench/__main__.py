"""`make bench`: runs every bench/bench_*.py module and writes its figures to bench/results/<name>.json.

Each module exposes `run(results_dir: Path) -> dict`; the dict is what gets written.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def main(argv: list[str]) -> int:
    RESULTS.mkdir(parents=True, exist_ok=True)
    wanted = set(argv)
    names = sorted(
        m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name.startswith("bench_")
    )
    failures = 0
    for name in names:
        short = name.removeprefix("bench_")
        if wanted and short not in wanted:
            continue
        print(f"== bench {short}", flush=True)
        started = time.perf_counter()
        try:
            figures = importlib.import_module(f"bench.{name}").run(RESULTS)
        except Exception as exc:  # one broken bench must not hide the others' figures
            failures += 1
            print(f"   FAILED: {exc!r}", flush=True)
            continue
        figures = {"bench": short, "seconds": round(time.perf_counter() - started, 2), **figures}
        (RESULTS / f"{short}.json").write_text(json.dumps(figures, indent=2, default=str) + "\n")
        print(json.dumps(figures, indent=2, default=str), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
