"""A killed `tlake run` takes its processes with it.

Prefect's temporary API server and a run's worker processes are children of the `tlake` process; when it is
killed (SIGKILL, an OOM kill) nothing stops them, and they live on, orphaned. `start_reaper` starts a small
watchdog in a session of its own: it notes the run's descendants every `POLL_S` seconds from /proc, and once
the run is gone it ends the ones it saw (SIGTERM, then SIGKILL after `GRACE_S`), each checked by its start
time so that a recycled process id is never touched. Linux only (it needs /proc); elsewhere it does nothing.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

POLL_S = 0.5
GRACE_S = 3.0
_PROC = Path("/proc")


def start_reaper() -> None:
    """Watch this process; when it dies, end the processes it left behind."""
    if not (_PROC / str(os.getpid()) / "stat").exists():
        return
    subprocess.Popen(
        [sys.executable, "-m", "flows.reaper", str(os.getpid()), str(_start_time(os.getpid()))],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # so a kill of the run's process group does not take the watchdog first
        close_fds=True,
    )


def _stat(pid: int) -> tuple[int, int] | None:
    """(parent pid, start time in clock ticks) of a living process, or None if it is gone or a zombie (a dead
    process whose parent has not collected it: its children have already been handed to init)."""
    try:
        raw = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()  # the name, in brackets, may hold spaces
    if fields[0] in ("Z", "X"):
        return None
    return int(fields[1]), int(fields[19])


def _start_time(pid: int) -> int | None:
    stat = _stat(pid)
    return stat[1] if stat else None


def descendants(pid: int) -> dict[int, int]:
    """Every living descendant of `pid`, with its start time."""
    children: dict[int, list[tuple[int, int]]] = {}
    for entry in _PROC.iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            children.setdefault(stat[0], []).append((int(entry.name), stat[1]))
    found: dict[int, int] = {}
    todo = [pid]
    while todo:
        for child, started in children.get(todo.pop(), []):
            if child not in found:
                found[child] = started
                todo.append(child)
    return found


def watch(parent: int, parent_started: int) -> None:
    """Until `parent` (started at `parent_started`) is gone, note its descendants; then end them."""
    seen: dict[int, int] = {}
    while _start_time(parent) == parent_started:
        now = {pid: started for pid, started in descendants(parent).items() if pid != os.getpid()}
        if _start_time(parent) == parent_started:  # still alive after the scan: the scan is its whole family
            seen = now
        time.sleep(POLL_S)
    for sig, wait in ((signal.SIGTERM, GRACE_S), (signal.SIGKILL, 0.0)):
        left = {pid: started for pid, started in seen.items() if _start_time(pid) == started}
        for pid in left:
            with contextlib.suppress(OSError):  # gone meanwhile
                os.kill(pid, sig)
        deadline = time.monotonic() + wait
        while left and time.monotonic() < deadline:
            left = {pid: started for pid, started in left.items() if _start_time(pid) == started}
            time.sleep(0.1)
        seen = left


if __name__ == "__main__":
    watch(int(sys.argv[1]), int(sys.argv[2]))
