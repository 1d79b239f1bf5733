"""The applications benchmark's baselines: Debian 12's own binaries of the
same versions (sqlite3, lua5.4, nginx, redis-server, python3.11), fetched
with uniforge.debpkg (the private apt, .debs cached in
~/.cache/uniforge/deb/amd64) and unpacked by uniforge.debroot into its
cached root (~/.cache/uniforge/debroot/<hash>/; nothing installed on the
host), run

- as host processes (the libraries they need that the packages do not hold
  come from the host, a Debian 12 too: LD_LIBRARY_PATH lists the
  unpacked folders first);
- in a Linux VM: the Debian kernel the other baselines boot, an initramfs
  holding the binary, its ELF interpreter and its DT_NEEDED closure (read
  with pyelftools, resolved in the unpacked packages, then the host's
  /lib), the files it reads (nginx's config and page, redis's config,
  the Python modules the check imports), and /init (apps/linux/app_init.c)
  that starts it; same QEMU, machine, user networking and forwards as ours
  (net_linux's pieces).

    unpack(spec)                           -> the unpacked root
    host_cmd(spec, port, workdir)          -> (argv, env) of the host process
    linux_vm_cmd(spec, target, port, mem)  -> QEMU's argv
    SERVER configs: nginx.conf / redis.conf, the same words the apps' own say
"""
from __future__ import annotations

import dataclasses
import gzip
import hashlib
import os
import shlex
from pathlib import Path

from app_specs import AppSpec
from common import BENCH_DIR, CACHE_DIR, REPO_DIR, BaselineError, check
from linux_boot import linux_cmd
from net_linux import NET_INIT_SRC, build_musl, kernel_modules, nic_args, with_acpi
from uniforge import debpkg, debroot
from uniforge.cpio import newc_chardev, newc_dir, newc_file, write_newc
from uniforge.errors import UserError
from uniforge.targets import TARGETS

APP_INIT_SRC = BENCH_DIR / "apps" / "linux" / "app_init.c"
PEAK_RSS_SRC = BENCH_DIR / "apps" / "host" / "peak_rss.c"
PEAK_RSS_LINE = "PEAK-RSS-KIB"
HOST_LIB_DIRS = (Path("/lib/x86_64-linux-gnu"), Path("/usr/lib/x86_64-linux-gnu"), Path("/lib64"))
LIB_SUBDIRS = ("lib/x86_64-linux-gnu", "usr/lib/x86_64-linux-gnu")
# The Linux VM's kernel format (as net_linux.LINUX_FORMAT)
LINUX_FORMAT = {"x86_64": "vmlinux"}
NGINX_SRC_GLOB = "nginx_1.22.1-*"

# The same choices as apps/nginx's config: one process, no daemon, the page
# from html/, port 80 in a guest. Temp paths and the pid file under the
# prefix (Debian's binary defaults to /var/lib/nginx, /run).
NGINX_CONF = """\
daemon off;
master_process off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log stderr;
events {{ worker_connections 1024; }}
http {{
    include mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    keepalive_timeout 65;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    server {{
        listen {port};
        location / {{ root {prefix}/html; index index.html; }}
    }}
}}
"""
# The redis: persistence off, libc malloc on ours (Debian's binary
# is built with jemalloc: its allocator is not a run-time choice).
REDIS_CONF = """\
port {port}
bind 0.0.0.0
protected-mode no
daemonize no
save ""
appendonly no
"""


def unpack(spec: AppSpec) -> Path:
    """The packages' files: uniforge.debroot's cached merged-/usr root of
    spec.packages (~/.cache/uniforge/debroot/), with spec.extra_links
    added where missing. Raises BaselineError."""
    try:
        root = debroot.sysroot(list(spec.packages), "amd64")
    except UserError as e:
        raise BaselineError(f"{spec.name}'s Debian packages: {e}") from None
    for link, target in spec.extra_links.items():
        p = root / link
        if not p.exists() and not p.is_symlink():
            p.symlink_to(target)
    return root


