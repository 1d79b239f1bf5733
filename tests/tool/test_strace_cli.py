"""`uniforge run --strace` on the host side: the console filter sends
strace's UK-STRACE lines to stderr without the prefix (and nothing else),
and an image without the syscall layer is a clear error before any boot."""
from conftest import uniforge
from uniforge.runner.console import ConsoleFilter


def test_strace_lines_go_to_the_error_stream():
    out, err = [], []
    f = ConsoleFilter(out.append, write_err=err.append)
    f.feed("hello\nUK-STRACE getpid() = 1\nUK-STRACEX not ours\nUK-ENOSYS nr=1 name=write lib=-\n")
    f.close()
    assert err == ["getpid() = 1\n"]
    assert out == ["hello\n", "UK-STRACEX not ours\n", "UK-ENOSYS nr=1 name=write lib=-\n"]


def test_without_an_error_stream_strace_lines_stay_on_the_console():
    out = []
    f = ConsoleFilter(out.append)
    f.feed("UK-STRACE getpid() = 1\n")
    assert out == ["UK-STRACE getpid() = 1\n"]


def test_strace_needs_the_syscall_layer(make_app):
    app = make_app("name: nosys\n")
    r = uniforge("run", app, "-t", "linuxu/x86_64", "-q", "--strace", timeout=300)
    assert r.rc == 1
    assert "--strace: this image has no syscall layer (library uksyscall)" in r.err
    assert "libraries: [uksyscall]" in r.err


def test_strace_and_its_option_turned_off_contradict(make_app):
    app = make_app("name: nostrace\nlibraries: [uksyscall]\n")
    r = uniforge("run", app, "-t", "linuxu/x86_64", "-q", "--strace",
                 "--set", "CONFIG_LIBUKSYSCALL_STRACE=n", timeout=300)
    assert r.rc == 1 and "--strace and --set CONFIG_LIBUKSYSCALL_STRACE=n contradict" in r.err, r.text


def test_strace_builds_its_variant_and_plain_runs_have_none(make_app):
    """Off by default (no strace code in the image); --strace builds the
    variant with it and traces."""
    app = make_app("name: withstrace\nlibraries: [uksyscall]\n", """\
#include <uk/syscall.h>
int main(void) { return uk_syscall(UK_NR_getpid, 0, 0, 0, 0, 0, 0) == -38 ? 0 : 1; }
""")
    plain = uniforge("build", app, "-t", "linuxu/x86_64", timeout=300)
    assert plain.rc == 0, plain.text
    r = uniforge("run", app, "-t", "linuxu/x86_64", "-q", "--strace", timeout=300)
    assert r.rc == 0, r.text
    assert r.err.splitlines()[-1] == "getpid() = -1 ENOSYS", r.text
    from elftools.elf.elffile import ELFFile
    import re
    dbg = re.search(r"^(\S+) \(", plain.out, re.M).group(1) + ".dbg"
    with open(dbg, "rb") as f:
        names = {s.name for s in ELFFile(f).get_section_by_name(".symtab").iter_symbols()}
    assert "uksc_strace_call" not in names and "uk_syscall" in names
