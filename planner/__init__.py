"""planner: optimisation-based industrial layout planning (center R&D, inner pilot, outer production)."""

__version__ = "0.1.0"
