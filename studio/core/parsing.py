"""Reading YAML and JSON that people (or attackers) wrote, with bounds: nesting depth, the size
an alias-laden YAML document expands to, duplicate keys, and the non-standard JSON constants
``NaN``/``Infinity``. Each refusal is a ``ParseError`` whose message says what was found and
where; nothing here builds the ``repr`` of a large value.

PyYAML and ``json`` share objects behind aliases and recurse in C, so a "billion laughs"
document costs little to load but explodes when walked (``repr``, ``json.dumps``, our own
checks), and a deeply nested one ends in ``RecursionError``. Both are stopped while loading.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from yaml.events import AliasEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .messages import Message, msg

MAX_DEPTH = 100          # nesting levels; real run files, configs and data rows use under 10
MAX_YAML_NODES = 10_000  # values a YAML document may hold once its aliases are expanded
# Settings hold no number near this (about 300 digits); str() of 4300+ digits even raises.
# Field checks refuse what does not fit the field (64 bits, a seed's range) by name.
MAX_INT_BITS = 1000
_MERGE_TAG = "tag:yaml.org,2002:merge"


class ParseError(ValueError):
    """A document that is refused; ``line`` is 1-based where known. ``message`` keeps its code
    (pass it, not the error, to another message)."""

    def __init__(self, message: Message, line: int | None = None):
        self.message, self.line = message, line
        super().__init__(message)


def too_deep_message(limit: int = MAX_DEPTH) -> Message:
    return msg("parse.too_deep", limit=limit)


class BoundedLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` (still only plain data types) that refuses documents nested more than
    ``MAX_DEPTH`` levels, documents whose aliases expand to more than ``MAX_YAML_NODES``
    values, aliases that refer to their own node, and a key given twice in one mapping."""

    def __init__(self, stream: Any):
        super().__init__(stream)
        self._depth = 0
        self._weights: dict[int, int] = {}

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # type: ignore[override]
        if self.check_event(AliasEvent):
            event = self.peek_event()
            target = self.anchors.get(event.anchor)  # type: ignore[attr-defined]
            if target is not None and id(target) not in self._weights:  # still being composed
                raise ParseError(msg("parse.endless_alias", name=event.anchor),
                                 event.start_mark.line + 1)
        self._depth += 1
        if self._depth > MAX_DEPTH and not self.check_event(ScalarEvent, AliasEvent):
            raise ParseError(too_deep_message(), self.peek_event().start_mark.line + 1)
        try:
            node = super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self._depth -= 1
        self._weigh(node)
        return node

    def _weigh(self, node: Node) -> None:
        """Count the values ``node`` stands for with every alias expanded; the counts of shared
        nodes are memoised, so this costs one step per node written in the file."""
        if id(node) in self._weights:
            return
        children: list[Node] = []
        if isinstance(node, SequenceNode):
            children = list(node.value)
        elif isinstance(node, MappingNode):
            children = [part for pair in node.value for part in pair]
        total = 1
        for child in children:
            weight = self._weights.get(id(child))
            total += weight if weight is not None else MAX_YAML_NODES + 1
        if total > MAX_YAML_NODES:
            raise ParseError(msg("parse.alias_bomb", limit=f"{MAX_YAML_NODES:,}"),
                             node.start_mark.line + 1)
        self._weights[id(node)] = total

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:  # a tagged or huge scalar its type refuses
            if isinstance(exc, ParseError):
                raise
            error = _clip(str(exc), 60)
            raise ParseError(msg("parse.value_unreadable", value=repr(_clip(str(node.value), 40)),
                                 error=error) if isinstance(node, ScalarNode)
                             else msg("parse.a_value_unreadable", error=error),
                             node.start_mark.line + 1) from None

    def construct_yaml_int(self, node: ScalarNode) -> int:
        value = super().construct_yaml_int(node)
        if value.bit_length() > MAX_INT_BITS:
            raise ParseError(msg("parse.number_too_large", value=repr(_clip(str(node.value), 24))),
                             node.start_mark.line + 1)
        return value

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, MappingNode):
            seen: dict[Any, int] = {}
            for key_node, _value in node.value:
                if key_node.tag == _MERGE_TAG or not isinstance(key_node, ScalarNode):
                    continue
                key = self.construct_object(key_node)
                line = key_node.start_mark.line + 1
                if key in seen:
                    raise ParseError(msg("parse.key_twice_lines", key=_clip(str(key)),
                                         first=seen[key], second=line), line)
                seen[key] = line
        return super().construct_mapping(node, deep)


BoundedLoader.add_constructor("tag:yaml.org,2002:int", BoundedLoader.construct_yaml_int)


def load_yaml(text: str) -> Any:
    """One YAML document through ``BoundedLoader``. Raises ParseError, or yaml.YAMLError for
    plain syntax errors (whose text points at the line)."""
    loader = BoundedLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _refuse_constant(name: str) -> Any:
    raise ParseError(msg("parse.not_json_constant", name=name))


def _bounded_int(text: str) -> int:
    value = int(text)
    if value.bit_length() > MAX_INT_BITS:
        raise ParseError(msg("parse.number_too_large", value=_clip(text, 24)))
    return value


def load_json(text: str, *, unique_keys: bool = False, allow_nan: bool = False) -> Any:
    """``json.loads`` that refuses numbers too long to convert, nesting deeper than
    ``MAX_DEPTH``, ``NaN``/``Infinity`` (unless ``allow_nan``: data files written by Python
    hold them, and the checks of the columns that matter report them) and, with
    ``unique_keys``, a key given twice in one object. Raises ParseError, or
    json.JSONDecodeError for syntax errors."""
    hook = _unique_pairs(text) if unique_keys else None  # a settings file: also bounded ints
    constant = None if allow_nan else _refuse_constant
    try:
        value = json.loads(text, parse_constant=constant, object_pairs_hook=hook,
                           parse_int=_bounded_int if unique_keys else None)
    except RecursionError:
        raise ParseError(too_deep_message()) from None
    except json.JSONDecodeError:
        raise
    except ValueError as exc:
        if isinstance(exc, ParseError):
            raise
        # int() refuses numbers of more than 4300 digits (CVE-2020-10735)
        raise ParseError(msg("parse.number_too_long", error=_clip(str(exc), 60))) from None
    if text.count("[") + text.count("{") > MAX_DEPTH:  # cheap test first: deep needs brackets
        check_depth(value)
    return value


def check_depth(value: Any, limit: int = MAX_DEPTH) -> None:
    """Raise ParseError when lists/dicts in ``value`` nest deeper than ``limit``; iterative,
    so it cannot itself run out of stack."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            raise ParseError(too_deep_message(limit))
        stack.extend((child, depth + 1) for child in children)


def _unique_pairs(text: str) -> Any:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                lines = _key_lines(text, key)
                two = len(lines) >= 2 and lines[0] != lines[1]
                said = msg("parse.key_twice_object_lines", key=_clip(key), first=lines[0],
                           second=lines[1]) if two else msg("parse.key_twice_object",
                                                            key=_clip(key))
                raise ParseError(said, lines[1] if len(lines) >= 2 else None)
            seen.add(key)
        return dict(pairs)

    return hook


def _key_lines(text: str, key: str) -> list[int]:
    pattern = re.compile(re.escape(json.dumps(key)) + r"\s*:")
    return [text.count("\n", 0, m.start()) + 1 for m in pattern.finditer(text)][:2]


def _clip(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
