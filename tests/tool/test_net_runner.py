"""The runner's network (uniforge/runner/net.py): the NIC per target, when
the runner adds one (the image's CONFIG_LIBUKNETDEV, -p forwards, --net),
QEMU's -netdev/-device words, the microvm command-line terminator, port
forward syntax and the host-port check, and the `UK-NET` console line.
No boot needed."""
import socket

import pytest

from uniforge.errors import UserError
from uniforge.runner import RunSpec, command_line, run as run_image
from uniforge.runner.console import ConsoleFilter
from uniforge.runner.net import (PortForward, parse_port, check_ports_free, check_unique, parse_uk_net,
                                 report, image_has_netdev, parse_net)
from uniforge.targets import TARGETS

NIC_TARGETS = {"qemu/x86_64": "virtio-net-pci", "microvm/x86_64": "virtio-net-device",
               "qemu/arm64": "virtio-net-device"}


def _argv(target, **kw):
    kw.setdefault("image", "img")
    return command_line(RunSpec(target=TARGETS[target], image_dbg=None, **kw))[0]


def _netdev(argv):
    return argv[argv.index("-netdev") + 1], argv[argv.index("-netdev") + 3]


def test_nic_per_target():
    assert {n: t.nic for n, t in TARGETS.items() if t.nic} == NIC_TARGETS
    for name in ("raspi3b/arm64", "zcu102/arm64", "linuxu/x86_64", "firecracker/x86_64"):
        assert TARGETS[name].no_nic, name          # a sentence why, for the error


def test_targets_json_has_the_nic():
    import json
    from conftest import uniforge
    rows = {r["name"]: r for r in json.loads(uniforge("targets", "--json").out)}
    assert rows["qemu/x86_64"]["nic"] == "virtio-net-pci" and rows["qemu/arm64"]["no_nic"] == ""
    assert rows["raspi3b/arm64"]["nic"] is None and "QEMU gives" in rows["raspi3b/arm64"]["no_nic"]


@pytest.mark.parametrize("target", NIC_TARGETS)
def test_forwards_give_a_user_nic(target):
    argv = _argv(target, ports=[parse_port("8080:80"), parse_port("0.0.0.0:5353:53/udp")])
    netdev, device = _netdev(argv)
    assert netdev == "user,id=n0,hostfwd=tcp:127.0.0.1:8080-:80,hostfwd=udp:0.0.0.0:5353-:53"
    assert device.startswith(NIC_TARGETS[target] + ",netdev=n0")


@pytest.mark.parametrize("target", NIC_TARGETS)
def test_no_nic_without_netdev_or_forwards(target):
    assert "-netdev" not in _argv(target)


def _image_with_config(tmp_path, netdev: bool):
    (tmp_path / "img").write_bytes(b"\x7fELF")
    (tmp_path / ".config").write_text("CONFIG_LIBUKBOOT=y\n" + ("CONFIG_LIBUKNETDEV=y\n" if netdev else
                                                                "# CONFIG_LIBUKNETDEV is not set\n"))
    return tmp_path / "img"


@pytest.mark.parametrize("netdev", [True, False])
def test_image_with_netdev_gets_a_nic(tmp_path, netdev):
    img = _image_with_config(tmp_path, netdev)
    assert image_has_netdev(img) is netdev
    argv = _argv("qemu/arm64", image=img)
    assert ("-netdev" in argv) is netdev
    if netdev:
        assert _netdev(argv) == ("user,id=n0", "virtio-net-device,netdev=n0")
    # --net none turns it off; --net user turns it on.
    assert "-netdev" not in _argv("qemu/arm64", image=img, net="none")
    assert "-netdev" in _argv("qemu/arm64", image=img, net="user")


def test_netdev_image_on_a_board_without_nic_runs_without_one(tmp_path):
    img = _image_with_config(tmp_path, True)
    assert "-netdev" not in _argv("raspi3b/arm64", image=img)