def versions(spec: AppSpec) -> dict[str, str]:
    """{package: version} of the .debs used."""
    out = {}
    for p in spec.packages:
        deb = debpkg.download(p, "amd64")
        out[p] = deb.name.split("_")[1].replace("%3a", ":")
    return out


def lib_dirs(root: Path) -> list[Path]:
    return [root / d for d in LIB_SUBDIRS if (root / d).is_dir()]


def elf_deps(path: Path) -> tuple[str | None, list[str]]:
    """(PT_INTERP, DT_NEEDED names) of an ELF file."""
    from elftools.elf.dynamic import DynamicSection
    from elftools.elf.elffile import ELFFile
    with open(path, "rb") as f:
        elf = ELFFile(f)
        interp = next((seg.get_interp_name() for seg in elf.iter_segments() if seg["p_type"] == "PT_INTERP"),
                      None)
        needed = [t.needed for sec in elf.iter_sections() if isinstance(sec, DynamicSection)
                  for t in sec.iter_tags() if t.entry.d_tag == "DT_NEEDED"]
    return interp, needed


def closure(elfs: list[Path], search: list[Path]) -> dict[str, Path]:
    """Guest path -> host file of every library ``elfs`` need (their
    interpreter and DT_NEEDED, transitively), each found in ``search`` in
    order and installed in the guest under /lib/x86_64-linux-gnu/ (the
    interpreter at its own path). Raises BaselineError for a library
    found nowhere."""
    out: dict[str, Path] = {}
    todo = list(elfs)
    seen: set[Path] = set()
    while todo:
        f = todo.pop()
        if f in seen:
            continue
        seen.add(f)
        interp, needed = elf_deps(f)
        if interp and interp.lstrip("/") not in out:
            real = Path(interp).resolve()
            out[interp.lstrip("/")] = real
            todo.append(real)
        for name in needed:
            guest = f"lib/x86_64-linux-gnu/{name}"
            if guest in out:
                continue
            hit = next((d / name for d in search if (d / name).exists()), None)
            if hit is None:
                raise BaselineError(f"{f.name} needs {name}, found in none of {', '.join(map(str, search))}")
            out[guest] = hit.resolve()
            todo.append(hit.resolve())
    return out


def nginx_page() -> Path:
    """The page every nginx serves: apps/nginx's html/index.html (nginx's
    own, 615 bytes in 1.22.1), else the Debian source tree's."""
    from uniforge.apt import cache_root
    ours = REPO_DIR / "apps" / "nginx" / "rootfs" / "html" / "index.html"
    if ours.exists():
        return ours
    found = sorted((cache_root() / "src").glob(f"{NGINX_SRC_GLOB}/html/index.html"))
    if not found:
        raise BaselineError("nginx's source tree is not unpacked in ~/.cache/uniforge/src (uniforge fetch apps/nginx)")
    return found[-1]


def server_files(spec: AppSpec, prefix: str, port: int) -> dict[str, bytes]:
    """The files (path relative to the guest's / or the host's work folder
    -> content) a server reads, for a prefix (its path as the program
    sees it) and a port."""
    if spec.name == "nginx":
        page = nginx_page()
        return {"conf/nginx.conf": NGINX_CONF.format(prefix=prefix, port=port).encode(),
                "conf/mime.types": (page.parent.parent / "conf" / "mime.types").read_bytes(),
                "html/index.html": page.read_bytes()}
    if spec.name == "redis":
        return {"redis.conf": REDIS_CONF.format(port=port).encode()}
    return {}


def server_argv(spec: AppSpec, binary: str, prefix: str) -> list[str]:
    if spec.name == "nginx":
        return [binary, "-e", "stderr", "-p", prefix, "-c", f"{prefix}/conf/nginx.conf"]
    if spec.name == "redis":
        return [binary, f"{prefix}/redis.conf"]
    raise BaselineError(f"{spec.name} is not a server")


