"""ukelfload (os/lib/ukelfload) in the guest: Linux programs we compile on
the host (tests/fixtures/elfload/prog.c) run from the root file system
under the binary-compatibility kernel (`libraries: [ukelfload]`), on
qemu/x86_64 and microvm/x86_64, and arm64 ones (Debian's cross compiler
and arm64 glibc: static, static-pie, dynamic) on qemu/arm64.

Each kind of program the loader meets: glibc dynamic PIE (through
/lib64/ld-linux-x86-64.so.2), glibc dynamic non-PIE (at 0x400000, in the
fixed window that ukboot.reserve= keeps free), glibc static (non-PIE),
glibc static-pie, musl static (non-PIE) and musl dynamic (through
/lib/ld-musl-x86_64.so.1). The program prints its argv, environment and
auxv, checks AT_RANDOM, TLS, .data/.bss, malloc, mmap, W^X, a file and a
few syscalls itself (ELF-CHECK lines), and exits with the status it was
asked for; the test compares the auxv with the ELF's own headers.

Bad input at load time: a missing file, a directory, a file without an x
bit, a corrupt ELF, a foreign architecture, a missing interpreter, a W+X
segment, a fixed-address program without its reservation, a reservation
over the kernel: one line `ukelfload: PATH: what` and status 127/126 (64
for the bad reservation), never a crash.
"""
from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, uniforge

pytestmark = pytest.mark.boot

PROG = REPO / "tests" / "fixtures" / "elfload" / "prog.c"
THREADS = REPO / "tests" / "fixtures" / "elfload" / "threads.c"
TARGETS = ["qemu/x86_64", "microvm/x86_64"]
TIMEOUT = "120"
CHECKS = {"random_nonzero", "main_addr_in_span", "tls", "data", "bss_zero", "malloc", "mmap",
          "mprotect_wx_refused", "getpid", "uname", "open", "read", "stack_aligned"}
GLIBC_LD = Path("/lib64/ld-linux-x86-64.so.2")
GLIBC_LIBC = Path("/lib/x86_64-linux-gnu/libc.so.6")
MUSL_LD = Path("/lib/ld-musl-x86_64.so.1")


def require(program: str, package: str) -> str:
    """The program's path; fails the test (naming the package) if absent."""
    path = shutil.which(program)
    if not path:
        pytest.fail(f"{program} not found: install the Debian package {package} (./dev setup does)")
    return path


def elf_layout(path: Path) -> dict:
    """type, entry, phnum and the PT_LOADs' page-aligned span, read here
    with struct (independently of the parser under test)."""
    d = path.read_bytes()
    etype, = struct.unpack_from("<H", d, 16)
    entry, phoff = struct.unpack_from("<QQ", d, 24)
    phnum, = struct.unpack_from("<H", d, 56)
    loads = []
    for i in range(phnum):
        ptype, _, _, vaddr, _, _, memsz, _ = struct.unpack_from("<IIQQQQQQ", d, phoff + i * 56)
        if ptype == 1:
            loads.append((vaddr, memsz))
    lo = loads[0][0] & ~0xfff
    hi = (loads[-1][0] + loads[-1][1] + 0xfff) & ~0xfff
    return {"type": etype, "entry": entry, "phnum": phnum, "lo": lo, "hi": hi}


def reserve_arg(path: Path) -> list[str]:
    """The ukboot.reserve= a fixed-address program needs (README.md of ukelfload)."""
    lay = elf_layout(path)
    return ["-k", f"ukboot.reserve={lay['lo']:#x}-{lay['hi']:#x}"] if lay["type"] == 2 else []


A64_LD = Path("/usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1")
A64_LIBC = Path("/usr/aarch64-linux-gnu/lib/libc.so.6")

