"""What keeping the built model saves when sweep members differ only in solver options or in costs.

A synthetic scenario (benchmarks/generate.py) is run as N members, one after another in this
process: with `solver.seed` 0 to N-1 (`--vary seed`), or with every site's land price scaled by
0.9, 0.95, 1, ... (`--vary land_price`: only the objective changes). First each member builds its
own model (as `planner run` does), then with one `KeptModel` as a sweep worker holds it, so every
member after the first runs on the first one's model and hand-over (its objective rewritten when
the land prices differ). Prints per pass the wall seconds, the solve seconds (HiGHS and the
polish), the rest (reading, index sets, build, hand-over, read-back, plan tables: what keeping
the model can save), the set-up of the members after the first (build or objective rewrite,
hand-over and read-back, as benchmarks/run.py counts it) against their solves, and whether each
member's objective and plan are the same in both passes.

    python benchmarks/kept_model.py                      # 31 x 40, seeds 0 to 7
    python benchmarks/kept_model.py --regions 100 --members 4 --vary land_price
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate


def members(base: Path, folder: Path, n: int, mip_gap: float, vary: str = "seed") -> list[Path]:
    """Scenario files that extend `base`, one thread and the gap, and vary `solver.seed` (0 to n-1) or the land
    prices."""
    paths = []
    for k in range(n):
        doc = {"name": f"member{k}", "extends": str(base), "solver": {"seed": 0, "threads": 1, "mip_gap": mip_gap}}
        if vary == "seed":
            doc["solver"]["seed"] = k
        else:
            doc["overrides"] = [{"table": "sites", "scale": {"land_price": 0.9 + 0.05 * k}}]
        path = folder / f"member{k}.yaml"
        path.write_text(yaml.safe_dump(doc), encoding="utf-8")
        paths.append(path)
    return paths


@dataclass
class Pass:
    """One pass over the members."""

    wall: float
    """Wall seconds of the whole pass."""
    solve: list[float]
    """Per member: solve seconds (HiGHS, with the cuts and RENS, and the polish)."""
    setup: list[float]
    """Per member: build (or objective rewrite) + hand-over + read-back seconds, as benchmarks/run.py counts set-up."""
    outcomes: list[tuple[Any, Any]]
    """Per member: objective and plan assignments."""


def one_pass(paths: list[Path], out: Path, keep: bool) -> Pass:
    """Solve every member in turn, with one KeptModel for all of them when `keep`."""
    from planner.run import KeptModel, solve_scenario

    kept = KeptModel() if keep else None
    result = Pass(0.0, [], [], [])
    start = time.perf_counter()
    for path in paths:
        solved = solve_scenario(path, out / path.stem, force=True, kept=kept)
        result.setup.append(solved.base["build_seconds"] + solved.result.handover_seconds
                            + solved.result.readback_seconds)
        result.solve.append(solved.result.solve_seconds)
        result.outcomes.append((solved.result.objective, solved.plan.assignments if solved.plan is not None else None))
        del solved
        gc.collect(1)
    result.wall = time.perf_counter() - start
    return result


def main(argv: list[str] | None = None) -> None:
    """Run both passes and print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--regions", type=int, default=31)
    parser.add_argument("--industries", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1, help="scenario seed (default 1)")
    parser.add_argument("--members", type=int, default=8, help="members (default 8)")
    parser.add_argument("--vary", choices=("seed", "land_price"), default="seed",
                        help="what differs between members: solver.seed 0 to N-1, or land prices x 0.9, 0.95, ...")
    parser.add_argument("--mip-gap", type=float, default=1e-3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        base = generate(args.regions, args.industries, args.seed, root / "base")
        paths = members(base, root, args.members, args.mip_gap, args.vary)
        warm = members(generate(2, 2, 0, root / "warm"), root / "warm", 2, args.mip_gap, args.vary)
        for keep in (False, True):  # one-time costs (imports, first calls) out of both passes
            one_pass(warm, root / "warm-out", keep)
        fresh = one_pass(paths, root / "fresh", keep=False)
        kept = one_pass(paths, root / "kept", keep=True)
    same = all(a[0] == b[0] and (a[1] is None and b[1] is None or a[1].equals(b[1]))
               for a, b in zip(fresh.outcomes, kept.outcomes, strict=False))
    print(f"{args.members} members of a {args.regions} x {args.industries} synthetic scenario (seed {args.seed}) "
          f"differing only in {'solver.seed' if args.vary == 'seed' else 'land prices'}, mip_gap {args.mip_gap}, "
          "one after another in one process\n")
    print("| model | wall s | sum of solve s | wall minus solve s | wall minus solve, ratio | set-up s per member "
          "after "
          "the first | their set-up % of their solve | same objectives and plans |")
    print("|---|---|---|---|---|---|---|---|")
    outside = fresh.wall - sum(fresh.solve)
    for label, run in (("built for each member", fresh), ("kept from the first member", kept)):
        rest = run.wall - sum(run.solve)
        setup, solve = sum(run.setup[1:]), sum(run.solve[1:])
        print(f"| {label} | {run.wall:.1f} | {sum(run.solve):.1f} | {rest:.2f} | {rest / outside:.2f} "
              f"| {setup / max(len(paths) - 1, 1):.3f} | {100 * setup / solve if solve else float('nan'):.1f} "
              f"| {'' if run is fresh else 'yes' if same else 'NO'} |")


if __name__ == "__main__":
    main()