def host_cmd(spec: AppSpec, port: int | None, workdir: Path) -> tuple[list[str], dict[str, str]]:
    """argv and environment of Debian's binary as a host process (servers:
    their files written under ``workdir``, listening on ``port``)."""
    root = unpack(spec)
    env = {**os.environ, "LD_LIBRARY_PATH": ":".join(map(str, lib_dirs(root))), "LANG": "C.UTF-8"}
    env.pop("PYTHONHOME", None)
    env.pop("PYTHONPATH", None)
    binary = str(root / spec.binary)
    if spec.kind == "cli":
        return [str(peak_rss()), binary, *spec.args], env
    for rel, data in server_files(spec, str(workdir), port).items():
        (workdir / rel).parent.mkdir(parents=True, exist_ok=True)
        (workdir / rel).write_bytes(data)
    return server_argv(spec, binary, str(workdir)), env


def peak_rss() -> Path:
    """benchmarks/cache/peak_rss (apps/host/peak_rss.c): runs a program and
    prints its ru_maxrss as "PEAK-RSS-KIB <n>" on stderr."""
    out = CACHE_DIR / "peak_rss"
    if not out.exists() or out.stat().st_mtime < PEAK_RSS_SRC.stat().st_mtime:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        check(["gcc", "-O2", "-Wall", "-o", str(out), str(PEAK_RSS_SRC)], timeout=120)
    return out


def parse_peak_rss(text: str) -> int | None:
    """The KiB of peak_rss's last "PEAK-RSS-KIB <n>" line in ``text``."""
    import re
    found = re.findall(rf"^{PEAK_RSS_LINE} (\d+)$", text, re.M)
    return int(found[-1]) if found else None


def python_files(root: Path, code: str) -> dict[str, Path]:
    """The stdlib files (guest path -> host file) Debian's python3.11 loads
    running ``code``: found by running it on the host from the unpacked
    tree (which also byte-compiles them), so the VM holds the modules the
    check imports and not the ~40 MB rest."""
    probe = (code + "; import sys, os; print('PY-FILES'); "
             "[print(f) for m in list(sys.modules.values()) for f in "
             "(getattr(m, '__file__', None), getattr(m, '__cached__', None)) if f and os.path.exists(f)]")
    env = {"LD_LIBRARY_PATH": ":".join(map(str, lib_dirs(root))), "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"}
    out = check([str(root / "usr/bin/python3.11"), "-c", probe], timeout=120, env=env)
    files = out.split("PY-FILES\n", 1)[1].split()
    usr = str(root / "usr") + "/"
    got = {}
    for f in files:
        if not f.startswith(usr):
            raise BaselineError(f"python3.11 loaded {f}, outside the unpacked tree")
        got["usr/" + f[len(usr):]] = Path(f)
    return got


