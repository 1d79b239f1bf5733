"""virtio-net behind uknetdev, booted (issue 9): raw Ethernet frames between
the guest and QEMU's user network (slirp), on every target with a NIC
(virtio-pci on pc; virtio-mmio, legacy and modern, on microvm and virt).

The guest runs the in-guest cases of os/drivers/virtio-net/tests (nolibc,
uktest): the device is en0 with the MAC given to QEMU; slirp answers an ARP
request for 10.0.2.2 and a DHCP DISCOVER (sent with a partial UDP checksum
the driver must complete, since slirp gives no checksum offload and drops
bad checksums); a 1442-byte ICMP echo comes back intact, and with 512-byte
RX buffers and mergeable buffers it arrives as a chain of exactly
ceil((12 + 1442) / 448) = 4 buffers (one without MRG_RXBUF); the RX
callback fires from the device's interrupt.

Each image is built once per target from a fixture app in a temporary
folder; the NIC is given explicitly (its MAC chosen here), the runner's own
NIC turned off.
"""
import json
import re
import socket
import textwrap
import threading

import pytest

from conftest import uniforge, registered_cases, ran_cases

pytestmark = pytest.mark.boot

TARGETS = ["qemu/x86_64", "microvm/x86_64", "qemu/arm64"]
MAC = "52:54:00:9a:7e:31"
TIMEOUT = 120

MANIFEST = """\
    name: vnet
    libraries: [virtio-net]
    kconfig:
      CONFIG_LIBUKTEST: y
      CONFIG_LIBVIRTIO_NET_TESTS: y
      CONFIG_LIBVIRTIO_NET_RXBUF_SIZE: 512
      CONFIG_LIBUKNETDEV_TESTS: y
"""


def make(tmp_path_factory, name, extra=""):
    d = tmp_path_factory.mktemp(name) / "vnet"
    d.mkdir()
    (d / "uniforge.yaml").write_text(textwrap.dedent(MANIFEST) + extra)
    (d / "main.c").write_text("int main(void) { return 0; }\n")
    return d


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return make(tmp_path_factory, "vnet")


@pytest.fixture(scope="module")
def app_nomrg(tmp_path_factory):
    return make(tmp_path_factory, "vnet-nomrg", "  CONFIG_LIBVIRTIO_NET_MRG_RXBUF: n\n")


@pytest.fixture(scope="module")
def app_link(tmp_path_factory):
    return make(tmp_path_factory, "vnet-link", "  CONFIG_LIBVIRTIO_NET_TESTS_LINK: y\n")


@pytest.fixture(scope="module")
def app_flood(tmp_path_factory):
    return make(tmp_path_factory, "vnet-flood", "  CONFIG_LIBVIRTIO_NET_TESTS_FLOOD: y\n")


@pytest.fixture(scope="module")
def app_poll(tmp_path_factory):
    return make(tmp_path_factory, "vnet-poll", "  CONFIG_LIBVIRTIO_POLL: y\n")


def boot(app, target, dev_opts="", extra_args=(), on_line=None, kernel_args=()):
    """Builds app for target and boots it with one user-mode NIC of MAC
    (and the device options dev_opts, more QEMU words extra_args); returns
    (console text, status, the image's .dbg). on_line(line) sees each
    console line as it comes."""
    from uniforge.runner import RunSpec, run as run_image
    from uniforge.targets import TARGETS as TABLE

    r = uniforge("build", app, "-t", target, "-q", timeout=900)
    assert r.rc == 0, r.text
    t = TABLE[target]
    build = app / ".uniforge" / "build" / t.slug
    image = build / f"vnet_{t.slug}"
    extra = ["-netdev", "user,id=nt0", "-device", f"{t.nic},netdev=nt0,mac={MAC}{dev_opts}"]
    if t.nic.endswith("-pci"):
        extra[-1] += ",romfile="
    out: list[str] = []
    pending = [""]

    def write(text):
        out.append(text)
        if on_line:
            pending[0] += text
            *lines, pending[0] = pending[0].split("\n")
            for line in lines:
                on_line(line)
    spec = RunSpec(target=t, image=image, image_dbg=None, timeout=float(TIMEOUT),
                   extra_vmm_args=extra + list(extra_args), net="none",
                   kernel_args=list(kernel_args))
    res = run_image(spec, write=write)
    return "".join(out), res.status, image.with_name(image.name + ".dbg")


