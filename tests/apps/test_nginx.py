"""apps/nginx (Debian's nginx 1.22.1, os/lib/nginx) reached from the host
over `uniforge run -p` on qemu/x86_64, microvm/x86_64 and qemu/arm64, one
boot per target for all the checks (module-scoped fixture):

- GET / returns the stock page of Debian's tree (html/index.html, which
  the library puts in the rootfs) with nginx's own headers;
- a 1 MiB file of random bytes, added to a copy of the app's rootfs,
  comes back with the same SHA-256 (sendfile from ramfs, in many rounds);
- 100 concurrent keep-alive clients, each doing several requests on one
  connection, all get the page;
- the guest's console has no crash, no ENOSYS and no nginx error line.

nginx prints nothing when it is ready, so readiness is the first
successful GET (QEMU accepts on the host port before the guest listens,
and answers those early connections with a reset or an empty reply).
"""
from __future__ import annotations

import hashlib
import http.client
import random
import socket
import threading
import time
from dataclasses import dataclass

import pytest

from apphelp import app_copy, build_app, start_app, stop_app
from conftest import REPO, free_port
from uniforge import debsrc, library

pytestmark = pytest.mark.boot

TARGETS = ["qemu/x86_64", "microvm/x86_64", "qemu/arm64"]
BIG_NAME, BIG_SIZE = "big.bin", 1 << 20
CLIENTS, REQUESTS_EACH = 100, 5
READY_TIMEOUT = 600                 # s from `uniforge run` to the first answer (build already done)


def stock_page() -> bytes:
    """html/index.html of the Debian tree the build used."""
    lib = library.parse(REPO / "os" / "lib" / "nginx")
    return (debsrc.tree_dir(lib.debian) / "html" / "index.html").read_bytes()


@dataclass
class Nginx:
    proc: object
    port: int
    target: str

    def get(self, path: str, timeout: float = 120) -> tuple[int, dict, bytes]:
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            c.request("GET", path)
            r = c.getresponse()
            return r.status, dict(r.getheaders()), r.read()
        finally:
            c.close()


def _wait_ready(srv: Nginx) -> str | None:
    """None once nginx answers GET / with 200, else why not."""
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if srv.proc.poll() is not None:
            return f"nginx ended (status {srv.proc.returncode}) before serving"
        try:
            if srv.get("/", timeout=5)[0] == 200:
                return None
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(1)
    return f"nginx did not answer within {READY_TIMEOUT} s"


@pytest.fixture(scope="module")
def big_bytes() -> bytes:
    return random.Random(10).randbytes(BIG_SIZE)


@pytest.fixture(scope="module", params=TARGETS)
def nginx(request, tmp_path_factory, big_bytes):
    target = request.param
    app = app_copy("nginx", tmp_path_factory.mktemp("nginx"))
    (app / "rootfs" / "html").mkdir()
    (app / "rootfs" / "html" / BIG_NAME).write_bytes(big_bytes)
    r = build_app(app, target)
    assert r.rc == 0, r.text[-3000:]
    port = free_port("tcp")
    srv = Nginx(start_app(app, target, ports=[f"{port}:80"], boot_timeout=1800), port, target)
    try:
        why = _wait_ready(srv)
    except BaseException:
        stop_app(srv.proc)
        raise
    if why is not None:
        pytest.fail(f"{why} on {target}:\n{stop_app(srv.proc).text[-3000:]}")
    try:
        yield srv
    finally:
        r = stop_app(srv.proc)
    # after every check of this boot: a clean console
    for bad in ("UK-CRASH", "UK-ENOSYS", "[emerg]", "[alert]", "[crit]"):
        assert bad not in r.text, f"{bad} in the guest's output on {target}:\n{r.text[-3000:]}"


def test_get_stock_page(nginx):
    status, headers, body = nginx.get("/")
    page = stock_page()
    assert status == 200
    assert body == page and b"<title>Welcome to nginx!</title>" in body
    assert headers["Server"] == "nginx/1.22.1"
    assert headers["Content-Type"] == "text/html"          # from mime.types, read from the rootfs
    assert int(headers["Content-Length"]) == len(page)


