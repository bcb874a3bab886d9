"""What a solve may hold in memory: a MIP, estimated from its matrix, against the run's `solver.memory_limit`.

The limit decides whether HiGHS's MIP of the whole model runs (planner.solve.highs). When it is left out, the limit
governs each small MIP of the swaps in its place (planner.solve.swaps): one that would take planner's processes
above it is left out, and one solved apart is stopped once they hold more."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import psutil

GB = 10**9
CHECK_SECONDS = 0.5
"""How often a small MIP solved apart asks what planner's processes hold (`over_limit`): reading their memory took
about 50 ms at 300 x 100."""
HIGHS_MIP_BYTES_PER_NONZERO = 1310
"""Memory HiGHS's MIP takes per nonzero of the matrix handed to it, on top of what planner's process holds: 4,586 MiB
for the 3.67 M nonzeros of the 300 x 100 benchmark (its forked solve peaked at 6,604 MiB resident, 2,018 of them
planner's process at the fork: benchmarks/RESULTS.md, "Memory and a loaded machine at 300 x 100"; HiGHS alone on the
same model, read from a file with its names, peaked at 4.4 GiB: "HiGHS's analytic centre"). The swaps' small MIPs
take more per nonzero than that at times (SMALL_MIP_BYTES_PER_NONZERO)."""
SMALL_MIP_BYTES_PER_NONZERO = 1600
"""Memory a small MIP of the swaps takes per nonzero of its matrix, of its own in its forked copy: 572 to 1,830 bytes
in the 29 measured at 300 x 100 (seeds 1 and 2, from samples a second apart), only one above 1,600 and the next
1,537 (benchmarks/RESULTS.md, "The memory limit on the swaps"). The stop (`over_limit`) catches what it misses."""


@dataclass(frozen=True)
class MipMemory:
    """What a MIP would need beside what planner's processes hold, against a limit."""

    held: float
    """GB planner's processes hold now (`held`)."""
    need: float
    """GB the MIP would take on top (at so many bytes per nonzero of its matrix)."""
    limit: float
    """The run's `solver.memory_limit` in GB (0: none)."""

    @property
    def fits(self) -> bool:
        """Whether the MIP fits within the limit."""
        return self.limit == 0 or self.held + self.need <= self.limit

    def note(self) -> str:
        """Why HiGHS's MIP of the whole model was left out, for the run's solver notes."""
        return (f"HiGHS's MIP of the whole model was left out: it would need about {self.need:.2f} GB beside the "
                f"{self.held:.2f} GB planner holds, above the memory limit of {self.limit:g} GB; the plan is RENS's, "
                "improved by any swap that finds a better one, the bound the relaxation's with its cover cuts "
                "(solver.memory_limit 0, or --memory-limit 0, runs it)")

    def unheeded(self) -> str:
        """That HiGHS's MIP of the whole model ran although it would pass the limit, for the run's solver notes."""
        return (f"HiGHS's MIP of the whole model would need about {self.need:.2f} GB beside the {self.held:.2f} GB "
                f"planner holds, above the memory limit of {self.limit:g} GB, and ran all the same: the limit applies "
                "only where RENS runs (solver.heuristic on, and time enough for it)")


def held() -> float:
    """GB planner's processes hold now: this one's resident memory and what its children (a MIP solved apart,
    planner.solve.apart) hold of their own (a child that ended meanwhile, or whose memory cannot be read, counts
    nothing)."""
    me = psutil.Process()
    own = 0
    try:
        children = me.children(recursive=True)
    except (psutil.Error, OSError):
        children = []
    for child in children:
        try:
            own += child.memory_full_info().uss
        except (psutil.Error, OSError):
            continue
    return (me.memory_info().rss + own) / GB


def over_limit(limit: float, every: float = CHECK_SECONDS) -> Callable[[], bool]:
    """A function telling whether planner's processes hold more than `limit` GB, asking the system (`held`) at most
    once in `every` seconds and answering as then in between."""
    last, over = -math.inf, False

    def ask() -> bool:
        nonlocal last, over
        if time.perf_counter() - last >= every:
            last, over = time.perf_counter(), held() > limit
        return over

    return ask


def mip_memory(limit: float, nonzeros: int, per_nonzero: int = HIGHS_MIP_BYTES_PER_NONZERO) -> MipMemory:
    """What a MIP of `nonzeros` would need now at `per_nonzero` bytes each, against `limit` GB (0: none)."""
    return MipMemory(held() if limit else 0.0, per_nonzero * nonzeros / GB, limit)
