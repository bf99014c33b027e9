"""Great Expectations suites generated from the contracts, and batch validation.

GX is imported lazily (inside `build_suite`/`validate`): importing it costs ~4 s, and the read-only
commands must stay fast. Each `validate()` call uses one ephemeral context and one ``validate()`` per
table, because GX's fixed cost is per call, not per expectation (perf_anchors section 5).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import polars as pl

from expectations.contracts import TABLES, Table
from expectations.rules import check_columns_of, derive_checks

if TYPE_CHECKING:
    from great_expectations.core import ExpectationSuite

__all__ = ["CheckResult", "ExpectationSpec", "build_suite", "expectation_specs", "validate"]


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One expectation's outcome on one table: a row of `dq_results` (without run_id)."""

    table_name: str
    expectation: str
    column_name: str | None
    success: bool
    observed: str
    blocking: bool
    failing_episode_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ExpectationSpec:
    """A GX-independent description of one expectation, so names and flags are testable without GX."""

    name: str
    kind: str  # GX expectation class name
    kwargs: tuple[tuple[str, Any], ...]
    column_name: str | None
    blocking: bool


def expectation_specs(table: Table) -> list[ExpectationSpec]:
    """The expectations of `table`'s suite, in a fixed order, with stable readable names."""
    specs: list[ExpectationSpec] = []

    def add(name: str, kind: str, column_name: str | None, blocking: bool, **kwargs: Any) -> None:
        specs.append(ExpectationSpec(name, kind, tuple(kwargs.items()), column_name, blocking))

    columns = check_columns_of(table)
    add("columns_match", "ExpectTableColumnsToMatchOrderedList", None, True, column_list=columns)
    if len(table.key) == 1:
        add(f"unique({table.key[0]})", "ExpectColumnValuesToBeUnique", table.key[0], True, column=table.key[0])
    else:
        add(
            f"unique({', '.join(table.key)})",
            "ExpectCompoundColumnsToBeUnique",
            None,
            True,
            column_list=list(table.key),
        )
    for c in table.flat_columns:
        if not c.nullable:
            add(f"not_null({c.name})", "ExpectColumnValuesToNotBeNull", c.name, True, column=c.name)
        if c.allowed is not None:
            add(
                f"in_set({c.name})",
                "ExpectColumnValuesToBeInSet",
                c.name,
                True,
                column=c.name,
                value_set=list(c.allowed),
            )
        if c.min_value is not None or c.max_value is not None:
            add(
                f"between({c.name})",
                "ExpectColumnValuesToBeBetween",
                c.name,
                True,
                column=c.name,
                min_value=c.min_value,
                max_value=c.max_value,
            )
    for r in table.rules:
        add(
            f"rule({r.name})",
            "ExpectColumnValuesToBeInSet",
            r.check_column,
            r.blocking,
            column=r.check_column,
            value_set=[True],
        )
    return specs


def _gx() -> Any:
    # GX 1.24.1 ships no usage-statistics sender (no posthog client; `_VersionChecker`, which would call
    # PyPI, is never invoked) and `analytics_enabled` defaults to this variable; setting it keeps it off
    # if a later version reinstates analytics. setdefault lets an operator override it deliberately.
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx

    return gx


def _ephemeral_context(gx: Any) -> Any:
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    # Progress bars would print one tqdm line per table into the flow's logs.
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def build_suite(table: Table) -> ExpectationSuite:
    """A GX 1.x suite for the frame `rules.derive_checks` returns for `table`."""
    gx = _gx()
    expectations = []
    for spec in expectation_specs(table):
        cls = getattr(gx.expectations, spec.kind)
        meta = {"name": spec.name, "blocking": spec.blocking, "column_name": spec.column_name}
        expectations.append(cls(**dict(spec.kwargs), meta=meta))
    # Passing the expectations to the constructor (not add_expectation) needs no active data context.
    return gx.ExpectationSuite(name=f"tlake.{table.name}", expectations=expectations)


def _observed(result: Mapping[str, Any], success: bool) -> str:
    if "unexpected_count" in result:
        count = result.get("unexpected_count") or 0
        total = result.get("element_count") or 0
        text = f"{count} of {total} rows unexpected"
        if count:
            sample = result.get("partial_unexpected_list") or []
            text += f"; e.g. {sample[:5]!r}"
        return text
    if "observed_value" in result:
        return str(result["observed_value"])
    return "ok" if success else "failed"


def _failing_episodes(
    result: Mapping[str, Any], success: bool, episode_ids: list[str | None] | None
) -> tuple[str, ...]:
    if success or episode_ids is None:
        return ()
    indexes = result.get("unexpected_index_list")
    # Table-level failures (e.g. a column set mismatch) cannot be narrowed to rows: all episodes fail.
    chosen = episode_ids if indexes is None else [episode_ids[i] for i in indexes]
    return tuple(sorted({e for e in chosen if e is not None}))


def validate(frames: Mapping[str, pl.DataFrame]) -> list[CheckResult]:
    """Validate a batch: `derive_checks`, then each table's suite in one GX ephemeral context.

    Tables absent from `frames` are skipped; empty frames validate. Results follow `TABLES` order, then
    suite order. `failing_episode_ids` lets the caller quarantine exactly the failing episodes.
    """
    derived = derive_checks(frames)
    if not derived:
        return []
    gx = _gx()
    context = _ephemeral_context(gx)
    source = context.data_sources.add_pandas(name="tlake")
    out: list[CheckResult] = []
    for name, table in TABLES.items():
        frame = derived.get(name)
        if frame is None:
            continue
        pdf = frame.to_pandas()
        episode_ids = frame["episode_id"].to_list() if "episode_id" in frame.columns else None
        asset = source.add_dataframe_asset(name=name)
        batch = asset.add_batch_definition_whole_dataframe(name="batch").get_batch(batch_parameters={"dataframe": pdf})
        # COMPLETE is needed for unexpected_index_list (the pandas RangeIndex positions of bad rows).
        validation = batch.validate(build_suite(table), result_format={"result_format": "COMPLETE"})
        for res in validation.results:
            meta = res.expectation_config.meta or {}
            result = res.result or {}
            success = bool(res.success)
            if res.exception_info and res.exception_info.get("raised_exception"):
                success = False
                result = {"observed_value": f"error: {res.exception_info.get('exception_message')}"}
            out.append(
                CheckResult(
                    table_name=name,
                    expectation=meta["name"],
                    column_name=meta.get("column_name"),
                    success=success,
                    observed=_observed(result, success),
                    blocking=bool(meta["blocking"]),
                    failing_episode_ids=_failing_episodes(result, success, episode_ids),
                )
            )
    return out