def test_missing_file_is_404(nginx):
    status, _, body = nginx.get("/no-such-file")
    assert status == 404 and b"<center>nginx/1.22.1</center>" in body


def test_one_mib_file_intact(nginx, big_bytes):
    status, headers, body = nginx.get("/" + BIG_NAME, timeout=300)
    assert status == 200
    assert headers["Content-Type"] == "application/octet-stream"
    assert len(body) == BIG_SIZE
    assert hashlib.sha256(body).hexdigest() == hashlib.sha256(big_bytes).hexdigest()


def test_100_concurrent_keepalive_clients(nginx):
    """100 connections open at once, then 100 threads each send
    REQUESTS_EACH GETs on their own connection, all at the same time; every
    answer is the page and the connection stays the same one.

    The connections are opened one after the other, as test_net_apps does:
    QEMU's user network (libslirp) listens on the host port with a backlog
    of 1, so a burst of 100 connects overflows the host kernel's accept
    queue (TcpExtListenOverflows) and stalls handshakes for a minute before
    the guest ever sees them, whatever runs in the guest."""
    page = stock_page()
    conns = []
    try:
        for _ in range(CLIENTS):
            c = http.client.HTTPConnection("127.0.0.1", nginx.port, timeout=180)
            c.connect()
            conns.append(c)
        start = threading.Barrier(CLIENTS)
        errors: list[str] = []
        done = [0] * CLIENTS

        def client(i: int):
            c = conns[i]
            sock = c.sock
            try:
                start.wait(60)
                for n in range(REQUESTS_EACH):
                    c.request("GET", "/")
                    r = c.getresponse()
                    body = r.read()
                    if r.status != 200 or body != page:
                        errors.append(f"client {i} request {n}: status {r.status}, {len(body)} bytes")
                        return
                    if r.getheader("Connection", "").lower() != "keep-alive" or c.sock is not sock:
                        errors.append(f"client {i} request {n}: the connection was not kept alive")
                        return
                    done[i] += 1
            except (OSError, http.client.HTTPException, threading.BrokenBarrierError) as e:
                errors.append(f"client {i} after {done[i]} requests: {e!r}")

        threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        for c in conns:
            c.close()
    assert not errors, f"{len(errors)} of {CLIENTS} clients failed on {nginx.target}: {errors[:5]}"
    assert sum(done) == CLIENTS * REQUESTS_EACH


def test_head_http10_closes(nginx):
    """HTTP/1.0 without keep-alive: nginx's status line, then it closes."""
    with socket.create_connection(("127.0.0.1", nginx.port), timeout=60) as s:
        s.sendall(b"HEAD / HTTP/1.0\r\n\r\n")
        data = b""
        while chunk := s.recv(4096):
            data += chunk
    assert data.startswith(b"HTTP/1.1 200 OK\r\n") and b"\r\nServer: nginx/1.22.1\r\n" in data


def _module_symbols(elf_path) -> set[str]:
    from elftools.elf.elffile import ELFFile
    with open(elf_path, "rb") as f:
        symtab = ELFFile(f).get_section_by_name(".symtab")
        return {s.name for s in symtab.iter_symbols() if s.name.startswith("ngx_") and s.name.endswith("_module")}


def test_module_choice_reaches_the_image(tmp_path):
    """The Kconfig options choose what is linked (a build, no boot): the
    defaults have autoindex and no stub_status; turning them around
    swaps the two modules, and the table nginx walks (ngx_modules.c) is
    regenerated to match."""
    app = app_copy("nginx", tmp_path)
    r = build_app(app, "qemu/x86_64", sets=["CONFIG_LIBNGINX_HTTP_AUTOINDEX=n",
                                            "CONFIG_LIBNGINX_HTTP_STUB_STATUS=y"])
    assert r.rc == 0, r.text[-3000:]
    [variant] = (app / ".uniforge" / "build").glob("qemu-x86_64+*")
    syms = _module_symbols(variant / "nginx_qemu-x86_64.dbg")
    assert "ngx_http_stub_status_module" in syms and "ngx_http_autoindex_module" not in syms
    assert {"ngx_core_module", "ngx_epoll_module", "ngx_http_static_module"} <= syms
