"""`uniforge run -p/--net` and the manifest's `ports:`: syntax errors, ports
out of range, a host port in use, boards without a NIC — all reported
before building — and the guest's address reported on stderr from its
`UK-NET` line (a stand-in guest prints the line: the report is the tool's,
whatever prints it)."""
import re
import socket

import pytest

from conftest import uniforge, free_port


def _not_built(app):
    return not (app / ".uniforge" / "build").exists()


@pytest.mark.parametrize("arg, why", [
    ("8080", "-p 8080: bad port forward '8080'"),
    ("80800:80", "-p 80800:80: host port 80800 is out of range"),
    ("8080:0", "-p 8080:0: guest port 0 is out of range"),
    ("8080:80/icmp", "unknown protocol 'icmp'"),
    ("host:8080:80", "'host' in 'host:8080:80' is not an IPv4 address"),
])
def test_bad_p_is_reported_before_building(make_app, arg, why):
    app = make_app("name: x\n")
    r = uniforge("run", app, "-t", "qemu/x86_64", "-p", arg)
    assert r.rc == 1 and why in r.err and "hint: write -p [HOSTIP:]HOSTPORT:GUESTPORT[/udp]" in r.err, r.text
    assert _not_built(app)


def test_same_host_port_twice(make_app):
    app = make_app("name: x\n")
    r = uniforge("run", app, "-t", "qemu/x86_64", "-p", "8080:80", "-p", "8080:81")
    assert r.rc == 1 and "both use host port 8080/tcp" in r.err, r.text


def test_host_port_in_use_is_named_before_building(make_app):
    app = make_app("name: x\n")
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    port = s.getsockname()[1]
    try:
        r = uniforge("run", app, "-t", "microvm/x86_64", "-p", f"{port}:80")
    finally:
        s.close()
    assert r.rc == 1 and f"cannot forward host port 127.0.0.1:{port}/tcp" in r.err, r.text
    assert "another program is using it" in r.err and _not_built(app)


@pytest.mark.parametrize("target, board", [("raspi3b/arm64", "Raspberry Pi 3 B"), ("zcu102/arm64", "ZCU102")])
def test_p_on_a_board_without_nic(make_app, target, board):
    app = make_app("name: x\n")
    r = uniforge("run", app, "-t", target, "-p", "8080:80")
    assert r.rc == 1 and f"{target} cannot have a network: QEMU gives the {board} no NIC we can use" in r.err, r.text
    assert _not_built(app)
    r = uniforge("run", app, "-t", target, "--net", "user")
    assert r.rc == 1 and "cannot have a network" in r.err, r.text


def test_bad_net(make_app):
    app = make_app("name: x\n")
    r = uniforge("run", app, "-t", "qemu/x86_64", "--net", "bridge")
    assert r.rc == 1 and "--net 'bridge': expected user, none or tap:NAME" in r.err, r.text
    r = uniforge("run", app, "-t", "qemu/x86_64", "--net", "none", "-p", "8080:80")
    assert r.rc == 1 and "--net none turns it off" in r.err, r.text


def test_manifest_ports_errors_name_the_line(make_app):
    app = make_app("name: x\nports:\n  - 8080:80\n  - 9090:99999/udp\n")
    r = uniforge("run", app, "-t", "qemu/x86_64")
    assert r.rc == 1 and "uniforge.yaml:4: guest port 99999 is out of range" in r.err, r.text
    app = make_app("name: x\nports: [8080:80, '8080:81']\n")
    r = uniforge("run", app, "-t", "qemu/x86_64")
    assert r.rc == 1 and "uniforge.yaml:2: port forwards" in r.err, r.text
    app = make_app("name: x\nports: {a: 1}\n")
    r = uniforge("run", app, "-t", "qemu/x86_64")
    assert r.rc == 1 and "uniforge.yaml:2: 'ports' must be a list" in r.err, r.text


def test_manifest_ports_on_a_target_without_nic(make_app):
    app = make_app("name: x\nports: [8080:80]\n")
    r = uniforge("run", app, "-t", "linuxu/x86_64")
    assert r.rc == 1 and re.search(r"uniforge\.yaml:2: `ports:` needs a network, and linuxu/x86_64 "
                                   r"cannot have a network: a linuxu image is a Linux process", r.err), r.text
    assert "--net none" in r.err
    r = uniforge("run", app, "-t", "linuxu/x86_64", "--net", "none", "--timeout", "60")
    assert r.rc == 0, r.text


UK_NET = "UK-NET if=en0 mac=52:54:00:12:34:56 ip=10.0.2.15/24 gw=10.0.2.2 dns=10.0.2.3 via=dhcp"


def test_guest_address_reported_on_stderr_with_the_forwards(make_app):
    # A guest that prints lwip's line itself: the tool reports it, on stderr,
    # with the forwards; stdout keeps the guest's own output only. -v shows
    # the NIC QEMU got.
    app = make_app("name: x\nlibraries: [musl]\n",
                   f'#include <stdio.h>\nint main(void) {{ printf("{UK_NET}\\n"); return 0; }}\n')
    port, uport = free_port(), free_port("udp")
    r = uniforge("run", app, "-t", "qemu/x86_64", "-v", "-p", f"{port}:80", "-p", f"0.0.0.0:{uport}:53/udp",
                 "--timeout", "120", timeout=900)
    assert r.rc == 0, r.text
    assert (f"uniforge: guest 10.0.2.15 (dhcp); 127.0.0.1:{port} -> guest :80/tcp; "
            f"0.0.0.0:{uport} -> guest :53/udp\n") in r.err, r.text
    assert UK_NET in r.out and "uniforge: guest" not in r.out
    assert (f"-netdev user,id=n0,hostfwd=tcp:127.0.0.1:{port}-:80,hostfwd=udp:0.0.0.0:{uport}-:53 "
            "-device virtio-net-pci,netdev=n0,romfile=") in r.err, r.err
    r = uniforge("run", app, "-t", "qemu/x86_64", "-q", "-p", f"{port}:80", "--timeout", "120")
    assert r.rc == 0 and "uniforge: guest" not in r.text, r.text           # -q: no report
