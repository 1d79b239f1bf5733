"""The listen backlog of QEMU's forwarded host ports.

QEMU's user network (libslirp 4.7, `tcp_listen`) listens on each `-p` TCP
host port with a backlog of 1 (`ss -ltn` shows Send-Q 1): the host kernel
holds at most two connections slirp has not accepted yet and drops the SYNs
of any more (TcpExtListenOverflows). A client that opens several
connections at once (redis-benchmark -c10) loses some: they retry after 1 s,
then 3 s..., and meanwhile two connections carry the whole run. That made
issue 11's unpipelined redis figures a lottery (0.16x of the from-source
build in one run, 1.84x in another: both builds fall into it, more often on
a loaded host).

widen() gives each such socket a backlog of BACKLOG: it takes a duplicate
of QEMU's listening socket with pidfd_getfd(2) (Linux 5.6; allowed because
QEMU is the caller's child: ptrace's access check) and calls listen() on it
again, which on a listening socket only changes the backlog. Call it once
QEMU runs the guest (its forwards are set up before the machine starts).
Only for QEMU's user network: a program's own listening socket keeps the
backlog it chose (widen() would set it, not raise it).

    widen(pid, ports) -> list[str]   the forwards left at QEMU's backlog, with why (empty: all widened)
"""
from __future__ import annotations

import ctypes
import os
import socket

BACKLOG = 128
_SYS_PIDFD_GETFD = 438          # the same number on every Linux architecture (new calls since 5.1)


def listening_inodes(host_ip: str, port: int) -> set[int]:
    """Socket inodes listening on host_ip:port over IPv4 (/proc/net/tcp)."""
    want = socket.inet_aton(host_ip)[::-1].hex().upper() + f":{port:04X}"
    found = set()
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            w = line.split()
            if w[1] == want and w[3] == "0A":           # local address, state TCP_LISTEN
                found.add(int(w[9]))
    return found


def _fd_of(pid: int, inodes: set[int]) -> int | None:
    """pid's file descriptor number for one of `inodes`, or None."""
    try:
        names = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return None
    for name in names:
        try:
            link = os.readlink(f"/proc/{pid}/fd/{name}")
        except OSError:
            continue
        if link.startswith("socket:[") and int(link[8:-1]) in inodes:
            return int(name)
    return None


def _getfd(pid: int, fd: int) -> int:
    """A duplicate of pid's fd in this process (pidfd_getfd). Raises OSError."""
    pidfd = os.pidfd_open(pid)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall.restype = ctypes.c_long
        mine = libc.syscall(ctypes.c_long(_SYS_PIDFD_GETFD), ctypes.c_int(pidfd), ctypes.c_int(fd),
                            ctypes.c_uint(0))
        if mine < 0:
            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err))
        return mine
    finally:
        os.close(pidfd)


def widen(pid: int, ports) -> list[str]:
    """Sets the backlog of process pid's listening sockets for the TCP
    forwards in `ports` (runner.net.PortForward) to BACKLOG. Returns one
    line per forward left as it was, saying why; never raises."""
    problems = []
    for p in ports:
        if p.proto != "tcp":
            continue
        try:
            fd = _fd_of(pid, listening_inodes(p.host_ip, p.host_port))
            if fd is None:
                problems.append(f"{p.host_ip}:{p.host_port}: process {pid} does not listen there")
                continue
            with socket.socket(fileno=_getfd(pid, fd)) as s:
                s.listen(BACKLOG)
        except OSError as e:
            problems.append(f"{p.host_ip}:{p.host_port}: {e.strerror or e} (pidfd_getfd needs Linux 5.6 "
                            f"and ptrace access to QEMU)")
    return problems