def assert_suite(out, status, dbg):
    m = re.search(r"^UK-TEST-RESULT total=(\d+) passed=(\d+) failed=(\d+)", out, re.M)
    assert m, out
    expected = registered_cases(dbg)
    assert {c for c in expected if c.startswith("virtio_net_")}, "virtio-net cases not built in"
    assert ran_cases(out) == expected, out
    assert m.group(3) == "0" and status == 0, out


# QEMU's virtio-mmio devices are legacy (virtio 0.9.5) unless told
# otherwise; virtio-net-pci is transitional and the transport takes modern.
MODERN_MMIO = ["-global", "virtio-mmio.force-legacy=false"]
INTERFACES = [("qemu/x86_64", "modern", []),
              ("microvm/x86_64", "legacy", []), ("microvm/x86_64", "modern", MODERN_MMIO),
              ("qemu/arm64", "legacy", []), ("qemu/arm64", "modern", MODERN_MMIO)]


@pytest.mark.parametrize("target,kind,args", INTERFACES, ids=[f"{t}-{k}" for t, k, _ in INTERFACES])
def test_raw_frames_through_slirp(app, target, kind, args):
    out, status, dbg = boot(app, target, extra_args=args)
    assert_suite(out, status, dbg)
    assert re.search(rf"^UK-NETDEV name=en0 mac={MAC} mtu=1500 link=up features=mrg_rxbuf, "
                     rf"virtio={kind} hdr=12$", out, re.M), out
    # slirp's own MAC (QEMU's fixed 52:55:0a:00:02:02 for 10.0.2.2)
    assert "UK-NETDEV arp 10.0.2.2 is-at 52:55:0a:00:02:02" in out, out
    assert re.search(r"^UK-NETDEV dhcp offer yiaddr=10\.0\.2\.15 from=10\.0\.2\.2 flags=none$", out,
                     re.M), out
    assert re.search(r"^UK-NETDEV ping bytes=1442 bufs=4$", out, re.M), out


def test_whole_frames_without_mergeable_buffers(app_nomrg):
    """Without MRG_RXBUF each buffer is raised to hold a whole frame."""
    out, status, dbg = boot(app_nomrg, "qemu/x86_64")
    assert_suite(out, status, dbg)
    assert re.search(rf"^UK-NETDEV name=en0 mac={MAC} mtu=1500 link=up features= virtio=modern hdr=12$",
                     out, re.M), out
    assert re.search(r"^UK-NETDEV ping bytes=1442 bufs=1$", out, re.M), out


def test_polling_mode(app_poll):
    """With the virtio core in polling mode (no interrupts at all) the same
    exchanges work through uk_netdev_poll, the RX callback included."""
    out, status, dbg = boot(app_poll, "qemu/x86_64")
    assert_suite(out, status, dbg)
    assert re.search(r"^UK-NETDEV ping bytes=1442 bufs=4$", out, re.M), out


def test_mtu_from_the_device(app):
    """A device MTU (VIRTIO_NET_F_MTU, QEMU's host_mtu) is the netdev's MTU;
    TX then takes frames up to it (the refusal case sends MTU + 19 bytes)."""
    out, status, dbg = boot(app, "qemu/x86_64", ",host_mtu=4000")
    assert_suite(out, status, dbg)
    assert re.search(rf"^UK-NETDEV name=en0 mac={MAC} mtu=4000 link=up ", out, re.M), out


@pytest.mark.parametrize("mrg", [True, False])
def test_legacy_device(app, app_nomrg, mrg):
    """QEMU's legacy-only virtio-net-pci (disable-modern=on): the header is
    12 bytes with MRG_RXBUF, 10 without (a wrong length shifts every frame
    by two bytes, and no exchange would succeed)."""
    out, status, dbg = boot(app if mrg else app_nomrg, "qemu/x86_64", ",disable-modern=on")
    assert_suite(out, status, dbg)
    feats, hdr = ("mrg_rxbuf,", 12) if mrg else ("", 10)
    assert re.search(rf"^UK-NETDEV name=en0 mac={MAC} mtu=1500 link=up features={feats} "
                     rf"virtio=legacy hdr={hdr}$", out, re.M), out
    assert re.search(rf"^UK-NETDEV ping bytes=1442 bufs={4 if mrg else 1}$", out, re.M), out


