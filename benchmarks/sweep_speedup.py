"""Speed-up of a 16-member sweep from 1 to 2 Dask workers, and a check that both give the same results.

The base is a synthetic scenario (benchmarks/generate.py); the grid is max_hosts x land price,
4 x 4 = 16 members (land prices vary fastest, so a worker's next member often differs only in
costs and runs on its kept model: the table counts them). The sweep runs into a fresh folder with
`--workers 1`, then into another with `--workers 2` (local clusters of single-thread worker
processes), wall time measured around `run_sweep` (cluster start and stop included). Prints a
markdown table.

With `--reuse both`, each worker count runs twice in a row, cold (reuse off) then with each
member offered its worker's previous plan as a MIP start (reuse on), and the table says how many
starts HiGHS took and whether the objectives agree with the cold run's within the gap.

    python benchmarks/sweep_speedup.py                  # 16 regions x 16 industries
    python benchmarks/sweep_speedup.py --regions 31 --industries 20
    python benchmarks/sweep_speedup.py --reuse both     # reuse off and on, on 1 and on 2 workers
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate

COMPARED = ["member", "status", "objective", "cost_land", "hosts_total", "share_rd_center", "share_production_outer"]


def sweep_file(folder: Path, base: Path, time_limit: float, mip_gap: float) -> Path:
    """The 16-member sweep: max_hosts of future and emerging industries x land price scale."""
    doc = {
        "name": "speedup",
        "base": os.path.relpath(base, folder),
        "solver": {"time_limit": time_limit, "mip_gap": mip_gap, "threads": 1},
        "grid": {"product": [  # land prices vary fastest: members next to each other can share a model
            {"name": "max_hosts", "table": "industries", "where": {"category": ["future", "emerging"]},
             "column": "max_hosts", "set": [2, 3, 4, 5]},
            {"name": "land", "table": "sites", "column": "land_price", "scale": [0.8, 0.9, 1.1, 1.2]},
        ]},
    }
    path = folder / "speedup.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def _same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Same members, statuses and KPIs (to 1e-9 relative)."""
    import numpy as np

    if not a[["member", "status"]].equals(b[["member", "status"]]):
        return False
    numeric = [c for c in COMPARED if c not in ("member", "status")]
    return bool(np.allclose(a[numeric].to_numpy(float), b[numeric].to_numpy(float), rtol=1e-9, atol=0, equal_nan=True))


def _within_gap(a: pd.DataFrame, b: pd.DataFrame, gap: float) -> bool:
    """Same members and statuses, objectives apart by at most the relative gap (both are within it of the optimum)."""
    import numpy as np

    if not a[["member", "status"]].equals(b[["member", "status"]]):
        return False
    x, y = a["objective"].to_numpy(float), b["objective"].to_numpy(float)
    return bool(np.all(np.abs(x - y) <= (gap + 1e-9) * np.maximum(np.abs(x), np.abs(y))))


def main(argv: list[str] | None = None) -> None:
    """Run the sweep on 1 then 2 workers (reuse off, on or both) and print times, speed-up and whether results agree."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--regions", type=int, default=16)
    parser.add_argument("--industries", type=int, default=16)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--mip-gap", type=float, default=1e-4)
    parser.add_argument("--workers", default="1,2", help="worker counts to compare (default 1,2)")
    parser.add_argument("--reuse", choices=("off", "on", "both"), default="off",
                        help="MIP start from the worker's previous member: off (default), on, or both in turn")
    args = parser.parse_args(argv)
    from planner.sweep import run_sweep

    modes = {"off": [False], "on": [True], "both": [False, True]}[args.reuse]
    tables, seconds = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = sweep_file(root, generate(args.regions, args.industries, args.seed, root / "base"), args.time_limit,
                          args.mip_gap)
        for n in [int(w) for w in args.workers.split(",")]:
            for reuse in modes:
                print(f"{n} worker(s), reuse {'on' if reuse else 'off'} ...", file=sys.stderr, flush=True)
                start = time.perf_counter()
                outcome = run_sweep(path, root / f"out-{n}-{reuse}", workers=n, reuse=reuse)
                seconds[n, reuse] = time.perf_counter() - start
                tables[n, reuse] = outcome.table
                assert outcome.ran == 16 and outcome.failed == 0, outcome.table[["member", "status", "message"]]
    first = min(tables)
    load = os.getloadavg()
    print(f"16-member sweep of a {args.regions} x {args.industries} synthetic scenario (seed {args.seed}), "
          f"mip_gap {args.mip_gap}, 1 solver thread per member; load average after the run {load[0]:.1f}\n")
    print("| workers | reuse | wall s | speed-up | sum of member solve s | sum of member build+hand-over+solve s "
          "| models reused | starts taken | same results as first row | objectives within the gap of reuse off |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for (n, reuse), table in tables.items():
        solve = float(table["solve_seconds"].sum())
        work = float((table["build_seconds"] + table["handover_seconds"] + table["solve_seconds"]).sum())
        accepted, offered = int(table["start_accepted"].fillna(False).sum()), int((table["start_values"] > 0).sum())
        taken = f"{accepted} of {offered}" if reuse else ""
        cold = tables.get((n, False))
        within = "" if cold is None else "yes" if _within_gap(table, cold, args.mip_gap) else "NO"
        print(f"| {n} | {'on' if reuse else 'off'} | {seconds[n, reuse]:.1f} "
              f"| {seconds[first] / seconds[n, reuse]:.2f} "
              f"| {solve:.1f} | {work:.1f} | {int(table['model_reused'].sum())} | {taken} "
              f"| {'yes' if _same(table, tables[first]) else 'NO'} | {within} |")


if __name__ == "__main__":
    main()
