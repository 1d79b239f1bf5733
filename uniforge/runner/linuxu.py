"""linuxu runner: the image is a Linux executable; run it directly.

Kernel arguments go before `--`, application arguments after; the heap size
(`-m`) travels in the UK_MEM_MB environment variable, the initrd's path
(`--initrd`) in UK_INITRD.
"""
from __future__ import annotations


def command(spec) -> tuple[list[str], dict]:
    argv = [str(spec.image)] + list(spec.kernel_args)
    if spec.app_args or spec.kernel_args:
        argv += ["--"] + list(spec.app_args)
    env = {}
    if spec.memory_mb:
        env["UK_MEM_MB"] = str(spec.memory_mb)
    if spec.initrd is not None:
        env["UK_INITRD"] = str(spec.initrd.resolve())
    return argv, env
