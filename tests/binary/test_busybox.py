"""Debian 12's busybox-static (1.35, a static non-PIE glibc program linked at
0x400000 with PT_TLS), unmodified, from its package (uniforge.debroot), in
binary-compatibility mode: `uniforge run ROOT/bin/busybox --sysroot ROOT`,
on qemu/x86_64 and microvm/x86_64 (amd64) and qemu/arm64 (the arm64
package: the issue's stretch).

The shell's external commands go through fork in one address space
(posix-process's fork.c: the parent waits, the child runs on a saved copy of
its memory and kernel state, which comes back when the child ends) and, for
a path that is not one of busybox's NOFORK/NOEXEC applets, execve of the same
image (ukelfload). Checked: the issue's acceptance command, that /tmp/x was
really made and removed, `uname -n` = /etc/hostname, binary output byte
for byte, exit statuses through `$?` and the guest's status
(exit, a child killed by a signal), pipelines (a writer far beyond the pipe's
64 KiB too) and command substitution, vfork + execve (xargs), and that an exec'd program really is a new
program (its own /proc/self/cmdline, /proc/self/exe readable).

The kernel's own console lines (UK-NET, UK-ENOSYS) are
dropped from the comparison; everything else is the program's output.
"""
from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

from binhelp import TARGETS, deb_arch, failure, run_binary, split_console
from conftest import REPO

pytestmark = pytest.mark.boot

BUSYBOX = "/bin/busybox"        # the path scripts use: /bin -> usr/bin (merged /usr) in the initrd


def root_for(target: str) -> Path:
    """busybox-static of the target's architecture (amd64, or arm64 for
    qemu/arm64: the issue's stretch), unpacked by uniforge.debroot."""
    sys.path.insert(0, str(REPO))
    from uniforge import debroot
    return debroot.sysroot(["busybox-static"], arch=deb_arch(target))


@pytest.fixture
def rootfs(tmp_path) -> Path:
    """/etc/hostname of our own, so that `cat /etc/hostname` has a known answer."""
    d = tmp_path / "rootfs"
    (d / "etc").mkdir(parents=True)
    (d / "etc" / "hostname").write_text("busybox-guest\n")
    return d


def sh(target: str, script: str, rootfs: Path, **kw):
    return run_binary(root_for(target), BUSYBOX, target, ["sh", "-c", script], rootfs=rootfs, **kw)


def program_lines(out: str) -> list[str]:
    """The guest's console without the kernel's own UK-... lines."""
    return [line for line in out.splitlines() if not re.match(r"UK-[A-Z]+ ", line)]


@pytest.mark.parametrize("target", TARGETS)
def test_the_acceptance_command(rootfs, target):
    r = sh(target, "echo hi; ls /; cat /etc/hostname; mkdir /tmp/x; rm -r /tmp/x", rootfs)
    assert r.rc == 0, failure(r)
    # ls /: the initrd's top (/bin -> usr/bin, /usr with the program, /etc,
    # /tmp, /root) and what the kernel mounts (/dev, /proc, /sys)
    assert program_lines(r.out) == ["hi", "bin", "dev", "etc", "proc", "root", "sys", "tmp", "usr",
                                    "busybox-guest"], failure(r)


@pytest.mark.parametrize("target", TARGETS)
def test_uname_n_is_the_hostname(rootfs, target):
    """uname's node name (`uname -n`, `hostname`: gethostname) is what
    /etc/hostname says: the tool's own, or the one a --rootfs brings."""
    for fs, want in ((None, "uniforge"), (rootfs, "busybox-guest")):
        r = sh(target, "uname -n; cat /etc/hostname; hostname", fs)
        assert r.rc == 0, failure(r)
        assert program_lines(r.out) == [want] * 3, failure(r)


