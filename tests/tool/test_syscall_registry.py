"""The syscall registry (os/lib/uksyscall/syscalls.toml) and its generators
(uniforge/syscalls.py, uniforge/gen/syscall_protos.py, syscall_table.py):
the numbers are Linux's (compared with the kernel headers of the host's
x86_64 and aarch64 toolchains), the entries the issue names are there with
their library and the contract's types, and bad entries are errors with a
line number."""
import re
import shutil
import subprocess

import pytest

from conftest import REPO
from uniforge.gen import GenError
from uniforge.gen import syscall_protos, syscall_table
from uniforge.library import parse as parse_library
from uniforge.errors import UserError
from uniforge.syscalls import parse

REGISTRY = REPO / "os" / "lib" / "uksyscall" / "syscalls.toml"
COMPILERS = {"x86_64": ("gcc", "gcc"), "arm64": ("aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu")}


def linux_numbers(cc: str, package: str) -> dict[str, int]:
    """__NR_* of <asm/unistd.h> as the toolchain's kernel headers define them."""
    if not shutil.which(cc):
        pytest.fail(f"{cc} not found: install the Debian package {package} (./dev setup does)")
    dm = subprocess.run([cc, "-E", "-dM", "-x", "c", "-"], input="#include <asm/unistd.h>\n",
                        capture_output=True, text=True, check=True).stdout
    names = sorted({m for m in re.findall(r"#define __NR_(\w+)", dm)} - {"syscalls", "arch_specific_syscall"})
    src = "#include <asm/unistd.h>\n" + "".join(f"NR {n} __NR_{n}\n" for n in names)
    out = subprocess.run([cc, "-E", "-P", "-x", "c", "-"], input=src, capture_output=True,
                         text=True, check=True).stdout
    return {n: int(v) for n, v in re.findall(r"^NR (\w+) (\d+)$", out, re.M)}


@pytest.fixture(scope="module")
def registry():
    return {c.name: c for c in parse(REGISTRY.read_text(), str(REGISTRY))}


@pytest.mark.parametrize("arch", list(COMPILERS))
def test_numbers_are_the_kernel_headers(registry, arch):
    want = linux_numbers(*COMPILERS[arch])
    have = {n: c.numbers[arch] for n, c in registry.items() if arch in c.numbers}
    assert have == want


# The issue's syscalls by area (contracts table); an area with several
# libraries (vfs: posix-fdtab and vfscore) picks which one provides each.
ISSUE = {
    "posix-fdtab vfscore": "read write close pread64 pwrite64 readv writev lseek sendfile fstat getdents64 "
                           "ftruncate fsync fdatasync fchmod fchown dup dup2 dup3 fcntl ioctl "
                           "open openat creat stat lstat newfstatat statx access faccessat readlink "
                           "readlinkat truncate chmod chown utimensat mkdir mkdirat rmdir unlink unlinkat "
                           "rename renameat renameat2 link symlink getcwd chdir fchdir umask pipe pipe2",
    "posix-mmap": "mmap munmap brk mprotect mremap madvise",
    "posix-time": "clock_gettime clock_getres gettimeofday time nanosleep clock_nanosleep setitimer "
                  "getitimer times",
    "posix-process": "getpid getppid uname getuid geteuid getgid getegid setuid setgid getrlimit setrlimit "
                     "prlimit64 sysinfo sched_yield sched_getaffinity prctl exit exit_group wait4 fork execve",
    "posix-thread": "clone futex set_tid_address set_robust_list gettid arch_prctl",
    "posix-signal": "rt_sigaction rt_sigprocmask sigaltstack kill tgkill",
    "ukrandom": "getrandom",
    "posix-event": "epoll_create epoll_create1 epoll_ctl epoll_wait eventfd2",
    "posix-socket": "socket socketpair accept4 recvfrom getpeername",
}


@pytest.mark.parametrize("libs", list(ISSUE))
def test_the_issues_syscalls_have_their_library(registry, libs):
    for name in ISSUE[libs].split():
        assert registry[name].lib in libs.split(), name
        assert registry[name].args is not None, name


def test_legacy_calls_are_handlers_without_an_arm64_number(registry):
    for name in "open access readlink mkdir rmdir unlink chown dup2 epoll_create stat lstat creat " \
                "rename link symlink pipe chmod".split():
        c = registry[name]
        assert c.lib and "x86_64" in c.numbers and "arm64" not in c.numbers, name
    protos = syscall_protos.generate(REGISTRY.read_text(), str(REGISTRY))
    assert "long uk_sys_open(const char *filename, int flags, unsigned int mode);" in protos


def test_prototypes_follow_the_contract(registry):
    protos = syscall_protos.generate(REGISTRY.read_text(), str(REGISTRY))
    assert "long uk_sys_openat(int dfd, const char *filename, int flags, unsigned int mode);" in protos
    assert "long uk_sys_fstat(int fd, struct uk_stat *statbuf);" in protos
    assert "long uk_sys_clock_gettime(int which_clock, struct uk_timespec *tp);" in protos
    assert "long uk_sys_getppid(void);" in protos
    assert "struct uk_stat;" in protos
    x86 = protos.split("#if defined(__x86_64__)")[1].split("#elif")[0]
    arm = protos.split("#elif defined(__aarch64__)")[1]
    assert "#define UK_NR_openat 257\n" in x86 and "#define UK_NR_openat 56\n" in arm
    assert "UK_NR_open " in x86 and "UK_NR_open " not in arm


