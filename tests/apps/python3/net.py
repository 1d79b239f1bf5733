"""The guest side of tests/apps/test_python3_socket.py: CPython's socket,
select and selectors modules over posix-socket (lwIP) and posix-event.

    net.py TCP_PORT UDP_PORT   (the host's echo servers, reached at 10.0.2.2)

1. loopback: a listener on 127.0.0.1, a non-blocking connect completed
   through select.select, 100 KB through the pair and back;
2. client: a TCP connection to the host (10.0.2.2:TCP_PORT, QEMU's user
   network), a line out and the host's answer back; a UDP datagram to
   10.0.2.2:UDP_PORT and its echo;
3. server: a listener on 0.0.0.0:8000 (the host's `-p` forward) waited for
   with select.select, then one connection served through
   selectors.DefaultSelector (epoll): the host's whole request is read,
   then answered with its length, SHA-256 and bytes reversed.
Every step prints one `py-net:` line; any failure raises (exit status 1).
"""
import errno
import hashlib
import select
import selectors
import socket
import sys

HOST = "10.0.2.2"
PATTERN = bytes(i % 251 for i in range(100_000))


def recv_exactly(s: socket.socket, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise EOFError(f"peer closed after {len(buf)} of {n} bytes")
        buf += chunk
    return bytes(buf)


def pump(src: socket.socket, dst: socket.socket, data: bytes) -> bytes:
    """data sent on src and read from dst by one thread: a chunk out, what
    came in, again (a whole sendall first would fill the window and block)."""
    sent = 0
    got = bytearray()
    while len(got) < len(data):
        if sent < len(data):
            sent += src.send(data[sent:sent + 8192])
        got += dst.recv(65536)
    return bytes(got)


def loopback() -> None:
    lsn = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsn.bind(("127.0.0.1", 0))
    lsn.listen(1)
    port = lsn.getsockname()[1]
    cli = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    cli.setblocking(False)
    assert cli.connect_ex(("127.0.0.1", port)) in (0, errno.EINPROGRESS), "connect_ex"
    _, w, _ = select.select([], [cli], [], 30)
    assert w == [cli] and cli.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
    srv, peer = lsn.accept()
    assert peer == cli.getsockname(), (peer, cli.getsockname())
    cli.settimeout(30)
    srv.settimeout(30)
    there = pump(cli, srv, PATTERN)
    back = pump(srv, cli, there[::-1])
    assert there == PATTERN and back == PATTERN[::-1]
    for s in (cli, srv, lsn):
        s.close()
    print(f"py-net: loopback port={port} bytes={len(PATTERN)} ok", flush=True)


def client(tcp_port: int, udp_port: int) -> None:
    with socket.create_connection((HOST, tcp_port), timeout=60) as s:
        s.sendall(b"hello from the guest\n")
        p = select.poll()
        p.register(s, select.POLLIN)
        assert p.poll(60_000) == [(s.fileno(), select.POLLIN)]
        line = s.makefile("rb").readline()
    print(f"py-net: tcp client got {line!r}", flush=True)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
        u.settimeout(60)
        u.sendto(b"udp ping", (HOST, udp_port))
        data, addr = u.recvfrom(2048)
    print(f"py-net: udp client got {data!r} from {addr[0]}", flush=True)


def server() -> None:
    lsn = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsn.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsn.bind(("0.0.0.0", 8000))
    lsn.listen(4)
    print("py-net: listening on 8000", flush=True)
    r, _, _ = select.select([lsn], [], [], 240)
    assert r == [lsn], "no connection from the host"
    conn, _ = lsn.accept()
    conn.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(conn, selectors.EVENT_READ)
    header = b""
    body = b""
    size = None
    while size is None or len(body) < size:
        for key, _ in sel.select(60):
            chunk = key.fileobj.recv(65536)
            if not chunk:
                raise EOFError("the host closed early")
            if size is None:
                header += chunk
                if b"\n" in header:
                    line, _, body = header.partition(b"\n")
                    size = int(line.split()[1])
            else:
                body += chunk
    answer = b"%d %s\n" % (len(body), hashlib.sha256(body).hexdigest().encode()) + body[::-1]
    sel.modify(conn, selectors.EVENT_WRITE)
    while answer:
        for key, _ in sel.select(60):
            answer = answer[key.fileobj.send(answer):]
    sel.unregister(conn)
    sel.close()
    conn.close()
    lsn.close()
    print(f"py-net: served {size} bytes via {type(sel).__name__}", flush=True)


if __name__ == "__main__":
    loopback()
    client(int(sys.argv[1]), int(sys.argv[2]))
    server()
    print("py-net: done", flush=True)
