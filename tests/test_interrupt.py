"""Ctrl-C during a solve: the solver stops, the best plan so far is kept in a complete folder marked
`interrupted`, and nothing else is disturbed."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

from benchmarks.generate import generate

SCRIPT = """
import sys
from planner.run import run
outcome = run(sys.argv[1], sys.argv[2], progress=lambda m: print(m, flush=True), mip_gap=0.0, threads=1)
print("exit", outcome.exit_code, flush=True)
"""


def _ctrl_c_as_in_a_terminal() -> None:
    """SIGINT back to its default in the child: a test run in the background (`pytest &`) ignores it,
    the child would inherit that, and Python then installs no Ctrl-C handler."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_keeps_the_best_plan(tmp_path):
    scenario = generate(100, 40, 6, tmp_path / "scenario")  # takes HiGHS about 30 s at gap 0, RENS about 3 s
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    (earlier / "summary.json").write_text("{}", encoding="utf-8")
    out = tmp_path / "run"
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, str(scenario), str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            preexec_fn=_ctrl_c_as_in_a_terminal)
    for line in proc.stdout:
        if line.startswith("Branch and bound from a plan"):  # the RENS start found one
            break
    time.sleep(2)
    proc.send_signal(signal.SIGINT)
    rest = proc.stdout.read()
    assert proc.wait(timeout=120) == 0, rest
    assert "exit 0" in rest
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["interrupted"] is True and summary["status"] == "feasible"
    assert summary["objective"] <= summary["heuristic"]["objective"] * (1 + 1e-9)  # at least the RENS plan
    # None: stopped before the root
    assert summary["best_bound"] is None or summary["best_bound"] <= summary["objective"]
    assert summary["violations"] == []
    assert (out / "assignments.csv").exists() and (out / "manifest.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["earlier", "run", "scenario"]  # no partial folder
    assert (earlier / "summary.json").read_text(encoding="utf-8") == "{}"
