"""The YAML loader of scenario files: safe, YAML 1.2 plain scalars, bounded in size and depth.

- Safe: only mappings, lists, text, numbers, true/false and null are built; no code runs.
- YAML 1.2 core schema for plain values: `yes`, `no`, `on`, `off`, `y`, `n` stay text (a region
  `NO` is the text `NO`), `6_6` is text rather than 66, `010` is ten, dates stay text.
- Bounded: a file whose aliases repeat more values than a scenario could need (a "billion laughs"
  alias bomb), an alias to the value that contains it, or nesting deeper than any scenario are
  refused while the file is read, before anything walks the values.
- A key given twice in one mapping is refused.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

from planner.scenario.errors import quoted

MAX_YAML_VALUES = 100_000
"""The most values (mappings, lists, scalars) one YAML file may hold, each alias counted as all it repeats."""
MAX_YAML_DEPTH = 64
"""The deepest nesting of mappings and lists in one YAML file."""


class ScenarioYamlLoader(yaml.SafeLoader):
    """A safe loader with YAML 1.2 plain scalars, a limit on values and depth, and unique keys."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {}

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._sizes: dict[int, int] = {}
        self._values = 0
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        """Compose one node, counting the values it adds (an alias adds all it repeats) and the depth."""
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            target = self.anchors.get(event.anchor)
            if target is not None:
                size = self._sizes.get(id(target))
                if size is None:
                    raise ComposerError(None, None, f"the alias *{event.anchor} is used inside the value it names",
                                        event.start_mark)
                self._count(size, event.start_mark)
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > MAX_YAML_DEPTH:
            raise ComposerError(None, None, f"values are nested more than {MAX_YAML_DEPTH} levels deep",
                                self.peek_event().start_mark)
        node = super().compose_node(parent, index)
        self._depth -= 1
        self._sizes[id(node)] = 1 + sum(self._sizes.get(id(child), 1) for child in _children(node))
        self._count(1, node.start_mark)
        return node

    def _count(self, size: int, mark: yaml.Mark) -> None:
        self._values += size
        if self._values > MAX_YAML_VALUES:
            raise ComposerError(None, None, f"more than {MAX_YAML_VALUES} values once its aliases (*name) are "
                                            "expanded; a scenario needs far fewer", mark)


def _children(node: yaml.Node) -> list[yaml.Node]:
    """The nodes directly inside `node` (keys and values of a mapping)."""
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _construct_int(loader: ScenarioYamlLoader, node: yaml.ScalarNode) -> int:
    """A YAML 1.2 integer: decimal, 0o octal or 0x hexadecimal."""
    text = str(loader.construct_scalar(node))
    digits, base = (text[2:], 8) if text.startswith("0o") else (text[2:], 16) if text.startswith("0x") else (text, 10)
    try:
        if "_" in digits:
            raise ValueError("underscore")
        return int(digits, base)
    except ValueError:
        raise ConstructorError(None, None, f"{quoted(text)} is not a whole number planner can read",
                               node.start_mark) from None


def _mapping_without_duplicates(loader: ScenarioYamlLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    """A mapping whose keys are each given once."""
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        try:
            duplicate = key in seen
        except TypeError:
            raise ConstructorError(None, None, "a key must be text or a number", key_node.start_mark) from None
        if duplicate:
            raise ConstructorError(None, None, f"key {quoted(key)} is given twice", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node)


_RESOLVERS: list[tuple[str, str, str | list[str]]] = [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     "-+0123456789."),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", [*"~nN", ""]),
    ("tag:yaml.org,2002:merge", r"^(?:<<)$", "<"),
]
"""The plain scalars that are not text (tag, pattern, first characters; "" is the empty value): YAML 1.2 core
schema, plus merge keys (`<<`)."""

for _tag, _pattern, _first in _RESOLVERS:
    ScenarioYamlLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))
ScenarioYamlLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
ScenarioYamlLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


def load_yaml(text: str) -> Any:
    """Parse scenario YAML text with ScenarioYamlLoader; raises yaml.YAMLError with a line for what it refuses."""
    loader = ScenarioYamlLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