PROGRAMS = {
    # name: (compiler, flags, interpreter, architecture)
    "glibc_dyn": ("gcc", ["-O2"], str(GLIBC_LD), "x86_64"),
    "glibc_nopie": ("gcc", ["-O2", "-no-pie"], str(GLIBC_LD), "x86_64"),
    "glibc_static": ("gcc", ["-O2", "-static"], None, "x86_64"),
    "glibc_static_pie": ("gcc", ["-O2", "-static-pie"], None, "x86_64"),
    "musl_static": ("musl-gcc", ["-O2", "-static"], None, "x86_64"),
    "musl_dyn": ("musl-gcc", ["-O2"], str(MUSL_LD), "x86_64"),
    # Debian's cross toolchain and its arm64 glibc (libc6-arm64-cross)
    "a64_dyn": ("aarch64-linux-gnu-gcc", ["-O2"], "/lib/ld-linux-aarch64.so.1", "arm64"),
    "a64_static": ("aarch64-linux-gnu-gcc", ["-O2", "-static"], None, "arm64"),
    "a64_static_pie": ("aarch64-linux-gnu-gcc", ["-O2", "-static-pie"], None, "arm64"),
}
# the libraries at the paths their ld.so looks in: (host file, guest path)
LIBS = [(GLIBC_LD, str(GLIBC_LD)), (GLIBC_LIBC, str(GLIBC_LIBC)), (MUSL_LD, str(MUSL_LD)),
        (A64_LD, "/lib/ld-linux-aarch64.so.1"), (A64_LIBC, "/lib/aarch64-linux-gnu/libc.so.6")]
RUNS = [(t, n) for n, p in PROGRAMS.items() for t in (TARGETS if p[3] == "x86_64" else ["qemu/arm64"])]


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Path:
    """The binary-compatibility app: no sources, every test program and
    the bad inputs in its rootfs."""
    d = tmp_path_factory.mktemp("elfload") / "elfload"
    root = d / "rootfs"
    (root / "bin").mkdir(parents=True)
    (root / "etc").mkdir()
    (root / "etc" / "elfload-data").write_text("data for elfload\n")
    tools = {"gcc": require("gcc", "gcc"), "musl-gcc": require("musl-gcc", "musl-tools"),
             "aarch64-linux-gnu-gcc": require("aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu")}
    for name, (cc, flags, _, _) in PROGRAMS.items():
        # no stack probes: "deepstack" leaves stack pages untouched on purpose
        p = subprocess.run([tools[cc], *flags, "-fno-stack-clash-protection", str(PROG),
                            "-o", str(root / "bin" / name)],
                           capture_output=True, text=True)
        assert p.returncode == 0, f"{name}: {p.stderr}"
    for lib, guest in LIBS:
        dest = root / guest.lstrip("/")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(lib.resolve(), dest)
        dest.chmod(0o755)
    # bad inputs
    (root / "bin" / "adir").mkdir()
    shutil.copyfile(root / "bin" / "glibc_static_pie", root / "bin" / "noexec")
    (root / "bin" / "noexec").chmod(0o644)
    good = bytearray((root / "bin" / "glibc_static_pie").read_bytes())
    phoff, = struct.unpack_from("<Q", good, 32)
    loads = [i for i in range(struct.unpack_from("<H", good, 56)[0])
             if struct.unpack_from("<I", good, phoff + i * 56)[0] == 1]
    struct.pack_into("<Q", good, phoff + loads[1] * 56 + 32, len(good))        # p_filesz
    struct.pack_into("<Q", good, phoff + loads[1] * 56 + 40, len(good) * 2)    # p_memsz
    (root / "bin" / "corrupt").write_bytes(bytes(good))
    (root / "bin" / "corrupt").chmod(0o755)
    wx = bytearray((root / "bin" / "glibc_static_pie").read_bytes())
    struct.pack_into("<I", wx, phoff + loads[1] * 56 + 4, 7)                    # p_flags: RWX
    (root / "bin" / "wx").write_bytes(bytes(wx))
    (root / "bin" / "wx").chmod(0o755)
    (root / "bin" / "script").write_text("#!/bin/sh\necho a script\n")
    (root / "bin" / "script").chmod(0o755)
    (root / "bin" / "notelf").write_text("plain text, not a program\n")
    (root / "bin" / "notelf").chmod(0o755)
    for name, cmd in {
        "threads_glibc": [tools["gcc"], "-O2", "-pthread", str(THREADS)],
        "threads_musl": [tools["musl-gcc"], "-O2", "-static", str(THREADS)],
        "threads_a64": [tools["aarch64-linux-gnu-gcc"], "-O2", "-static", "-pthread", str(THREADS)],
        "arm64": [tools["aarch64-linux-gnu-gcc"], "-static", str(PROG)],
        "nointerp": [tools["gcc"], "-Wl,--dynamic-linker=/lib/ld-missing.so.1", str(PROG)],
    }.items():
        p = subprocess.run([*cmd, "-o", str(root / "bin" / name)], capture_output=True, text=True)
        assert p.returncode == 0, f"{name}: {p.stderr}"
    (d / "uniforge.yaml").write_text(
        "name: elfload\ntargets: [qemu/x86_64, microvm/x86_64, qemu/arm64]\n"
        "libraries: [ukelfload]\nrootfs: rootfs\nmemory: 64M\n")
    return d