def test_table_refers_to_a_handler_only_when_its_library_is_selected():
    table = syscall_table.generate(REGISTRY.read_text(), str(REGISTRY))
    assert "#if defined(CONFIG_LIBVFSCORE) && (defined(__x86_64__) || defined(__aarch64__))\n" \
           "static long __unused w_openat(long a0, long a1, long a2, long a3, long a4 __unused, long a5 __unused)\n" \
           "{\n\treturn uk_sys_openat((int)a0, (const char *)a1, (int)a2, (unsigned int)a3);\n}\n" \
           "#define W_openat w_openat\n#else\n#define W_openat NULL\n#endif" in table
    # open has no arm64 number: its wrapper exists only for x86_64
    assert "#if defined(CONFIG_LIBVFSCORE) && (defined(__x86_64__))\nstatic long __unused w_open(" in table
    x86 = table.split("#if defined(__x86_64__)\n")[1].split("#elif")[0]
    # openat (257): its wrapper, its library, its name, its strace kinds
    # (unless the specialiser's allow-list, UKSC_ONLY, leaves bit 257 = word 4 bit 1 clear)
    assert "\t[257] = UKSC_ON(4, 1) ? W_openat : NULL,\n" in x86
    assert "#if defined(UKSC_ONLY)\n" in table and "#define UKSC_ON(w, b) 1\n" in table
    libs = table.split("uk_syscall_libs[] = {")[1].split("};")[0].split(",")
    lib_of = x86.split("uk_syscall_lib_of[N] = {")[1]
    vfscore = [x.strip() for x in libs].index('"vfscore"')
    assert f"\t[257] = {vfscore}," in lib_of
    assert "\t[257] = UKSC_SIG(4, UK_SC_D) | UKSC_ARG(0, UK_SC_DIRFD, -1) | UKSC_ARG(1, UK_SC_STR, -1) | " \
           "UKSC_ARG(2, UK_SC_OFLAGS, -1) | UKSC_ARG(3, UK_SC_OCT, -1)," in x86
    assert "\t[0] = UKSC_SIG(3, UK_SC_D) | UKSC_ARG(0, UK_SC_FD, -1) | UKSC_ARG(1, UK_SC_OBUF, 2) | " \
           "UKSC_ARG(2, UK_SC_LU, -1)," in x86
    assert "UKSC_ARG(1, UK_SC_IOV, 2)" in x86.split("\t[20] = UKSC_SIG")[1].split("\n")[0]   # writev
    # a syscall no library provides (acct, 163): a name, no function, no library
    assert "\t[163] = W_" not in x86 and "\t[163] = " not in lib_of
    pool = x86.split("uk_syscall_name_pool[] =")[1].split(";")[0]
    at = int(x86.split("uk_syscall_name_at[N] = {")[1].split("\t[163] = ")[1].split(",")[0])
    text = "".join(eval(part) for part in re.findall(r'"(?:[^"\\]|\\.)*"', pool))
    assert text[at:].split("\0")[0] == "acct"
    assert "#define N 451\n" in x86    # the highest x86_64 number + 1


@pytest.mark.parametrize("text, message, line", [
    ('[syscalls]\nx = { x86_64 = 1, lib = "l", args = ["float f"] }\n', "type 'float' is not allowed", 2),
    ('[syscalls]\na = { x86_64 = 1 }\nb = { x86_64 = 1 }\n', "x86_64 number 1 is already a's", 3),
    ('[syscalls]\na = { x86_64 = 1, lib = "l", args = ["int x : weird"] }\n', "unknown strace kind 'weird'", 2),
    ('[syscalls]\na = { x86_64 = 1, lib = "l" }\n', "needs args", 2),
    ('[syscalls]\na = { x86_64 = 1, lib = "l", args = ["void *b : obuf(n)"] }\n', "no argument named n", 2),
    ('[syscalls]\na = { x86_64 = 1, colour = 2 }\n', "unknown key(s) colour", 2),
    ('[syscalls]\na = { x86_64 = 1, lib = "l", args = ["int a", "int a"] }\n', "named twice", 2),
    ('[syscalls]\na = { x86_64 = 1, lib = "l", args = ["int", "int b"] }\n', "cannot read argument", 2),
])
def test_bad_entries_are_errors_with_a_line(text, message, line):
    with pytest.raises(GenError) as e:
        parse(text)
    assert message in str(e.value) and e.value.line == line


def test_exported_generated_header_may_live_in_a_folder(tmp_path):
    (tmp_path / "library.toml").write_text(
        'name = "x"\n[[generate]]\ngenerator = "consts"\ninput = "a.toml"\noutput = "uk/a.h"\nexport = true\n')
    lib = parse_library(tmp_path)
    assert lib.generate[0].output == "uk/a.h" and lib.generate[0].export
    (tmp_path / "library.toml").write_text(
        'name = "x"\n[[generate]]\ngenerator = "consts"\ninput = "a.toml"\noutput = "../a.h"\n')
    with pytest.raises(UserError, match="relative path"):
        parse_library(tmp_path)