@pytest.mark.parametrize("target", TARGETS)
def test_binary_output_is_byte_exact(rootfs, target):
    """`cat` of a binary file: the guest's bytes reach uniforge's stdout
    unchanged (every byte value, invalid UTF-8, \r\n, ^D, escapes; the
    runner decoded them as UTF-8 before)."""
    data = bytes(range(256)) * 4 + random.Random(11).randbytes(60000).replace(b"\nUK-", b"\nuk-") + b"\xc3"
    (rootfs / "blob").write_bytes(data)
    r = run_binary(root_for(target), BUSYBOX, target, ["cat", "/blob"], rootfs=rootfs, raw=True)
    assert r.rc == 0, failure(r)
    out, kernel = split_console(r.out)         # the kernel's UK-NET line, on a line of its own
    assert all(line.startswith("UK-NET ") for line in kernel), kernel
    assert out == data, (len(out), len(data), r.err[-2000:])


@pytest.mark.parametrize("target", TARGETS)
def test_tmp_x_is_really_made_and_removed(rootfs, target):
    r = sh(target, "mkdir /tmp/x; ls -d /tmp/x; echo made=$?; rm -r /tmp/x; ls -d /tmp/x; echo gone=$?",
           rootfs)
    assert r.rc == 0, failure(r)
    assert program_lines(r.out) == ["/tmp/x", "made=0", "ls: /tmp/x: No such file or directory", "gone=1"], \
        failure(r)


@pytest.mark.parametrize("target", TARGETS)
def test_exit_statuses(rootfs, target):
    # a failing command's status through $?; the shell's own exit status is the guest's
    r = sh(target, "false; echo $?; /bin/busybox false; echo $?; /bin/busybox sh -c 'exit 5'; echo $?; "
                         "/bin/busybox sh -c 'kill -TERM $$'; echo $?; exit 7", rootfs)
    # a child killed by SIGTERM (WIFSIGNALED): ash says so, and $? is 128 + 15
    assert program_lines(r.out) == ["1", "1", "5", "Terminated", "143"], failure(r)
    assert r.rc == 7, failure(r)


@pytest.mark.parametrize("target", TARGETS)
def test_pipes_substitution_and_exec(rootfs, target):
    r = sh(target,
           "echo abc | tr a-z A-Z; echo \"sub:$(echo inner; /bin/busybox echo exec)\"; seq 1 3 | wc -l; "
           "cd /tmp; (cd /; pwd); pwd; readlink /proc/self/exe; "
           # an exec'd program is a new one: its own argv in /proc/self/cmdline
           "/bin/busybox cat /proc/self/cmdline | tr '\\0' ' '; echo; "
           # env (an applet) execs another program with the environment it was given
           "export FOO=bar; /bin/busybox env | grep ^FOO=; env -i /bin/busybox env | wc -l; "
           # a writer beyond the pipe's 64 KiB: the pipe grows while a fork's child writes
           "seq 1 100000 | wc -l",
           rootfs)
    assert r.rc == 0, failure(r)
    assert program_lines(r.out) == ["ABC", "sub:inner", "exec", "3", "/", "/tmp", "/usr/bin/busybox",
                                    "/bin/busybox cat /proc/self/cmdline ", "FOO=bar", "0", "100000"], failure(r)


@pytest.mark.parametrize("target", TARGETS)
def test_vfork_and_execve_through_xargs(rootfs, target):
    # xargs spawns with vfork (CLONE_VM|CLONE_VFORK) + execve: the parent's
    # memory is saved at the child's execve and comes back at its end;
    # xargs reports 123 for a command that failed, 125 for one killed
    r = sh(target, "echo a b | xargs /bin/busybox echo got; echo st=$?; "
                         "echo c | xargs /bin/busybox false; echo st=$?; "
                         "echo d | xargs /bin/busybox sh -c 'kill -9 $$'; echo st=$?", rootfs)
    assert r.rc == 0, failure(r)
    assert program_lines(r.out) == ["got a b", "st=0", "st=123", "xargs: '/bin/busybox' terminated by signal 9",
                                    "st=125"], failure(r)