def run(app: Path, target: str, *args: str, kargs: list[str] = ()) -> tuple[int, str]:
    r = uniforge("run", app, "-t", target, "--net", "none", "--timeout", TIMEOUT, "-e", "GREETING=hello there",
                 *kargs, "--", *args, timeout=900)
    out = r.out + r.err
    assert "UK-CRASH" not in out, out
    return r.rc, out


def aux(out: str) -> dict[str, str]:
    return dict(m.groups() for m in re.finditer(r"^ELF-AUX (\S+) (.*?)\r?$", out, re.M))


def test_strace_time_says_what_demand_paging_cost(app):
    """--strace -k uksyscall.strace_time=1 (the start-up profiling aid): a
    dynamic glibc program's calls with when and how long, and at its exit
    posix-mmap's counters: the zero-fill faults of its stack and data,
    ld.so's copies on write (relocations), the file pages of the program
    and its libraries mapped."""
    rc, out = run(app, "qemu/x86_64", "/bin/glibc_dyn", "exit=3", kargs=["--strace", "-k", "uksyscall.strace_time=1"])
    assert rc == 3, out
    assert re.search(r"^@\d+\+\d+ mmap\(", out, re.M), out
    m = re.search(r"^posix-mmap: faults (\d+) zero-filled, (\d+) copied on write, (\d+) passed on, (\d+) us; "
                  r"(\d+) file pages mapped\r?$", out, re.M)
    assert m, out
    zero, cow, passed, _, pages = map(int, m.groups())
    assert zero > 0 and cow > 0 and passed == 0 and pages > 0, out
    assert out.index(m[0]) < out.index("exit_group(3) = ?"), out


