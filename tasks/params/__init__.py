"""Model parameters as data.

A model's parameters are one frozen dataclass (`AttributionParams`, `AlignParams`) whose every field is
declared with `param(reason)`: the one-line reason a reviewer needs. The values live in a JSON file beside
this module (``attribution.json``, ``alignment.json``), one entry per field with its ``source`` (fitted, and
how, or hand-set, and why), plus the file's provenance (what wrote it, on which data, at which commit, with
which figures). The bench writes these files (``bench/eval_speakers.py --fit``); the pipeline reads them,
and their bytes are part of the pipeline version, so a changed weight reprocesses every file.

Loading is strict: a file that misses a field or has one the class does not declare is an error, never a
silent default.
"""

from __future__ import annotations

import json
import typing
from dataclasses import MISSING, field, fields, is_dataclass
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, Self, TypeVar, cast

PARAMS_DIR = Path(__file__).resolve().parent

T = TypeVar("T")


class ParamsError(ValueError):
    """A parameter file that does not match its parameter class."""


def param(reason: str) -> Any:
    """A parameter field; `reason` says in one line what the value does and why it is what it is."""
    return field(metadata={"reason": reason})


def reasons(cls: type) -> dict[str, str]:
    """Each field's declared reason."""
    return {f.name: f.metadata["reason"] for f in fields(cls)}


def params_path(name: str) -> Path:
    return PARAMS_DIR / f"{name}.json"


class ParamSet:
    """Base of a parameter dataclass: `FILE` names its JSON file in this folder."""

    __slots__ = ()
    FILE: ClassVar[str]

    @classmethod
    def shipped(cls) -> Self:
        """The parameters the pipeline uses: ``tasks/params/<FILE>.json``."""
        return load(cls, params_path(cls.FILE))


def _field_types(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _coerce(value: Any, hint: Any) -> Any:
    # JSON has no tuples; the dataclasses are frozen and hashable, so sequences come back as tuples.
    origin = typing.get_origin(hint)
    if origin is tuple and isinstance(value, list):
        args = typing.get_args(hint)
        inner = args[0] if args else Any
        return tuple(_coerce(v, inner) for v in value)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def from_dict(cls: type[T], data: dict[str, Any], *, where: str = "") -> T:
    """`cls` from a parameter file's parsed JSON (see the module docstring for its shape)."""
    assert is_dataclass(cls)
    entries = data.get("values")
    if not isinstance(entries, dict):
        raise ParamsError(f"{where}: no 'values' object")
    declared = {f.name for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING}
    missing = sorted(declared - entries.keys())
    extra = sorted(entries.keys() - {f.name for f in fields(cls)})
    if missing or extra:
        raise ParamsError(f"{where}: fields missing {missing}, not declared by {cls.__name__} {extra}")
    hints = _field_types(cls)
    values = {}
    for name, entry in entries.items():
        if not isinstance(entry, dict) or "value" not in entry or "source" not in entry:
            raise ParamsError(f"{where}: {name} must be {{'value': ..., 'source': ...}}")
        values[name] = _coerce(entry["value"], hints[name])
    return cls(**values)


@cache
def _load_cached(cls: Any, path: Path, mtime_ns: int) -> Any:
    return from_dict(cls, json.loads(path.read_text(encoding="utf-8")), where=str(path))


def load(cls: type[T], path: Path) -> T:
    """The parameters in `path` (cached per file version)."""
    loaded: T = _load_cached(cast(Any, cls), path, path.stat().st_mtime_ns)
    return loaded


def to_dict(params: Any, *, sources: dict[str, str], provenance: dict[str, Any], model: str) -> dict[str, Any]:
    """The JSON shape of a parameter file: provenance, then each value with its source (the reason for each
    field is declared once, on the dataclass)."""
    values = {}
    for f in fields(params):
        value = getattr(params, f.name)
        values[f.name] = {"value": list(value) if isinstance(value, tuple) else value, "source": sources[f.name]}
    return {"model": model, "provenance": provenance, "values": values}


def dump(params: Any, path: Path, *, sources: dict[str, str], provenance: dict[str, Any], model: str) -> None:
    """Write a parameter file (the bench does this); keys keep the dataclass's field order."""
    data = to_dict(params, sources=sources, provenance=provenance, model=model)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_file(path: Path) -> dict[str, Any]:
    """A parameter file as parsed JSON (for the bench, which keeps sources and provenance it did not change)."""
    return json.loads(path.read_text(encoding="utf-8"))


__all__ = [
    "PARAMS_DIR",
    "ParamSet",
    "ParamsError",
    "dump",
    "from_dict",
    "load",
    "param",
    "params_path",
    "read_file",
    "reasons",
    "to_dict",
]
