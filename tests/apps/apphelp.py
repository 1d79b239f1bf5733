"""Helpers for the application tests (tests/apps/test_<app>.py): a hermetic
copy of an app folder, then the real `uniforge build` / `uniforge run` on
it, with the timeouts real programs need under QEMU TCG on a loaded host.

    app = app_copy("sqlite3", tmp_path)          # apps/sqlite3 → tmp_path/sqlite3
    r = build_app(app, "qemu/x86_64")
    r = run_app(app, "qemu/x86_64", args=[":memory:", ".read /t.sql"], rootfs=tree)
    assert r.rc == 0, r.text

Results are conftest.Result (rc, out, err, text). Nothing is skipped: a
missing host program is setup's job (./dev).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import APPS, Result, copy_app, uniforge

BUILD_TIMEOUT = 3600        # a cold build of a big app (python3) on 2 busy cores
BOOT_TIMEOUT = 120          # the guest's own --timeout (status 124 when it runs out)


def app_copy(name_or_dir: str | Path, tmp: Path) -> Path:
    """A copy of apps/<name> (or of a folder) in `tmp`, without build output
    or saved configuration."""
    src = Path(name_or_dir)
    if not src.is_absolute() and not src.exists():
        src = APPS / str(name_or_dir)
    return copy_app(src, Path(tmp))


def build_app(app: Path, target: str, sets: list[str] = (), timeout: float = BUILD_TIMEOUT) -> Result:
    """`uniforge build APP -t TARGET [--set X=Y]...`."""
    args = ["build", app, "-t", target]
    for s in sets:
        args += ["--set", s]
    return uniforge(*args, timeout=timeout)


def run_app(app: Path, target: str, args: list[str] | None = None, *, rootfs: Path | None = None,
            memory: str | None = None, ports: list[str] = (), sets: list[str] = (),
            env: list[str] = (), stdin: str | bytes | None = None, strace: bool = False,
            boot_timeout: float = BOOT_TIMEOUT, timeout: float = BUILD_TIMEOUT) -> Result:
    """`uniforge run APP -t TARGET -q --timeout BOOT_TIMEOUT [options] [-- ARGS]`
    (builds first if needed; `timeout` bounds the whole command). `args`
    None: the manifest's cmd. `stdin`: text fed to the guest's console
    (else no input: /dev/null). `ports`: -p values, e.g. f"{port}:80".
    `env`: -e NAME=VALUE values."""
    cmd = ["run", app, "-t", target, "-q", "--timeout", str(boot_timeout)]
    if rootfs is not None:
        cmd += ["--rootfs", rootfs]
    if memory is not None:
        cmd += ["-m", memory]
    for p in ports:
        cmd += ["-p", p]
    for s in sets:
        cmd += ["--set", s]
    for e in env:
        cmd += ["-e", e]
    if strace:
        cmd.append("--strace")
    if args is not None:
        cmd += ["--", *args]
    data = stdin.encode() if isinstance(stdin, str) else stdin
    p = subprocess.run([sys.executable, "-m", "uniforge", *map(str, cmd)], input=data if data is not None else b"",
                       capture_output=True, timeout=timeout, env={**os.environ, "COLUMNS": "200"})
    return Result(p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace"))


def start_app(app: Path, target: str, args: list[str] | None = None, *, rootfs: Path | None = None,
              memory: str | None = None, ports: list[str] = (), sets: list[str] = (),
              boot_timeout: float = 600) -> subprocess.Popen:
    """`uniforge run` in the background (a server: nginx, redis), output to
    pipes, stdin closed. The caller waits for its ready line or port, and
    ends it with stop_app()."""
    cmd = ["run", app, "-t", target, "-q", "--timeout", str(boot_timeout)]
    if rootfs is not None:
        cmd += ["--rootfs", rootfs]
    if memory is not None:
        cmd += ["-m", memory]
    for p in ports:
        cmd += ["-p", p]
    for s in sets:
        cmd += ["--set", s]
    if args is not None:
        cmd += ["--", *args]
    return subprocess.Popen([sys.executable, "-m", "uniforge", *map(str, cmd)], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "COLUMNS": "200"})


def stop_app(proc: subprocess.Popen, timeout: float = 20) -> Result:
    """End a start_app() guest (SIGTERM: the runner stops QEMU) and collect
    its output."""
    if proc.poll() is None:
        proc.terminate()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    return Result(proc.returncode, out, err)


__all__ = ["app_copy", "build_app", "run_app", "start_app", "stop_app", "uniforge", "BOOT_TIMEOUT"]
