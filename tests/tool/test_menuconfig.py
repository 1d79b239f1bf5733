"""menuconfig in a real pseudo-terminal: jump to a symbol, toggle it, save,
quit — and the choice persists through later configure/build runs."""
import os
import pty
import select
import sys
import time

from conftest import uniforge


def _drain(fd, seconds):
    out = b""
    end = time.time() + seconds
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                out += os.read(fd, 65536)
            except OSError:
                break
    return out


def test_menuconfig_saves_and_the_choice_persists(make_app):
    app = make_app("name: mc\ntargets: [linuxu/x86_64]\n")
    pid, fd = pty.fork()
    if pid == 0:                                   # child: the real CLI on a tty
        os.chdir(app)
        os.environ.update(TERM="xterm", COLUMNS="120", LINES="40")
        os.execv(sys.executable, [sys.executable, "-m", "uniforge", "menuconfig"])
    screen = _drain(fd, 3)
    assert b"uniforge: mc for linuxu/x86_64" in screen
    # jump to LIBUKTEST, toggle it on, save to the default file, quit
    for keys in ["/", "LIBUKTEST", "\r", " ", "S", "\r", "\r", "Q"]:
        os.write(fd, keys.encode())
        _drain(fd, 0.7)
    _drain(fd, 2)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 0
    dot = app / ".uniforge/build/linuxu-x86_64/.config"
    assert "CONFIG_LIBUKTEST=y" in dot.read_text()
    assert (dot.parent / "choices.config").read_text() == "CONFIG_LIBUKTEST=y\n"
    r = uniforge("configure", app)
    assert r.rc == 0 and "uktest" in r.out            # still selected
    assert "CONFIG_LIBUKTEST=y" in dot.read_text()


def test_menuconfig_without_terminal_says_what_to_do(make_app):
    app = make_app("name: mc\ntargets: [linuxu/x86_64]\n")
    r = uniforge("menuconfig", app)
    assert r.rc == 1
    assert "menuconfig needs a terminal" in r.err and "--set" in r.err
