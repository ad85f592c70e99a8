# SPDX-License-Identifier: ISC
"""A control-socket client for test_ctl_access.py, run under setpriv as an
unprivileged user.  `ctlpeer.py SOCK hold N`: opens N connections, says
"ready" once all are connected, then waits (bounded) until vdpd closes each
and prints, as JSON, what each received before its end.  `ctlpeer.py SOCK
ask REQUEST`: sends one request and prints the answer; exit 3 when the
socket refuses the connection (no permission)."""
import json
import socket
import struct
import sys

BOUND = 60  # seconds: a hang guard, far beyond any deadline under test


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    # A blocking connect waits for room in the listen backlog (a loaded
    # vdpd accepts late; a non-blocking one would fail with EAGAIN), bounded
    # by SO_SNDTIMEO, which a Unix socket's connect waits under.
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, struct.pack("ll", BOUND, 0))
    s.connect(path)
    s.settimeout(BOUND)
    return s


def drain(s):
    data = b""
    try:
        while True:
            b = s.recv(4096)
            if not b:
                return data.decode(errors="replace")
            data += b
    except OSError as e:
        return data.decode(errors="replace") + f"<{e.__class__.__name__}>"


def main():
    path, what = sys.argv[1], sys.argv[2]
    if what == "hold":
        socks = [connect(path) for _ in range(int(sys.argv[3]))]
        print("ready", flush=True)
        print(json.dumps([drain(s) for s in socks]), flush=True)
        return 0
    try:
        s = connect(path)
    except PermissionError:
        print("EACCES")
        return 3
    try:
        s.sendall(sys.argv[3].encode() + b"\n")
    except BrokenPipeError:
        pass  # turned away at connect: the answer says why
    print(drain(s), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
