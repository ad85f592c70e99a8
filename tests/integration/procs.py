#!/usr/bin/env python3
"""Processes found by a mark in their environment, and stopped for good.

A test run (tests/run), a tier or a lab puts KEY=VALUE in the environment
of what it starts; every process started from there inherits it (`ip netns
exec`, unshare, the libtool wrappers, daemons that fork), so whatever is
still running with the mark when the starter is done was left behind by
it, whatever its name or namespace, and nobody else's process is taken for
one of ours.  Zombies are not counted: they run nothing and their parent
(or init) reaps them.

  procs.py list KEY=VALUE   prints each marked process, one a line
  procs.py reap KEY=VALUE   prints each one, stops it (SIGTERM, then SIGKILL)
                            and exits 1 if there was any
"""
import os
import signal
import sys
import time
from collections import namedtuple

# A process's orderly exit after SIGTERM: vdpd removes its kernel state,
# lldpad and lldpd tell their peers; well under a second when idle.
TERM_TIMEOUT = 10.0
# After SIGKILL only the kernel is left to act.
KILL_TIMEOUT = 5.0

Proc = namedtuple("Proc", "pid comm start cmdline")


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def _stat(pid):
    """(state, start time) from /proc/PID/stat, or None when gone."""
    raw = _read(f"/proc/{pid}/stat")
    if raw is None:
        return None
    fields = raw[raw.rindex(b")") + 2:].split()
    return fields[0].decode(), int(fields[19])


def marked(key, value, exclude=()):
    """The live (not zombie) processes whose environment holds KEY=VALUE."""
    want = f"{key}={value}".encode()
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        pid = int(d)
        if pid == os.getpid() or pid in exclude:
            continue
        env = _read(f"/proc/{pid}/environ")
        st = _stat(pid)
        if not env or st is None or st[0] == "Z" or want not in env.split(b"\0"):
            continue
        comm = (_read(f"/proc/{pid}/comm") or b"?").decode(errors="replace").strip()
        cmd = (_read(f"/proc/{pid}/cmdline") or b"").replace(b"\0", b" ").decode(errors="replace")
        out.append(Proc(pid, comm, st[1], cmd.strip()))
    return sorted(out)


def alive(p):
    st = _stat(p.pid)
    return st is not None and st[0] != "Z" and st[1] == p.start


def _signal_all(procs, sig, timeout):
    for p in procs:
        if alive(p):
            try:
                os.kill(p.pid, sig)
            except ProcessLookupError:
                pass
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        left = [p for p in procs if alive(p)]
        if not left:
            return []
        for p in left:  # our own children: reap them, or they stay zombies
            try:
                os.waitpid(p.pid, os.WNOHANG)
            except ChildProcessError:
                pass
        time.sleep(0.05)
    return [p for p in procs if alive(p)]


def reap(procs):
    """Stops procs: SIGTERM, and SIGKILL what is left after TERM_TIMEOUT.
    Returns the ones SIGKILL did not stop either."""
    left = _signal_all(procs, signal.SIGTERM, TERM_TIMEOUT)
    return _signal_all(left, signal.SIGKILL, KILL_TIMEOUT) if left else []


def describe(p):
    return f"pid {p.pid} ({p.comm}): {p.cmdline[:200]}"


def main(argv):
    if len(argv) != 3 or argv[1] not in ("list", "reap") or "=" not in argv[2]:
        print(__doc__.strip().split("\n\n")[-1], file=sys.stderr)
        return 2
    key, value = argv[2].split("=", 1)
    procs = marked(key, value, exclude=(os.getppid(),))
    for p in procs:
        print(describe(p))
    if argv[1] == "reap" and procs:
        for p in reap(procs):
            print(f"cannot stop {describe(p)}")
    return 1 if procs and argv[1] == "reap" else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