def initramfs(spec: AppSpec, machine: str, port: int | None) -> Path:
    """The Linux VM's initramfs for ``spec`` (cached by content)."""
    root = unpack(spec)
    init = build_musl("x86_64", [APP_INIT_SRC], name="app_init")
    if init.stat().st_mtime < NET_INIT_SRC.stat().st_mtime:
        init.unlink()
        init = build_musl("x86_64", [APP_INIT_SRC], name="app_init")
    files: dict[str, Path | bytes] = {spec.binary: (root / spec.binary).resolve()}
    if spec.name == "python3":
        files.update(python_files(root, spec.args[1]))
        files["usr/lib/python3.11/lib-dynload/.keep"] = b""
    elfs = [p for p in files.values() if isinstance(p, Path) and p.read_bytes()[:4] == b"\x7fELF"]
    files.update(closure(elfs, [*lib_dirs(root), *HOST_LIB_DIRS]))
    files.update(spec.files)
    mods = kernel_modules("x86_64", machine) if spec.kind != "cli" else []
    if spec.kind != "cli":
        files.update({f"srv/{k}": v for k, v in server_files(spec, "/srv", spec.guest_port).items()})
        files["etc/passwd"] = b"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"
        files["etc/group"] = b"root:x:0:\nnogroup:x:65534:\n"
    h = hashlib.sha256()
    for k in sorted(files):
        v = files[k]
        h.update(k.encode() + (v if isinstance(v, bytes) else f"{v}:{v.stat().st_mtime_ns}".encode()))
    for p in (init, *mods, Path(__file__)):    # this file: how the archive is laid out
        h.update(f"{p}:{p.stat().st_mtime_ns}".encode())
    out = CACHE_DIR / f"initramfs-app-{spec.name}-{machine}-{h.hexdigest()[:12]}.cpio.gz"
    if out.exists():
        return out
    dirs = {"dev", "proc", "tmp", "root", "lib", "lib/modules"}
    for k in files:
        parts = k.split("/")[:-1]
        dirs.update("/".join(parts[:i + 1]) for i in range(len(parts)))
    entries = [newc_dir(d) for d in sorted(dirs)]
    entries += [newc_chardev("dev/console", 5, 1), newc_chardev("dev/null", 1, 3, 0o666),
                newc_chardev("dev/urandom", 1, 9, 0o666), newc_chardev("dev/random", 1, 8, 0o666),
                newc_file("init", init.read_bytes(), 0o755)]
    for k in sorted(files):
        v = files[k]
        data = v if isinstance(v, bytes) else v.read_bytes()
        e = newc_file(k, data, 0o755 if data[:4] == b"\x7fELF" else 0o644)
        # a host file with its mtime: python3.11's timestamp .pyc name
        # their source's (with mtime 0 they were stale: the VM compiled
        # every stdlib module again at each boot, as binary mode did)
        entries.append(e if isinstance(v, bytes) else dataclasses.replace(e, mtime=int(v.stat().st_mtime)))
    if mods:
        entries += [newc_file(f"lib/modules/{m.name}", m.read_bytes(), 0o644) for m in mods]
        entries.append(newc_file("modules.order", "".join(f"/lib/modules/{m.name}\n" for m in mods).encode()))
    tmp = out.with_suffix(".tmp")
    with open(tmp, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0) as gz:
        gz.write(write_newc(entries))
    tmp.replace(out)
    return out


def kernel_words(argv: list[str]) -> str:
    """argv as words of Linux's command line after "--": a word with a
    space in double quotes (the kernel strips them). Raises BaselineError
    for what the kernel cannot carry (a double quote, a newline, an empty
    word)."""
    out = []
    for w in argv:
        if not w or '"' in w or "\n" in w:
            raise BaselineError(f"cannot pass {w!r} on Linux's command line")
        out.append(f'"{w}"' if " " in w else w)
    return " ".join(out)


def linux_vm_cmd(spec: AppSpec, target: str, port: int | None, mem_mb: int) -> list[str]:
    """QEMU's command line of the Linux VM running ``spec`` on ``target``'s
    machine (servers: host ``port`` forwarded to the guest port)."""
    t = TARGETS[target]
    if t.arch.name != "x86_64":
        raise BaselineError(f"the applications' Linux VM runs on x86_64 (not {target})")
    argv = [f"/{spec.binary}", *spec.args] if spec.kind == "cli" else server_argv(spec, f"/{spec.binary}", "/srv")
    cmd = linux_cmd("x86_64", t.machine, mem_mb, initrd=initramfs(spec, t.machine, port),
                    kernel_format=LINUX_FORMAT["x86_64"])
    cmd = with_acpi(cmd)
    i = cmd.index("-append") + 1
    cmd[i] += " -- " + kernel_words(argv)
    if spec.kind == "cli":
        return cmd
    return cmd + nic_args(target, [(port, spec.guest_port)])


def describe(cmd: list[str]) -> str:
    return shlex.join(cmd)