@pytest.mark.parametrize("target,name", RUNS)
def test_program_runs_with_its_arguments_environment_and_auxv(app, target, name):
    path = app / "rootfs" / "bin" / name
    lay = elf_layout(path)
    rc, out = run(app, target, f"/bin/{name}", "one", "two words", "exit=7", kargs=reserve_arg(path))
    assert rc == 7, out
    assert "ELF-START argc=4" in out, out
    argv = re.findall(r"^ELF-ARGV (\d) (.*?)\r?$", out, re.M)
    assert argv == [("0", f"/bin/{name}"), ("1", "one"), ("2", "two words"), ("3", "exit=7")], out
    assert re.search(r"^ELF-ENV GREETING=hello there\r?$", out, re.M), out
    checks = dict(re.findall(r"^ELF-CHECK (\S+) (ok|FAIL)", out, re.M))
    want = CHECKS | ({"interrupts_on"} if PROGRAMS[name][3] == "x86_64" else set())
    assert checks == {c: "ok" for c in want}, out
    assert "ELF-EXIT 7" in out
    a = aux(out)
    assert a["AT_PAGESZ"] == "0x1000" and a["AT_CLKTCK"] == "0x64" and a["AT_SECURE"] == "0"
    assert a["AT_PHENT"] == "0x38" and int(a["AT_PHNUM"], 16) == lay["phnum"]
    assert a["AT_UID"] == a["AT_EUID"] == a["AT_GID"] == a["AT_EGID"] == "0"
    arch = PROGRAMS[name][3]
    assert a["AT_FLAGS"] == "0" and a["AT_EXECFN"] == f"/bin/{name}"
    assert a["AT_PLATFORM"] == {"x86_64": "x86_64", "arm64": "aarch64"}[arch]
    assert int(a["AT_MINSIGSTKSZ"], 16) >= 2048
    assert a["AT_RSEQ_FEATURE_SIZE"] == "0x1c" and a["AT_RSEQ_ALIGN"] == "0x20"     # Linux 6.3+
    # the vDSO (ukvdso, implied by ukelfload): a page-aligned ELF header
    vdso = int(a["AT_SYSINFO_EHDR"], 16)
    assert vdso and vdso % 4096 == 0, out
    entry = int(a["AT_ENTRY"], 16)
    phdr = int(a["AT_PHDR"], 16)
    if lay["type"] == 2:             # fixed address: exactly the ELF's
        assert entry == lay["entry"] and phdr == lay["lo"] + 0x40, out
    else:                            # PIE: biased, in the mmap area [384 GiB, 512 GiB)
        bias = entry - lay["entry"]
        assert bias % 4096 == 0 and 0x6000000000 <= bias < 0x8000000000, out
        assert phdr == bias + 0x40, out
    if PROGRAMS[name][2]:
        base = int(a["AT_BASE"], 16)
        assert base and base % 4096 == 0 and 0x6000000000 <= base < 0x8000000000, out
    else:
        assert a["AT_BASE"] == "0", out
    hw = int(a["AT_HWCAP"], 16)
    if name.startswith("musl"):
        # musl's getauxval reads the vector as given (glibc's x86 AT_HWCAP
        # is its own word): CPUID 1 EDX has FPU (bit 0) and SSE2 (bit 26)
        assert hw & 1 and hw & (1 << 26), out
    if arch == "arm64":
        # FP, ASIMD (ID_AA64PFR0) and CPUID (MRS works at EL1)
        assert hw & 0b11 and hw & (1 << 11), out
    rnd = re.search(r"^ELF-RANDOM ([0-9a-f]{32})", out, re.M).group(1)
    rc2, out2 = run(app, target, f"/bin/{name}", kargs=reserve_arg(path))
    assert rc2 == 0, out2
    assert re.search(r"^ELF-RANDOM ([0-9a-f]{32})", out2, re.M).group(1) != rnd, "AT_RANDOM repeats"


EXEC_RUNS = [("qemu/x86_64", "glibc_dyn"), ("microvm/x86_64", "musl_static"), ("qemu/x86_64", "glibc_nopie"),
             ("qemu/arm64", "a64_static")]


@pytest.mark.parametrize("target,name", EXEC_RUNS)
def test_program_execs_itself(app, target, name):
    """execve from a running program (posix-process's execve over
    uk_elfload_exec, from the trapped path, on the old program's stack):
    the new image starts with its own arguments and environment, the old
    mappings gone (a fixed-address program maps its range again), a plain
    descriptor kept and a close-on-exec one closed, /proc/self/exe the
    program."""
    path = app / "rootfs" / "bin" / name
    rc, out = run(app, target, f"/bin/{name}", "reexec", kargs=reserve_arg(path))
    assert rc == 9, out
    assert re.findall(r"^ELF-START argc=(\d+)", out, re.M) == ["2", "5"], out
    argv = re.findall(r"^ELF-ARGV (\d) (.*?)\r?$", out, re.M)
    assert [a for _, a in argv][:2] == [f"/bin/{name}", "execed"] and argv[-1] == ("4", "exit=9"), out
    assert re.search(r"^ELF-ENV EXECED=1\r?$", out, re.M) and re.search(r"^ELF-ENV GREETING=hello there", out, re.M)
    checks = dict(re.findall(r"^ELF-CHECK (\S+) (ok|FAIL)", out, re.M))
    assert {k: v for k, v in checks.items() if v != "ok"} == {}, out
    assert {"exec_fd_kept", "exec_cloexec_closed", "exec_proc_self_exe", "tls", "bss_zero"} <= set(checks), out