def test_pci_nic_has_no_option_rom():
    _, device = _netdev(_argv("qemu/x86_64", net="user"))
    assert device == "virtio-net-pci,netdev=n0,romfile="


def test_tap(monkeypatch):
    import uniforge.runner.net as net
    real = net.Path

    class FakePath(type(real())):
        def exists(self):
            return str(self) == "/sys/class/net/uk0" or real(self).exists()
    monkeypatch.setattr(net, "Path", FakePath)
    netdev, device = _netdev(_argv("microvm/x86_64", net="tap:uk0"))
    assert netdev == "tap,id=n0,ifname=uk0,script=no,downscript=no"
    assert device == "virtio-net-device,netdev=n0"


def test_tap_that_does_not_exist():
    with pytest.raises(UserError) as e:
        _argv("qemu/x86_64", net="tap:nosuchtap0")
    assert "no network interface 'nosuchtap0'" in str(e.value) and "ip tuntap add" in str(e.value)


@pytest.mark.parametrize("text, why", [
    ("bogus", "expected user, none or tap:NAME"),
    ("tap:", "bad interface name"),
    ("tap:a,b", "bad interface name"),
    ("tap:waytoolonginterfacename", "bad interface name"),
])
def test_bad_net(text, why):
    with pytest.raises(UserError) as e:
        parse_net(text)
    assert why in str(e.value)


def test_forwards_contradicting_net():
    with pytest.raises(UserError, match="--net none turns it off"):
        _argv("qemu/x86_64", net="none", ports=[parse_port("8080:80")])
    with pytest.raises(UserError, match="not --net tap:uk0"):
        _argv("qemu/x86_64", net="tap:uk0", ports=[parse_port("8080:80")])


@pytest.mark.parametrize("target", ["raspi3b/arm64", "zcu102/arm64", "linuxu/x86_64"])
def test_forwards_on_a_target_without_nic_are_an_error(target):
    for kw in ({"ports": [parse_port("8080:80")]}, {"net": "user"}):
        with pytest.raises(UserError) as e:
            _argv(target, **kw)
        msg = str(e.value)
        assert f"{target} cannot have a network" in msg and TARGETS[target].no_nic in msg
    assert "QEMU gives" in TARGETS[target].no_nic or target.startswith("linuxu")


def test_microvm_terminates_the_line_for_the_nic():
    # microvm appends virtio_mmio.device= words for every virtio-mmio device
    # (the NIC is one): our line must end with the terminator.
    argv = _argv("microvm/x86_64", net="user")
    assert argv[argv.index("-append") + 1] == "-- ---"
    assert "-append" not in _argv("qemu/x86_64", net="user")


def test_microvm_with_machine_options_still_terminates():
    import dataclasses
    t = dataclasses.replace(TARGETS["microvm/x86_64"], machine="microvm,acpi=off")
    argv = command_line(RunSpec(target=t, image="img", image_dbg=None, net="user"))[0]
    assert argv[argv.index("-append") + 1] == "-- ---"
    assert argv[argv.index("-M") + 1] == "microvm,acpi=off"


@pytest.mark.parametrize("text, want", [
    ("8080:80", PortForward("127.0.0.1", 8080, 80, "tcp")),
    ("8080:80/tcp", PortForward("127.0.0.1", 8080, 80, "tcp")),
    ("5353:53/udp", PortForward("127.0.0.1", 5353, 53, "udp")),
    ("0.0.0.0:8080:80", PortForward("0.0.0.0", 8080, 80, "tcp")),
    ("192.168.1.2:1:65535/UDP", PortForward("192.168.1.2", 1, 65535, "udp")),
])
def test_parse_port(text, want):
    assert parse_port(text) == want


