"""lwIP (issue 9, lwip's area): the port and the stack over the loopback
interface, in both modes, without any NIC.

One image per target and mode from a copy of tests/fixtures/lwip
(hermetic). With a scheduler (NO_SYS=0: tcpip thread, core locking) the
boot runs os/lib/lwip/tests/test_sys_arch.c (timed semaphore and mailbox
waits, threads, the core lock) and test_loopback.c (UDP, a 256 KiB TCP
stream checked byte by byte, an ICMP echo answered by lwIP, lwIP's DNS
resolver against a server on 127.0.0.1:53, timeouts beyond the static
reserve); without a
scheduler (NO_SYS=1, uk_lwip_poll) the loopback cases alone. The set of
cases that ran must be exactly the set the build registered.
"""
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, ran_cases, registered_cases, uniforge

FIXTURE = REPO / "tests" / "fixtures" / "lwip"
TIMEOUT = "120"
MODES = {"coop": ["--set", "CONFIG_UKSCHED_COOP=y"],
         "preempt": ["--set", "CONFIG_UKSCHED_PREEMPT=y"],
         "nosys": []}
CASES = [("linuxu/x86_64", "coop"), ("linuxu/x86_64", "nosys"),
         ("qemu/x86_64", "coop"), ("qemu/x86_64", "nosys"),
         ("microvm/x86_64", "preempt"), ("qemu/arm64", "coop"), ("qemu/arm64", "nosys")]

pytestmark = pytest.mark.boot


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    d = tmp_path_factory.mktemp("lwip") / "lwip"
    shutil.copytree(FIXTURE, d, ignore=shutil.ignore_patterns(".uniforge"))
    return d


def image_path(build_out: str) -> Path:
    return Path(re.search(r"^(\S+) \(", build_out, re.M).group(1))


@pytest.mark.parametrize("target,mode", CASES)
def test_lwip_over_loopback_in_guest(app, target, mode):
    b = uniforge("build", app, "-t", target, *MODES[mode], timeout=900)
    assert b.rc == 0, b.text
    expected = registered_cases(next(image_path(b.out).parent.glob("*.dbg")))
    assert {"lwip_loopback_interface_is_up_at_127_0_0_1",
            "lwip_udp_datagram_over_loopback",
            "lwip_tcp_stream_of_256_kib_over_loopback_arrives_intact",
            "lwip_icmp_echo_request_to_loopback_is_answered",
            "lwip_dns_resolver_asks_the_configured_server",
            "lwip_timeouts_beyond_the_reserve_fire_and_are_freed"} <= expected
    if mode == "nosys":
        assert not any(c.startswith("lwip_sys_") for c in expected)
    else:
        assert "lwip_sys_sem_wait_times_out_no_earlier_than_asked" in expected

    r = uniforge("run", app, "-t", target, *MODES[mode], "-q", "--timeout", TIMEOUT, timeout=900)
    assert ran_cases(r.out) == expected, r.text
    n = len(expected)
    assert f"UK-TEST-RESULT total={n} passed={n} failed=0" in r.out, r.text
    assert "lwip fixture: main" in r.out, r.text
    assert r.rc == 0, r.text
