"""Find input files and decide what a run must do with each: new, changed, unchanged, missing."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tasks.model import Finding


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: Path  # absolute, resolved
    source_path: str  # relative to its input root, POSIX; the key of `sources`
    size: int
    sha256: str
    name_finding: Finding | None = None


@dataclass(frozen=True, slots=True)
class Rejected:
    source_path: str
    finding: Finding
    size: int = 0
    sha256: str = ""


@dataclass(frozen=True, slots=True)
class Known:
    sha256: str
    status: str
    pipeline_version: str
    episode_id: str | None
    bytes: int = 0


@dataclass(frozen=True, slots=True)
class Plan:
    new: tuple[SourceFile, ...]
    changed: tuple[SourceFile, ...]
    unchanged: tuple[SourceFile, ...]
    missing: tuple[str, ...]
    rejected: tuple[Rejected, ...]
    duplicates: tuple[tuple[SourceFile, str], ...]  # (file, source_path of the first file with its content)

    @property
    def to_process(self) -> tuple[SourceFile, ...]:
        return self.new + self.changed


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _source_key(root: Path, path: Path) -> tuple[str, bool]:
    """The `sources` key: the path relative to its input folder, so adding or removing another
    --input never renames a file. Also whether the name had to be escaped to be stored as text."""
    key = path.relative_to(root).as_posix()
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        # Bytes that are not UTF-8 arrive as surrogates; tables need text, so show them escaped.
        return key.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace"), True
    return key, False


def walk(roots: Iterable[Path], max_bytes: int) -> tuple[list[SourceFile], list[Rejected]]:
    """Regular files under the roots, sorted; hidden files and folders skipped; symlinks followed
    only when they stay inside their root; special files, unreadable and oversized files rejected."""
    roots = [Path(r).resolve() for r in roots]
    files: list[SourceFile] = []
    rejected: list[Rejected] = []
    claimed: dict[str, str] = {}
    for root in roots:
        if not root.is_dir():
            rejected.append(
                Rejected(
                    str(root),
                    Finding("input_not_found", "error", f"input folder {root} does not exist or is not a folder"),
                )
            )
            continue
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for filename in sorted(filenames):
                if filename.startswith("."):
                    continue
                path = Path(dirpath) / filename
                key, escaped = _source_key(root, path)
                if key in claimed:
                    # Two input folders hold the same relative path: the first folder's file keeps it.
                    rejected.append(
                        Rejected(
                            str(path),
                            Finding("path_clash", "error", f"{key} is also in {claimed[key]}; this copy is not read"),
                        )
                    )
                    continue
                claimed[key] = str(root)
                outcome = _check(path, root, key, max_bytes, escaped)
                (files if isinstance(outcome, SourceFile) else rejected).append(outcome)
    files.sort(key=lambda f: f.source_path)
    return files, rejected


def _check(path: Path, root: Path, key: str, max_bytes: int, escaped: bool) -> SourceFile | Rejected:
    try:
        if path.is_symlink():
            target = path.resolve(strict=True)
            if not target.is_relative_to(root):
                return Rejected(
                    key,
                    Finding(
                        "symlink_outside_root",
                        "error",
                        f"symlink points outside the input folder (to {target}); not read",
                    ),
                )
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return Rejected(
                key, Finding("not_a_regular_file", "error", "not a regular file (a FIFO, device or socket); not read")
            )
        if info.st_size > max_bytes:
            return Rejected(
                key,
                Finding(
                    "file_too_large",
                    "error",
                    f"{info.st_size:,} bytes is over the cap of {max_bytes:,} (TLAKE_MAX_FILE_BYTES)",
                ),
                info.st_size,
            )
        odd = (
            Finding("odd_file_name", "warning", "the file name is not valid UTF-8; shown with \\x escapes")
            if escaped
            else None
        )
        return SourceFile(path.resolve(), key, info.st_size, sha256_file(path), odd)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop
        return Rejected(key, Finding("unreadable_file", "error", f"cannot read the file: {exc}"))


def plan(files: list[SourceFile], rejected: list[Rejected], known: dict[str, Known], pipeline_version: str) -> Plan:
    present = {f.source_path: f for f in files}
    # Content already published from a file that is still here, unchanged, keeps its owner; any
    # other copy is a duplicate. A duplicate whose owner left becomes the owner on this run.
    owner_of: dict[str, str] = {}
    for path, k in sorted(known.items()):
        if k.status == "published" and path in present and present[path].sha256 == k.sha256:
            owner_of.setdefault(k.sha256, path)
    new, changed, unchanged, duplicates = [], [], [], []
    for f in files:
        owner = owner_of.setdefault(f.sha256, f.source_path)
        if owner != f.source_path:
            duplicates.append((f, owner))
            continue
        previous = known.get(f.source_path)
        if previous is None:
            new.append(f)
        elif (
            previous.sha256 != f.sha256
            or previous.pipeline_version != pipeline_version
            or previous.status in ("missing", "duplicate")
        ):
            # A quarantined file is retried when its bytes or the pipeline change, not on every run.
            changed.append(f)
        else:
            unchanged.append(f)
    seen = {f.source_path for f in files} | {r.source_path for r in rejected}
    missing = tuple(sorted(p for p, k in known.items() if p not in seen and k.status != "missing"))
    return Plan(tuple(new), tuple(changed), tuple(unchanged), missing, tuple(rejected), tuple(duplicates))