@pytest.mark.parametrize("text, why", [
    ("8080", "expected [HOSTIP:]HOSTPORT:GUESTPORT[/udp]"),
    ("a:b:c:d", "expected [HOSTIP:]HOSTPORT:GUESTPORT[/udp]"),
    ("8080:80/sctp", "unknown protocol 'sctp'"),
    ("x:80", "host port 'x' is not a number"),
    ("8080:", "guest port '' is not a number"),
    ("0:80", "host port 0 is out of range"),
    ("8080:65536", "guest port 65536 is out of range"),
    ("localhost:8080:80", "'localhost' in 'localhost:8080:80' is not an IPv4 address"),
    ("::1:8080:80", "expected"),
])
def test_parse_port_errors(text, why):
    with pytest.raises(ValueError) as e:
        parse_port(text)
    assert why in str(e.value)


def test_duplicate_host_ports():
    with pytest.raises(UserError, match="both use host port 8080/tcp"):
        check_unique([parse_port("8080:80"), parse_port("8080:81")])
    with pytest.raises(UserError, match="both use host port 8080/tcp"):
        check_unique([parse_port("127.0.0.1:8080:80"), parse_port("0.0.0.0:8080:81")])
    check_unique([parse_port("8080:80"), parse_port("8080:80/udp"), parse_port("8081:80")])


@pytest.mark.parametrize("proto, kind", [("tcp", socket.SOCK_STREAM), ("udp", socket.SOCK_DGRAM)])
def test_host_port_in_use_is_named(proto, kind):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    if kind == socket.SOCK_STREAM:
        s.listen(1)
    port = s.getsockname()[1]
    try:
        with pytest.raises(UserError) as e:
            check_ports_free([parse_port(f"{port}:80/{proto}")])
        assert f"cannot forward host port 127.0.0.1:{port}/{proto}" in str(e.value)
        assert "another program is using it" in str(e.value)
    finally:
        s.close()
    check_ports_free([parse_port(f"{port}:80/{proto}")])      # free again


def test_run_checks_host_ports_before_starting_the_vmm(tmp_path):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    port = s.getsockname()[1]
    try:
        with pytest.raises(UserError, match=f"127.0.0.1:{port}/tcp"):
            run_image(RunSpec(target=TARGETS["qemu/x86_64"], image=tmp_path / "i", image_dbg=None,
                              ports=[parse_port(f"{port}:80")]), lambda t: None)
    finally:
        s.close()


LINE = "UK-NET if=en0 mac=52:54:00:12:34:56 ip=10.0.2.15/24 gw=10.0.2.2 dns=10.0.2.3 via=dhcp"


def test_uk_net_line():
    n = parse_uk_net(LINE)
    assert n.ip == "10.0.2.15" and n.fields["gw"] == "10.0.2.2" and n.fields["if"] == "en0"
    assert n.describe() == "guest 10.0.2.15 (dhcp)"
    assert report(n, [parse_port("8080:80"), parse_port("5353:53/udp")]) == \
        "guest 10.0.2.15 (dhcp); 127.0.0.1:8080 -> guest :80/tcp; 127.0.0.1:5353 -> guest :53/udp"
    static = parse_uk_net("UK-NET if=en0 mac=52:54:00:12:34:56 ip=10.0.2.16/24 gw=10.0.2.2 dns=10.0.2.3 "
                          "via=static ip6=fe80::5054:ff:fe12:3456")
    assert static.describe() == "guest 10.0.2.16 (static), fe80::5054:ff:fe12:3456"
    timeout = parse_uk_net("UK-NET if=en0 error=dhcp-timeout")
    assert timeout.describe() == "guest en0: no address (DHCP got no answer in time)"
    assert parse_uk_net("UK-NETX if=en0") is None and parse_uk_net("UK-NET") is None


def test_console_hands_uk_net_to_the_caller_and_passes_it_through():
    out, seen = [], []
    f = ConsoleFilter(out.append, on_net=seen.append)
    f.feed("booting\n" + LINE + "\r\nlistening\n")
    f.close()
    assert [n.ip for n in seen] == ["10.0.2.15"] and f.state.net == seen
    # matched without its \r, passed through as the guest wrote it (the
    # console keeps a program's own carriage returns)
    assert "".join(out) == "booting\n" + LINE + "\r\nlistening\n"
