"""The five applications of issue 10 as benchmarks/apps.py drives them: what
each runs, how it shows it is ready, what its own check is, which Debian
binary is its baseline, and the published Unikraft figures it is compared
with. Pure data (no QEMU, no downloads).

Readiness and checks, the same on every system (uniforge, Linux VM, host):

- sqlite3, lua5.4, python3 ("cli"): the program's first output line is the
  marker APP-READY (its first statement prints it); its check is the rest
  of its output, byte-identical to Debian's binary's on the host given the
  same arguments (each argument set does real work: a 10k-row table with
  an index and aggregates; a sorted 20k-string table and coroutines; json,
  re, hashlib, datetime and collections);
- nginx ("http"): ready at the first complete HTTP answer through the
  forwarded port; its check: GET / returns nginx's own html/index.html;
- redis ("redis"): ready at the first +PONG through the forwarded port;
  its check: SET/GET of a 1 KiB value and an INCR.
"""
from __future__ import annotations

from dataclasses import dataclass, field

READY = "APP-READY"

SQLITE_WORK = (
    "create table t(a integer primary key, b text, c real);"
    " with recursive n(x) as (select 1 union all select x+1 from n where x<10000)"
    " insert into t select x, hex(x*7919), x/3.0 from n;"
    " create index tb on t(b);"
    " create view v as select a % 7 as k, count(*) as n, sum(c) as s from t group by k;"
    " select count(*), sum(a), round(avg(c), 3), max(b) from t;"
    " select k, n, round(s, 2) from v order by k;"
    " select b from t where b like 'A%' order by b limit 3;"
)

LUA_WORK = (
    "local t = {} for i = 1, 20000 do t[i] = string.format('%06d', (i * 7919) % 100003) end "
    "table.sort(t) local s = 0 for _, v in ipairs(t) do s = s + tonumber(v) end "
    "print(#t, s, t[1], t[#t]) "
    "local co = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i * i) end end) "
    "print(co(), co(), co()) "
    "print(('x'):rep(3, ','), math.floor(2^40 / 3), string.format('%.3f', math.pi))"
)

# One line: it travels on kernel command lines (no newline, no double quote).
PYTHON_WORK = (
    "print('APP-READY', flush=True); "
    "import collections, datetime, hashlib, json, re; "
    "d = {'n': list(range(10)), 's': 'uniforge'}; "
    "print(json.dumps(d, sort_keys=True)); "
    "print(re.findall('[aeiou]', d['s'])); "
    "print(hashlib.sha256(json.dumps(d).encode()).hexdigest()); "
    "print(datetime.date(2024, 2, 28) + datetime.timedelta(days=2)); "
    "print(collections.Counter('mississippi').most_common(2)); "
    "print(sum(i * i for i in range(100000)))"
)


@dataclass(frozen=True)
class AppSpec:
    name: str                 # folder under apps/
    kind: str                 # "cli" | "http" | "redis"
    # argv[1:] of a "cli" app, the same on every system; servers: () (ours
    # runs the app's manifest cmd, the baselines app_debian.server_argv's
    # config, which says the same)
    args: tuple[str, ...]
    packages: tuple[str, ...]  # Debian binary packages holding the baseline
    binary: str               # the program's path in them (and in the Linux VM)
    guest_port: int | None = None
    # Unikraft's published figures (the seed paper): image bytes (low, high),
    # memory MiB, throughput as a multiple of a Linux VM's
    uk_image: tuple[int, int] | None = None
    uk_memory_mb: float | None = None
    uk_speedup: float | None = None
    aim_speedup: float | None = None       # issue 10's aim: ours / the Linux VM's
    extra_links: dict[str, str] = field(default_factory=dict)   # path -> target in the Linux VM
    files: dict[str, bytes] = field(default_factory=dict)       # path -> content, added to the Linux VM
    # the check compares only the first line after the marker and the last
    # line (output_matches' ``frame``): the lines between differ by system
    # (busybox's `ls /`, the machine's hostname)
    frame_check: bool = False


KB, MB = 1000, 1000 * 1000
APPS: dict[str, AppSpec] = {s.name: s for s in (
    AppSpec("sqlite3", "cli", (":memory:", f"select '{READY}';", SQLITE_WORK),
            ("sqlite3", "libsqlite3-0"), "usr/bin/sqlite3",
            uk_image=(int(1.59 * MB), int(1.59 * MB)), uk_memory_mb=4),
    AppSpec("lua5.4", "cli", ("-e", f"print('{READY}')", "-e", LUA_WORK),
            ("lua5.4", "liblua5.4-0"), "usr/bin/lua5.4"),
    AppSpec("nginx", "http", (), ("nginx",), "usr/sbin/nginx", guest_port=80,
            uk_image=(853 * KB, int(1.25 * MB)), uk_memory_mb=5, uk_speedup=2.8, aim_speedup=3.0),
    AppSpec("redis", "redis", (),
            ("redis-server", "redis-tools"), "usr/bin/redis-server", guest_port=6379,
            uk_image=(int(1.11 * MB), int(1.44 * MB)), uk_memory_mb=7, uk_speedup=1.7, aim_speedup=2.0,
            extra_links={"usr/bin/redis-server": "redis-check-rdb"}),
    AppSpec("python3", "cli", ("-c", PYTHON_WORK),
            ("python3.11-minimal", "libpython3.11-minimal", "libpython3.11-stdlib"), "usr/bin/python3.11"),
)}


def after_marker(console: str, marker: str = READY) -> str | None:
    """The console text after the first line that starts with ``marker``
    (\\r\\n read as \\n); None when no line does."""
    text = console.replace("\r\n", "\n")
    at = 0
    while True:
        i = text.find(marker, at)
        if i < 0:
            return None
        if i == 0 or text[i - 1] == "\n":
            nl = text.find("\n", i)
            return "" if nl < 0 else text[nl + 1:]
        at = i + 1


def output_matches(console: str, expected: str, marker: str = READY, frame: bool = False) -> bool:
    """True when the console, after the marker line, starts with exactly
    ``expected`` (the host binary's output after its own marker line):
    what follows it (the Linux VM's init's exit line, a guest's shutdown
    message) is not the program's. With ``frame``, only expected's first
    and last lines count: the first line after the marker is its first,
    and a later line is its last."""
    rest = after_marker(console, marker)
    if rest is None:
        return False
    expected = expected.replace("\r\n", "\n")
    if not frame:
        return rest.startswith(expected)
    want, got = expected.splitlines(), rest.splitlines()
    if not want or not got or got[0] != want[0]:
        return False
    return len(want) == 1 or want[-1] in got[1:]
