"""linuxu runner: the image is a Linux executable; run it directly.

The process's argv is the guest command line (qemu.guest_words: kernel
arguments and KEY=VALUE environment words before `--`, application arguments
after, `---` at the end); the heap size (`-m`) travels in the UK_MEM_MB
environment variable, the initrd's path (`--initrd`) in UK_INITRD. The
guest's environment is only what the command line carries (the manifest's
`env:` and `-e`), never the host's: the image must behave the same as on the
VM targets, and host paths mean nothing inside it.
"""
from __future__ import annotations


def command(spec) -> tuple[list[str], dict]:
    from .qemu import guest_words
    argv = [str(spec.image)] + guest_words(spec.kernel_args, spec.app_args, spec.env)
    env = {}
    if spec.memory_mb:
        env["UK_MEM_MB"] = str(spec.memory_mb)
    if spec.initrd is not None:
        env["UK_INITRD"] = str(spec.initrd.resolve())
    return argv, env
