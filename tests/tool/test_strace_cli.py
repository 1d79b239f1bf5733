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


def test_strace_needs_its_option(make_app):
    app = make_app("name: nostrace\nlibraries: [uksyscall]\n")
    r = uniforge("run", app, "-t", "linuxu/x86_64", "-q", "--strace",
                 "--set", "CONFIG_LIBUKSYSCALL_STRACE=n", timeout=300)
    assert r.rc == 1 and "built without strace (CONFIG_LIBUKSYSCALL_STRACE=n)" in r.err, r.text
