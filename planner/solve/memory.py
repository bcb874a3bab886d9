"""What a solve may hold in memory: HiGHS's MIP of the whole model, estimated from its matrix, against the run's
`solver.memory_limit`."""

from __future__ import annotations

from dataclasses import dataclass

import psutil

GIB = 2**30
HIGHS_MIP_BYTES_PER_NONZERO = 1310
"""Memory HiGHS's MIP takes per nonzero of the matrix handed to it, on top of what planner's process holds: 4,586 MiB
for the 3.67 M nonzeros of the 300 x 100 benchmark (its forked solve peaked at 6,604 MiB resident, 2,018 of them
planner's process at the fork: benchmarks/RESULTS.md, "Memory and a loaded machine at 300 x 100"; HiGHS alone on the
same model, read from a file with its names, peaked at 4.4 GiB: "HiGHS's analytic centre")."""


@dataclass(frozen=True)
class MipMemory:
    """What HiGHS's MIP of the whole model would need beside what the process holds, against a limit."""

    held: float
    """GiB this process holds now (resident)."""
    need: float
    """GiB HiGHS's MIP would take on top (HIGHS_MIP_BYTES_PER_NONZERO)."""
    limit: float
    """The run's `solver.memory_limit` in GiB (0: none)."""

    @property
    def fits(self) -> bool:
        """Whether the MIP fits within the limit."""
        return self.limit == 0 or self.held + self.need <= self.limit

    def note(self) -> str:
        """Why the MIP was left out, for the run's solver notes."""
        return (f"HiGHS's MIP of the whole model was left out: it would need about {self.need:.1f} GiB beside the "
                f"{self.held:.1f} GiB planner holds, above the memory limit of {self.limit:g} GiB; the plan is RENS's "
                "improved by the swaps, the bound the relaxation's with its cover cuts (solver.memory_limit 0, or "
                "--memory-limit 0, runs it)")


def mip_memory(limit: float, nonzeros: int) -> MipMemory:
    """What a MIP of `nonzeros` would need now, against `limit` GiB (0: none)."""
    held = psutil.Process().memory_info().rss / GIB
    return MipMemory(held, HIGHS_MIP_BYTES_PER_NONZERO * nonzeros / GIB, limit)
