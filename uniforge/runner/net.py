"""The guest's network as the runner sets it up: port forwards, the network
mode, QEMU's -netdev/-device words, and the guest's `UK-NET` line.

    -p [HOSTIP:]HOSTPORT:GUESTPORT[/udp]   a host forward (HOSTIP: 127.0.0.1)
    --net user        QEMU user-mode networking (slirp): no root, the guest
                      gets 10.0.2.15 by DHCP, -p forwards reach it
    --net tap:NAME    a tap device the user created (no forwards: the guest
                      is reachable at its own address on that link)
    --net none        no NIC at all

Without --net, a target with a NIC gets user networking when the image has
a network-device layer (CONFIG_LIBUKNETDEV=y in the build's .config) or
forwards are asked for. Everything here raises UserError for bad input and
never prints.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
import errno
import ipaddress
import re
import socket

from ..errors import UserError

PORT_SYNTAX = "[HOSTIP:]HOSTPORT:GUESTPORT[/udp], e.g. 8080:80, 127.0.0.1:5353:53/udp"
DEFAULT_HOST_IP = "127.0.0.1"
NETDEV_ID = "n0"
# Linux limits interface names to IFNAMSIZ - 1 characters.
_IFNAME = re.compile(r"[A-Za-z0-9_.-]{1,15}")


@dataclass(frozen=True)
class PortForward:
    """One host → guest forward."""
    host_ip: str
    host_port: int
    guest_port: int
    proto: str = "tcp"          # "tcp" or "udp"

    def __str__(self) -> str:   # as the user writes it
        return f"{self.host_ip}:{self.host_port}:{self.guest_port}/{self.proto}"

    def describe(self) -> str:  # as `uniforge run` reports it
        return f"{self.host_ip}:{self.host_port} -> guest :{self.guest_port}/{self.proto}"

    def hostfwd(self) -> str:   # QEMU's -netdev user option
        return f"hostfwd={self.proto}:{self.host_ip}:{self.host_port}-:{self.guest_port}"


def _port(text: str, what: str, spec: str) -> int:
    if not text.isdigit():
        raise ValueError(f"{what} {text!r} is not a number (in {spec!r}; expected {PORT_SYNTAX})")
    n = int(text)
    if not 1 <= n <= 65535:
        raise ValueError(f"{what} {n} is out of range (in {spec!r}): ports are 1-65535")
    return n


def parse_port(spec: str) -> PortForward:
    """'[HOSTIP:]HOSTPORT:GUESTPORT[/udp|/tcp]' → PortForward. Raises
    ValueError with the reason (the caller adds where it came from)."""
    text = spec.strip()
    body, slash, proto = text.partition("/")
    proto = proto.lower() if slash else "tcp"
    if proto not in ("tcp", "udp"):
        raise ValueError(f"unknown protocol {proto!r} in {spec!r}: write /tcp (the default) or /udp")
    parts = body.split(":")
    if len(parts) == 2:
        host_ip = DEFAULT_HOST_IP
        hp, gp = parts
    elif len(parts) == 3:
        host_ip, hp, gp = parts
        try:
            ipaddress.IPv4Address(host_ip)
        except ValueError:
            raise ValueError(f"host address {host_ip!r} in {spec!r} is not an IPv4 address "
                             "(QEMU's user network forwards from IPv4 addresses only)") from None
    else:
        raise ValueError(f"bad port forward {spec!r}: expected {PORT_SYNTAX}")
    return PortForward(host_ip, _port(hp, "host port", spec), _port(gp, "guest port", spec), proto)


def check_unique(ports: list[PortForward]) -> None:
    """Raise UserError if two forwards claim the same host port."""
    for i, p in enumerate(ports):
        for other in ports[:i]:
            if (other.proto, other.host_port) == (p.proto, p.host_port) and \
                    (other.host_ip == p.host_ip or "0.0.0.0" in (other.host_ip, p.host_ip)):
                raise UserError(f"port forwards {other} and {p} both use host port {p.host_port}/{p.proto}",
                                hint="give each forward its own host port")


def port_in_use(p: PortForward) -> str:
    """Why QEMU could not listen on the forward's host side, or "" if it
    can now. The check binds the way QEMU's user network does (SO_REUSEADDR
    on TCP, so connections in TIME_WAIT do not count) and closes at once."""
    kind = socket.SOCK_STREAM if p.proto == "tcp" else socket.SOCK_DGRAM
    s = socket.socket(socket.AF_INET, kind)
    try:
        if p.proto == "tcp":
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((p.host_ip, p.host_port))
        if p.proto == "tcp":
            s.listen(1)
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            return "another program is using it"
        if e.errno == errno.EACCES:
            return "permission denied (ports below 1024 need root)"
        if e.errno == errno.EADDRNOTAVAIL:
            return f"{p.host_ip} is not an address of this machine"
        return e.strerror or str(e)
    finally:
        s.close()
    return ""


def check_ports_free(ports: list[PortForward]) -> None:
    """Raise UserError naming the first forward whose host port cannot be
    listened on."""
    check_unique(ports)
    for p in ports:
        why = port_in_use(p)
        if why:
            raise UserError(f"cannot forward host port {p.host_ip}:{p.host_port}/{p.proto} "
                            f"(-p {p.host_ip}:{p.host_port}:{p.guest_port}/{p.proto}): {why}",
                            hint="pick another host port, e.g. "
                                 f"-p {p.host_port + 1 if p.host_port < 65535 else 1024}:{p.guest_port}"
                                 + ("/udp" if p.proto == "udp" else ""))


def parse_net(text: str) -> str:
    """`--net` value → 'user', 'none' or 'tap:NAME'. Raises UserError."""
    if text in ("user", "none"):
        return text
    if text.startswith("tap:"):
        name = text[4:]
        if not _IFNAME.fullmatch(name):
            raise UserError(f"--net {text}: bad interface name {name!r}",
                            hint="a tap name is 1-15 letters, digits, '.', '_' or '-', e.g. --net tap:uk0")
        return text
    raise UserError(f"--net {text!r}: expected user, none or tap:NAME",
                    hint="user: QEMU user networking with -p forwards (the default when the image has a "
                         "network device); tap:NAME: a tap device you created; none: no NIC")


def image_has_netdev(image, dot_config: Path | None = None) -> bool:
    """True when the image was built with CONFIG_LIBUKNETDEV=y: the build's
    .config (`dot_config`, else the one next to the image, which lives in
    its build folder)."""
    if dot_config is None:
        img = Path(image)
        if not img.is_file():
            return False
        dot_config = img.resolve().parent / ".config"
    try:
        text = Path(dot_config).read_text()
    except OSError:
        return False
    return re.search(r"^CONFIG_LIBUKNETDEV=y$", text, re.M) is not None


def check_request(target, ports: list[PortForward], net: str | None) -> str | None:
    """The explicit mode `net` (--net) normalised, None when not given.
    Raises UserError when the request cannot be met: forwards without
    user networking, a network on a target without a NIC, a tap device
    that does not exist. Needs no image (the CLI calls it before building)."""
    mode = parse_net(net) if net is not None else None
    if ports and mode == "none":
        raise UserError("-p forwards need a network, and --net none turns it off",
                        hint="drop --net none, or drop the -p/ports: forwards")
    if ports and mode is not None and mode.startswith("tap:"):
        raise UserError(f"-p forwards go through QEMU's user network, not --net {mode}",
                        hint="with a tap device the guest is reachable at its own address: drop -p")
    wants = mode not in (None, "none") or bool(ports)
    if wants and not target.nic:
        raise UserError(f"{target.name} cannot have a network: {target.no_nic}",
                        hint="run it on qemu/x86_64, microvm/x86_64 or qemu/arm64, or drop -p/--net")
    if mode is not None and mode.startswith("tap:") and not Path("/sys/class/net", mode[4:]).exists():
        name = mode[4:]
        raise UserError(f"--net {mode}: this machine has no network interface {name!r}",
                        hint=f"create it first: sudo ip tuntap add {name} mode tap user $USER && "
                             f"sudo ip link set {name} up")
    check_unique(ports)
    return mode


def net_mode(spec) -> str:
    """The mode the runner uses for `spec`: 'user', 'none' or 'tap:NAME'
    (check_request's errors; without --net, user networking when the
    target has a NIC and the image a netdev layer or forwards are given)."""
    t = spec.target
    mode = check_request(t, list(spec.ports), spec.net)
    if mode is None:
        mode = "user" if t.nic and (spec.ports or image_has_netdev(spec.image, spec.dot_config)) else "none"
    return mode


def qemu_net_args(spec, mode: str) -> list[str]:
    """-netdev/-device words for `mode` (net_mode's result); [] for none."""
    if mode == "none":
        return []
    if mode == "user":
        netdev = ",".join(["user", f"id={NETDEV_ID}"] + [p.hostfwd() for p in spec.ports])
    else:
        netdev = f"tap,id={NETDEV_ID},ifname={mode[4:]},script=no,downscript=no"
    device = f"{spec.target.nic},netdev={NETDEV_ID}"
    if spec.target.nic.endswith("-pci"):
        # No option ROM: the guest never network-boots, and SeaBIOS would
        # otherwise load and start iPXE on every boot.
        device += ",romfile="
    return ["-netdev", netdev, "-device", device]


@dataclass(frozen=True)
class GuestNet:
    """One `UK-NET ...` console line (lwip prints one per configured
    interface; ARCHITECTURE.md, "Console protocol")."""
    fields: dict

    @property
    def ip(self) -> str:
        return self.fields.get("ip", "").partition("/")[0]

    def describe(self) -> str:
        f = self.fields
        name = f.get("if", "?")
        if "error" in f:
            if f["error"] == "dhcp-timeout":
                return f"guest {name}: no address (DHCP got no answer in time)"
            return f"guest {name}: no address ({f['error']})"
        text = f"guest {self.ip or '(no IPv4 address)'} ({f.get('via', '?')})"
        if "ip6" in f:
            text += f", {f['ip6']}"
        return text


_NET = re.compile(r"^UK-NET((?: \S+=\S*)+)\s*$")


def parse_uk_net(line: str) -> GuestNet | None:
    """`UK-NET if=en0 mac=... ip=10.0.2.15/24 gw=... dns=... via=dhcp` →
    GuestNet; None for any other line."""
    m = _NET.match(line)
    if not m:
        return None
    return GuestNet(dict(w.split("=", 1) for w in m.group(1).split()))


def report(net: GuestNet, ports: list[PortForward]) -> str:
    """What `uniforge run` says once the guest has an address, e.g.
    `guest 10.0.2.15 (dhcp); 127.0.0.1:8080 -> guest :80/tcp`."""
    return "; ".join([net.describe()] + [p.describe() for p in ports])
