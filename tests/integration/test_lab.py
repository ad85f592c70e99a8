# SPDX-License-Identifier: ISC
"""tools/vdp-lab demo from start to end: it runs the whole story, and when
it returns nothing it started is left: no vdpd, no vdp-station daemon, no
other process, no network namespace and no run directory of its own.

The demo runs with a mark in its environment, which every process it
starts inherits (`ip netns exec`, the libtool wrappers and the daemons pass
their environment on), so its processes are found whatever their name or
namespace, and told apart from those of anyone else on the machine.  It
runs under its own lab name (VDPLAB_NAME), so that its namespaces cannot
be confused with another lab's either."""
import os
import subprocess
import uuid

from conftest import BUILD, TAG, TOP, need_root, sh
from procs import describe, marked, reap

LAB = os.path.join(TOP, "tools", "vdp-lab")
# The whole demo: about 10 s on an idle machine, a minute with every CPU busy.
DEMO_TIMEOUT = 300


def namespaces(prefix):
    out = sh("ip", "netns", "list").stdout.split()
    return [n for n in out if n.startswith(prefix + "-")]


def test_demo_leaves_nothing_behind(tmp_path):
    need_root()
    name = f"vdplab-{TAG}"
    mark = uuid.uuid4().hex
    env = dict(os.environ, VDPLAB_NAME=name, VDPLAB_TEST_MARK=mark)
    try:
        r = subprocess.run([LAB, "demo", BUILD], env=env, capture_output=True, text=True,
                           timeout=DEMO_TIMEOUT)
        out = r.stdout + r.stderr
        assert r.returncode == 0, out[-4000:]
        assert "== 7. all VMs removed" in out and "== done" in out, out[-4000:]
        left = marked("VDPLAB_TEST_MARK", mark)
        assert left == [], "still running after the demo:\n" + "\n".join(map(describe, left))
        assert namespaces(name) == []
        assert not os.path.exists(f"/run/{name}")
    finally:
        # Whatever a failing demo left, so that the next test starts clean.
        reap(marked("VDPLAB_TEST_MARK", mark))
        for ns in namespaces(name):
            sh("ip", "netns", "del", ns, check=False)
