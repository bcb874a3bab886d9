"""Scenario files: reading, merging, overriding and validating them (docs/scenario.md)."""

from planner.scenario.errors import InputErrors, Problem
from planner.scenario.loader import load_scenario
from planner.scenario.scenario import Scenario
from planner.scenario.schema import ScenarioFile

__all__ = ["InputErrors", "Problem", "Scenario", "ScenarioFile", "load_scenario"]
