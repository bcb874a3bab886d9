"""What keeping the built model saves when sweep members differ only in solver options.

A synthetic scenario (benchmarks/generate.py) is run with `solver.seed` 0 to N-1, one member after
another in this process: first each member building its own model (as `planner run` does), then
with one `KeptModel` as a sweep worker holds it, so every member after the first runs on the
first one's model. Prints per pass the wall seconds, the solve seconds (HiGHS and the polish), the
rest (reading, index sets, build, hand-over, read-back, plan tables: what keeping the model can
save), the build seconds the members record, and whether each member's objective and plan are
the same in both passes.

    python benchmarks/kept_model.py                      # 31 x 40, seeds 0 to 7
    python benchmarks/kept_model.py --regions 100 --members 4
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate


def members(base: Path, folder: Path, n: int, mip_gap: float) -> list[Path]:
    """Scenario files that extend `base` and set only `solver.seed` (0 to n-1), one thread, the gap."""
    paths = []
    for seed in range(n):
        path = folder / f"seed{seed}.yaml"
        doc = {"name": f"seed{seed}", "extends": str(base), "solver": {"seed": seed, "threads": 1, "mip_gap": mip_gap}}
        path.write_text(yaml.safe_dump(doc), encoding="utf-8")
        paths.append(path)
    return paths


def one_pass(paths: list[Path], out: Path, keep: bool) -> tuple[float, float, float, list]:
    """Solve every member in turn: wall seconds, sums of recorded build and solve seconds, (objective, plan) per member."""
    from planner.run import KeptModel, solve_scenario

    kept = KeptModel() if keep else None
    outcomes, build, solve = [], 0.0, 0.0
    start = time.perf_counter()
    for path in paths:
        solved = solve_scenario(path, out / path.stem, force=True, kept=kept)
        build += solved.base["build_seconds"]
        solve += solved.result.solve_seconds
        outcomes.append((solved.result.objective, solved.plan.assignments if solved.plan is not None else None))
        del solved
        gc.collect(1)
    return time.perf_counter() - start, build, solve, outcomes


def main(argv: list[str] | None = None) -> None:
    """Run both passes and print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--regions", type=int, default=31)
    parser.add_argument("--industries", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1, help="scenario seed (default 1)")
    parser.add_argument("--members", type=int, default=8, help="solver seeds 0 to N-1 (default 8)")
    parser.add_argument("--mip-gap", type=float, default=1e-3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        base = generate(args.regions, args.industries, args.seed, root / "base")
        paths = members(base, root, args.members, args.mip_gap)
        one_pass(members(generate(2, 2, 0, root / "warm"), root / "warm", 1, args.mip_gap), root / "warm-out", False)
        fresh = one_pass(paths, root / "fresh", keep=False)
        kept = one_pass(paths, root / "kept", keep=True)
    same = all(a[0] == b[0] and (a[1] is None and b[1] is None or a[1].equals(b[1])) for a, b in zip(fresh[3], kept[3]))
    print(f"{args.members} members of a {args.regions} x {args.industries} synthetic scenario (seed {args.seed}) "
          f"differing only in solver.seed, mip_gap {args.mip_gap}, one after another in one process\n")
    print("| model | wall s | sum of solve s | wall minus solve s | sum of build s recorded | wall minus solve, ratio "
          "| same objectives and plans |")
    print("|---|---|---|---|---|---|---|")
    for label, (wall, build, solve, _) in (("built for each member", fresh), ("kept from the first member", kept)):
        print(f"| {label} | {wall:.1f} | {solve:.1f} | {wall - solve:.2f} | {build:.2f} "
              f"| {(wall - solve) / (fresh[0] - fresh[2]):.2f} | {'' if label.startswith('built') else 'yes' if same else 'NO'} |")


if __name__ == "__main__":
    main()