def qmp(path, *commands):
    """Runs QMP commands on QEMU's monitor socket at path; returns the replies."""
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(30)
        s.connect(str(path))
        f = s.makefile("rw")
        json.loads(f.readline())                       # the greeting
        replies = []
        for cmd in ({"execute": "qmp_capabilities"},) + commands:
            f.write(json.dumps(cmd) + "\n")
            f.flush()
            while True:
                r = json.loads(f.readline())
                if "return" in r or "error" in r:
                    replies.append(r)
                    break
        return replies[1:]


@pytest.mark.parametrize("target", TARGETS)
def test_link_state_follows_the_device(app_link, target, tmp_path):
    """QEMU's set_link takes en0's link down and up while the guest waits:
    link_up follows through the device's configuration-change interrupt
    (VIRTIO_NET_F_STATUS)."""
    sock = tmp_path / "qmp.sock"
    replies = []

    def on_line(line):
        m = re.match(r"UK-NETDEV link-wait (down|up)$", line.strip())
        if m:
            cmd = {"execute": "set_link", "arguments": {"name": "nt0", "up": m.group(1) == "up"}}
            threading.Thread(target=lambda: replies.extend(qmp(sock, cmd))).start()
    out, status, dbg = boot(app_link, target, extra_args=["-qmp", f"unix:{sock},server=on,wait=off"],
                            on_line=on_line)
    assert_suite(out, status, dbg)
    assert "UK-NETDEV link-done" in out, out
    assert replies == [{"return": {}}, {"return": {}}], replies


@pytest.mark.parametrize("target", ["linuxu/x86_64", "qemu/x86_64"])
def test_uknetdev_alone(make_app, target):
    """uknetdev's own cases (buffers, registry, dispatch over a loop-back
    device) without any driver: the loop-back device is en0. (In the
    images above it comes after the NIC, as en1.)"""
    app = make_app("name: nd\nlibraries: [uknetdev]\nkconfig:\n  CONFIG_LIBUKTEST: y\n"
                   "  CONFIG_LIBUKNETDEV_TESTS: y\n")
    r = uniforge("run", app, "-t", target, "-q", "--timeout", str(TIMEOUT), timeout=900)
    assert r.rc == 0, r.text
    assert ran_cases(r.out) == {"uknetdev_netbuf_alloc_headroom_and_free",
                                "uknetdev_chain_len_copy_out_and_free_each",
                                "uknetdev_registry_names_and_dispatch"}, r.text


@pytest.mark.parametrize("target", TARGETS)
def test_udp_window_to_a_host_echo_server(app_flood, target):
    """3000 datagrams of 1400 bytes, 48 outstanding, from raw frames to a
    UDP echo server on the host's loopback (10.0.2.2 through slirp), with
    partial checksums the driver completes: every one comes back intact,
    exactly once (the replies come in chains of 512-byte RX buffers, which
    go back into the ring as they are freed; TX buffers are reclaimed as
    the device finishes them)."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    srv.bind(("127.0.0.1", 0))
    srv.settimeout(0.5)
    stop = threading.Event()

    def echo():
        while not stop.is_set():
            try:
                data, peer = srv.recvfrom(65536)
            except socket.timeout:
                continue
            srv.sendto(data, peer)
    th = threading.Thread(target=echo, daemon=True)
    th.start()
    try:
        out, status, dbg = boot(app_flood, target,
                                kernel_args=[f"virtio-net.test_udp_port={srv.getsockname()[1]}"])
    finally:
        stop.set()
        th.join()
        srv.close()
    assert_suite(out, status, dbg)
    assert re.search(r"^UK-NETDEV flood sent=3000 echoed=3000 bad=0 dups=0 ", out, re.M), out