@pytest.mark.parametrize("target,name", [("qemu/x86_64", "glibc_dyn"), ("qemu/arm64", "a64_static")])
def test_program_execveats_itself(app, target, name):
    """execveat (posix-process), from the trapped path: its errors (EINVAL
    for unknown flags, ELOOP for a symlink with AT_SYMLINK_NOFOLLOW, ENOENT
    for "" without AT_EMPTY_PATH, ENOTDIR for a file as dirfd, EBADF), then
    the program by its name relative to a descriptor of /bin, which
    reexecs through execveat(fd, "", AT_EMPTY_PATH) (fexecve): three
    images, the last with its arguments and /proc/self/exe the program."""
    path = app / "rootfs" / "bin" / name
    rc, out = run(app, target, f"/bin/{name}", "reexecat", kargs=reserve_arg(path))
    assert rc == 9, out
    assert re.findall(r"^ELF-START argc=(\d+)", out, re.M) == ["2", "2", "5"], out
    argv = re.findall(r"^ELF-ARGV (\d) (.*?)\r?$", out, re.M)
    assert [a for _, a in argv][:2] == [f"/bin/{name}", "execed"] and argv[-1] == ("4", "exit=9"), out
    checks = dict(re.findall(r"^ELF-CHECK (\S+) (ok|FAIL)", out, re.M))
    assert {k: v for k, v in checks.items() if v != "ok"} == {}, out
    assert {"execveat_bad_flags", "execveat_nofollow_eloop", "execveat_empty_enoent", "execveat_file_enotdir",
            "execveat_missing_enoent", "execveat_badf", "exec_fd_kept", "exec_cloexec_closed",
            "exec_proc_self_exe"} <= set(checks), out


@pytest.mark.parametrize("target,name", [("qemu/x86_64", "glibc_dyn"), ("microvm/x86_64", "musl_static"),
                                         ("qemu/arm64", "a64_static")])
def test_syscalls_from_fresh_stack_pages(app, target, name):
    """512 syscalls that allocate in the kernel (a file mmap), each from a
    deeper, never-touched part of the program's stack: the handler's own
    frames land on stack pages that are not there yet. Without uksyscall's
    stack_prefault the first such page touched while the allocator's lock
    is held faults into demand paging, which takes that lock again: the
    spinlock's assertion (UK-CRASH)."""
    rc, out = run(app, target, f"/bin/{name}", "deepstack", kargs=reserve_arg(app / "rootfs" / "bin" / name))
    assert rc == 0, out
    assert re.search(r"^ELF-DEEPSTACK 512\r?$", out, re.M), out


@pytest.mark.parametrize("target,name", [("qemu/x86_64", "threads_glibc"), ("microvm/x86_64", "threads_musl"),
                                         ("qemu/arm64", "threads_a64")])
def test_program_threads(app, target, name):
    """pthreads of a Linux program under the preemptive scheduler (what
    ukelfload's Config.uk picks): clone through the trapped path, the
    libc's own TLS per thread, a futex mutex, join values."""
    rc, out = run(app, target, f"/bin/{name}", kargs=reserve_arg(app / "rootfs" / "bin" / name))
    assert rc == 0, out
    assert re.search(r"^ELF-THREADS counter=400000 sum=20\r?$", out, re.M), out


