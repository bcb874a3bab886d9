"""Processor time and peak memory of a benchmark process and of its ended children (HiGHS's forked copy,
planner.solve.apart), from getrusage (Linux reports memory in KiB)."""

from __future__ import annotations

import resource


def peak_mib() -> float:
    """Peak resident memory of this process in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_mib() -> float:
    """Peak resident memory of the largest child that ended, in MiB (a forked copy counts the pages it shares
    with this process too, so this errs high)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def children_cpu() -> float:
    """Processor seconds of this process's ended children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cpu_seconds() -> float:
    """Processor seconds of this process and of its ended children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime + children_cpu()
