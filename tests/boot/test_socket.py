"""posix-socket in the guest, what tests/posix (Linux vs guest) cannot
compare: tests/fixtures/socket/main.c, one mode per boot.

- dns: getaddrinfo through musl's resolver, reaching a DNS responder of
  ours on 127.0.0.1:53 over lwIP's UDP; /etc/resolv.conf written by lwIP
  from `-k netdev.dns=127.0.0.1` (dns-param) or by the app itself (dns,
  on linuxu, which has no NIC).
- emfile: socket, socketpair and accept4 with no free fd are EMFILE; the
  connection accept4 could not take is still queued afterwards.
- enobufs: thousands of sockets in a 12 MiB guest with a 65536-fd table:
  lwIP runs out of memory first, socket() is ENOBUFS/ENOMEM and a UDP send
  ENOBUFS, never a crash; everything works again after closing.
- unix: an image with POSIX_SOCKET_INET off has no lwIP at all, and its
  socketpair works.
- scm: SCM_RIGHTS at Linux's SCM_MAX_FD (253 arrive, 254 EINVAL), by the
  syscall itself (musl's sendmsg() refuses a control buffer over 1024
  bytes with ENOMEM, so tests/posix cannot reach the limit), 1000
  round trips of a file leaving no reference behind, and a receive with
  no free fd (MSG_CTRUNC, the files closed).
"""
import re
import shutil

import pytest

from conftest import uniforge, REPO, copy_app

FIXTURE = REPO / "tests" / "fixtures" / "socket"
VM_TARGETS = ["qemu/x86_64", "qemu/arm64"]

EXPECTED = {
    "dns": ["resolv_conf_written", "resolv_conf_names_127.0.0.1", "responder_started",
            "responder_bound_53", "getaddrinfo_svc.test", "address_10.1.2.3_port_80",
            "asked_our_responder", "getaddrinfo_nxdomain", "getaddrinfo_unspec_a_and_aaaa"],
    "emfile": ["listener", "client_connects", "socket_emfile", "socketpair_emfile", "accept4_emfile",
               "accept4_after_close_gets_the_queued_connection", "queued_connection_carries_data",
               "socket_after_closing_all"],
    "enobufs": ["udp_socket", "udp_send_before", "socket_enobufs_or_enomem", "udp_send_enobufs",
                "socket_after_closing_all", "udp_send_after"],
    "unix": ["socketpair", "socketpair_data", "socket_inet_eafnosupport"],
    "scm": ["socketpair", "send_253", "recv_253", "send_254_einval", "round_trips_1000",
            "no_reference_left", "pipe", "send_2", "recv_emfile_ctrunc", "emfile_files_closed"],
}
EXPECTED["dns-param"] = EXPECTED["dns"][1:]

pytestmark = pytest.mark.boot


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return copy_app(FIXTURE, tmp_path_factory.mktemp("socket"))


def run_mode(app, target, mode, *opts):
    r = uniforge("run", app, "-t", target, "--timeout", "240", "-j2", *opts, "--", mode, timeout=1500)
    ok = re.findall(r"^SOCK ok (\S+)$", r.out, re.M)
    assert "SOCK-RESULT failed=0" in r.out and r.rc == 0, r.text[-4000:]
    assert ok == EXPECTED[mode], r.text[-4000:]
    return r


@pytest.mark.parametrize("target", VM_TARGETS)
def test_getaddrinfo_reaches_our_dns_through_resolv_conf_from_netdev_dns(app, target):
    r = run_mode(app, target, "dns-param", "-k", "netdev.dns=127.0.0.1")
    assert re.search(r"^UK-NET .* dns=127\.0\.0\.1 ", r.out, re.M), r.out[-2000:]


def test_getaddrinfo_on_linuxu_loopback(app):
    run_mode(app, "linuxu/x86_64", "dns")


@pytest.mark.parametrize("target", VM_TARGETS)
def test_emfile_and_the_queued_connection_survives(app, target):
    run_mode(app, target, "emfile")


@pytest.mark.parametrize("target", VM_TARGETS)
def test_lwip_out_of_memory_is_enobufs_not_a_crash(app, target):
    r = run_mode(app, target, "enobufs", "-m", "12M", "--set", "CONFIG_LIBPOSIX_FDTAB_MAX=65536")
    n = int(re.search(r"sockets_before_exhaustion=(\d+)", r.out).group(1))
    assert 100 < n < 65536, r.out[-2000:]


@pytest.mark.parametrize("target", VM_TARGETS)
def test_scm_rights_at_scm_max_fd_and_no_reference_left(app, target):
    run_mode(app, target, "scm")


def test_unix_only_image_has_no_lwip(tmp_path):
    app = tmp_path / "sockunix"
    shutil.copytree(FIXTURE, app)
    with open(app / "uniforge.yaml", "a") as f:
        f.write("kconfig:\n  CONFIG_LIBPOSIX_SOCKET_INET: n\n")
    run_mode(app, "qemu/x86_64", "unix")
    build = app / ".uniforge" / "build" / "qemu-x86_64"
    assert "# CONFIG_LIBLWIP is not set" in (build / ".config").read_text()
    assert "lwip" not in next(build.glob("*.map")).read_text()
