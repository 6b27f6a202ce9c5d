"""The suite's last test (CTest FIXTURES_CLEANUP, after every unit and integration test): no
process that a test started is still alive.

A process belongs to this suite when it, or one of its ancestors:
  - has BENCHCTL_TEST_SUITE=<this build directory> in its environment (CTest sets it for every
    test, and every process a test starts inherits it unless it empties its environment);
  - has harness.SUITE_MARK in its command line (run_harness's tags, the harness's temporary
    directories): nginx, which clears its environment, and the daemons of fake_target.py that
    exec with an empty one are found this way;
  - runs the benchctl binary under test (benchctl itself, and the supervisors it forks).
Whatever is found is listed and SIGKILLed, so that the suite leaves nothing behind even when it
fails, and the check fails. Processes of other builds' suites running at the same time carry
other marks and are left alone.
"""

import os
import signal
import sys
import time

from harness import SUITE_MARK


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def process_table():
    """pid -> (ppid, state, command line as bytes) for every process but this one."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        stat = read(f"/proc/{name}/stat")
        if stat is None:
            continue
        fields = stat.rsplit(b")", 1)[1].split()
        table[int(name)] = (int(fields[1]), fields[0].decode(), read(f"/proc/{name}/cmdline") or b"")
    return table


def belongs_to_suite(pid, cmdline, suite_env, binary):
    if SUITE_MARK.encode() in cmdline:
        return True
    environ = read(f"/proc/{pid}/environ") or b""
    if suite_env in environ.split(b"\0"):
        return True
    try:
        return binary is not None and os.path.samefile(f"/proc/{pid}/exe", binary)
    except OSError:
        return False


def leftovers():
    suite = os.environ.get("BENCHCTL_TEST_SUITE")
    if not suite:
        sys.exit("check_no_leftovers: BENCHCTL_TEST_SUITE is not set; run it through ctest")
    suite_env = f"BENCHCTL_TEST_SUITE={suite}".encode()
    binary = os.environ.get("BENCHCTL")
    table = process_table()
    # Zombies are dead already; their parent reaps them.
    live = {pid: entry for pid, entry in table.items() if entry[1] not in ("Z", "X")}
    ancestors = set()
    pid = os.getppid()
    while pid > 1 and pid in table:
        ancestors.add(pid)
        pid = table[pid][0]
    found = {pid for pid, (_, _, cmdline) in live.items()
             if pid not in ancestors and belongs_to_suite(pid, cmdline, suite_env, binary)}
    # Descendants of what was found belong to the suite as well.
    grew = True
    while grew:
        grew = False
        for pid, (ppid, _, _) in live.items():
            if ppid in found and pid not in found and pid not in ancestors:
                found.add(pid)
                grew = True
    return {pid: live[pid][2] for pid in found}


def main():
    # A test's processes get a moment to finish dying after its last assertion.
    deadline = time.monotonic() + 3
    left = leftovers()
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = leftovers()
    if not left:
        print(f"check_no_leftovers: no process of the suite (mark {SUITE_MARK}) is alive")
        return 0
    print(f"check_no_leftovers: {len(left)} process(es) started by the tests are still alive:")
    for pid, cmdline in sorted(left.items()):
        text = cmdline.replace(b"\0", b" ").decode(errors="replace")
        print(f"  {pid}: {text[:300]}")
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    print("check_no_leftovers: killed them; a test above leaks processes")
    return 1


if __name__ == "__main__":
    sys.exit(main())
