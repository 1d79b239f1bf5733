"""Debian 12's own nginx (1.22.1: /usr/sbin/nginx of the `nginx` package,
which nginx-light depends on in Debian 12; a dynamic PIE on glibc 2.36
with OpenSSL, PCRE2, zlib and libcrypt) in binary-compatibility mode,
reached from the host over `uniforge run -p`:

- GET / returns the stock page of nginx-common (/usr/share/nginx/html/
  index.html) with nginx's own Server header and the Content-Type read
  from /etc/nginx/mime.types;
- wrk (-t1 -c2 -d3s: slirp's listen backlog of 1 wants connections one at
  a time) completes requests and reports no socket error and no non-2xx
  answer;
- the console shows no crash, no nginx [emerg]/[alert]/[crit] and no
  missing call (no UK-ENOSYS line).

One boot per target (module fixture). The configuration is issue 10's
choices (daemon off, master_process off, access_log off) with the paths of
the Debian binary's own defaults: /etc/nginx/nginx.conf (no -c needed),
temp folders under /var/lib/nginx, errors to stderr (-e stderr, else the
default /var/log/nginx/error.log is opened first).
"""
from __future__ import annotations

import http.client
import shutil
from pathlib import Path

import pytest

from binhelp import TARGETS, Server, enosys, run_wrk, split_console, sysroot, wait_http
from conftest import free_port

pytestmark = pytest.mark.boot

READY_TIMEOUT = 600
# One UK-ENOSYS line per missing call: none (glibc's rseq registration
# at start has a handler: posix-thread's rseq.c).
ENOSYS = []
PAGE = "usr/share/nginx/html/index.html"
NGINX_CONF = """\
daemon off;
master_process off;
worker_processes 1;
pid /run/nginx.pid;
events { worker_connections 1024; }
http {
    include mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    keepalive_timeout 65;
    server {
        listen 80;
        location / { root /usr/share/nginx/html; index index.html; }
    }
}
"""


def make_rootfs(root: Path, dest: Path) -> Path:
    """The configuration, mime.types and the page from the packages, and
    the folders nginx writes in."""
    (dest / "etc/nginx").mkdir(parents=True)
    (dest / "etc/nginx/nginx.conf").write_text(NGINX_CONF)
    shutil.copyfile(root / "etc/nginx/mime.types", dest / "etc/nginx/mime.types")
    (dest / PAGE).parent.mkdir(parents=True)
    shutil.copyfile(root / PAGE, dest / PAGE)
    for d in ("var/lib/nginx", "var/log/nginx", "run"):
        (dest / d).mkdir(parents=True)
    return dest


def boot(target: str, tmp_path: Path, options=()) -> Server:
    """nginx booted and answering GET / (`options`: more `uniforge run`
    options, e.g. tests/binary/test_specialized.py's --specialize)."""
    root = sysroot("nginx", target)
    rootfs = make_rootfs(root, tmp_path / "rootfs")
    port = free_port("tcp")
    g = Server(root, "/usr/sbin/nginx", target, ["-e", "stderr"], port=port, guest_port=80,
               rootfs=rootfs, memory="64M", boot_timeout=READY_TIMEOUT + 600, options=options)
    g.page = (root / PAGE).read_bytes()
    body = wait_http(port, "/", READY_TIMEOUT, lambda: g.proc.poll() is None)
    if body is None:
        g.stop()
        pytest.fail(f"nginx did not answer GET /{g.tail()}")
    return g


def stop(g: Server, expect_enosys: list[str] = ENOSYS):
    """Ends the guest; then its console: no crash, no nginx error, only
    the expected missing calls."""
    g.stop()
    for bad in ("UK-CRASH", "[emerg]", "[alert]", "[crit]"):
        assert bad not in g.text(), f"{bad} in the guest's output{g.tail()}"
    assert enosys(split_console(g.text().encode())[1]) == expect_enosys, g.tail()


def check(target: str, tmp_path: Path, options=(), expect_enosys=None):
    """The module's checks in one boot. `expect_enosys`: the UK-ENOSYS
    calls the run must log, in order (default ENOSYS; a specialised
    kernel logs the calls it left out)."""
    g = boot(target, tmp_path, options)
    try:
        test_get_stock_page(g)
        test_wrk_reports_no_errors(g)
    finally:
        stop(g, ENOSYS if expect_enosys is None else expect_enosys)


@pytest.fixture(scope="module", params=TARGETS)
def nginx(request, tmp_path_factory):
    g = boot(request.param, tmp_path_factory.mktemp("nginx"))
    try:
        yield g
    finally:
        stop(g)


def test_get_stock_page(nginx):
    c = http.client.HTTPConnection("127.0.0.1", nginx.port, timeout=60)
    try:
        c.request("GET", "/")
        r = c.getresponse()
        body = r.read()
        assert r.status == 200 and body == nginx.page and b"<title>Welcome to nginx!</title>" in body
        assert r.getheader("Server") == "nginx/1.22.1"
        assert r.getheader("Content-Type") == "text/html"
        assert int(r.getheader("Content-Length")) == len(nginx.page)
    finally:
        c.close()


def test_wrk_reports_no_errors(nginx):
    w = run_wrk(nginx.port, seconds=3, conns=2)
    assert w.requests > 0 and w.non_2xx == 0 and not any(w.errors.values()), w.text + nginx.tail()
    print(f"{nginx.target}: wrk -t1 -c2 -d3s: {w.requests} requests")