BAD = [
    # (args, kernel args, status, the line after "ukelfload: ")
    (["/bin/missing"], [], 127, "/bin/missing: no such file"),
    (["/bin/adir"], [], 126, "/bin/adir: is a directory"),
    (["/bin/noexec"], [], 126, "/bin/noexec: not executable (mode 644: no x bit)"),
    (["/bin/corrupt"], [], 126, "/bin/corrupt: program header {load1} (PT_LOAD): extends past the end of the file"),
    (["/bin/script"], [], 126, "/bin/script: a script (#!): only ELF executables run here"),
    (["/bin/notelf"], [], 126, "/bin/notelf: not an ELF file (no \\x7fELF magic)"),
    (["/bin/arm64"], [], 126, "/bin/arm64: built for another architecture (x86_64 expected)"),
    (["/bin/nointerp"], [], 127, "/bin/nointerp: interpreter /lib/ld-missing.so.1: no such file"),
    (["/bin/wx"], [], 126, "/bin/wx: PT_LOAD segment at {load1_vaddr} is writable and executable: refused "
                           "(this kernel keeps W^X)"),
    (["/bin/musl_static"], [], 126, "/bin/musl_static: linked at the fixed addresses {span}, which this boot did "
                                    "not keep free: boot with ukboot.reserve={span} (uniforge run BINARY passes it)"),
    ([], [], 127, "no program to run: give its path in the rootfs as the first argument (uniforge run BINARY does)"),
]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("case", range(len(BAD)), ids=[b[3].split(":")[0].strip("/") or "noargs" for b in BAD])
def test_bad_program_is_one_line_and_a_status(app, target, case):
    args, kargs, status, line = BAD[case]
    root = app / "rootfs" / "bin"
    good = (root / "glibc_static_pie").read_bytes()
    phoff, = struct.unpack_from("<Q", good, 32)
    load1 = [i for i in range(struct.unpack_from("<H", good, 56)[0])
             if struct.unpack_from("<I", good, phoff + i * 56)[0] == 1][1]
    load1_vaddr, = struct.unpack_from("<Q", good, phoff + load1 * 56 + 16)
    lay = elf_layout(root / "musl_static")
    line = line.format(load1=load1, load1_vaddr=f"{load1_vaddr:#x}", span=f"{lay['lo']:#x}-{lay['hi']:#x}")
    rc, out = run(app, target, *args, kargs=kargs)
    assert rc == status, out
    lines = [x.rstrip("\r") for x in out.splitlines() if x.startswith("ukelfload:")]
    assert lines == [f"ukelfload: {line}"], out


def test_foreign_architecture_on_arm64(app):
    rc, out = run(app, "qemu/arm64", "/bin/glibc_static_pie")
    assert rc == 126, out
    assert [x.rstrip("\r") for x in out.splitlines() if x.startswith("ukelfload:")] == [
        "ukelfload: /bin/glibc_static_pie: built for another architecture (aarch64 expected)"], out


def test_reservation_over_the_kernel_stops_the_boot(app):
    rc, out = run(app, "qemu/x86_64", "/bin/glibc_static_pie", kargs=["-k", "ukboot.reserve=0x100000-0x200000"])
    assert rc == 64, out
    assert "ukboot: ukboot.reserve=0x100000-0x200000: the range overlaps the kernel image" in out, out
    rc, out = run(app, "qemu/x86_64", "/bin/glibc_static_pie", kargs=["-k", "ukboot.reserve=0x400000"])
    assert rc == 64 and "expected START-END" in out, out


def test_fixed_window_leaves_the_heap(app):
    """The reserved range is really out of the heap: a large fixed range
    (64 MiB, more than half of a 96 MiB guest's RAM) still boots and the
    program's pages come from elsewhere."""
    path = app / "rootfs" / "bin" / "musl_static"
    rc, out = run(app, "qemu/x86_64", "/bin/musl_static", "exit=5",
                  kargs=["-k", "ukboot.reserve=0x400000-0x4400000", "-m", "96M"])
    assert rc == 5, out
    assert elf_layout(path)["lo"] == 0x400000
