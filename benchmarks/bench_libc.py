"""musl vs nolibc: hello's image size (stripped, as `uniforge build` makes
it) and boot time on each C library, on the same target, in the same run.

hello is apps/helloworld (one printf) as it is (nolibc, the default) and
with `libraries: [musl]`, which brings the syscall libraries a C program
reaches (musl's Config.uk implies them: devfs and vfscore for the console
fds, posix-mmap, posix-process, posix-thread, posix-signal, posix-time,
ukrandom), so the musl row is what a real program on musl costs.

Boot time: the guest's own (UK-BOOT-TIME: first instruction to main; with
musl, to the hand-over to __libc_start_main) and the wall time from
starting QEMU to the hello line, medians of `runs` boots, musl and nolibc
alternating so the host's load hits both alike. Aim (issue 8): hello on
musl at most 64 KiB stripped; `errors()` reports a row over it.

    measure(targets, runs, base) -> {"runs", "rows": [{target, libc, image_bytes, boot_us, to_line_ms, ...}]}
"""
from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from benchlines import median
from common import REPO_DIR, BaselineError, log
from programs import build_app, run_app

HELLO = REPO_DIR / "apps" / "helloworld"
HELLO_LINE = "Hello from uniforge!"
AIM_BYTES = 64 * 1024
MUSL_LIBS = ["musl"]        # it implies the syscall libraries (os/lib/musl/Config.uk)


def musl_hello(dest: Path) -> Path:
    """apps/helloworld with `libraries: [musl, ...]`."""
    app = dest / "hellomusl"
    shutil.copytree(HELLO, app, ignore=shutil.ignore_patterns(".uniforge"))
    text = (app / "uniforge.yaml").read_text().replace("name: helloworld", "name: hellomusl")
    (app / "uniforge.yaml").write_text(text + f"libraries: [{', '.join(MUSL_LIBS)}]\n")
    return app


def measure(targets: list[str], runs: int = 10, base: str | None = None) -> dict:
    rows = []
    with tempfile.TemporaryDirectory(prefix="libc-") as tmp:
        tmp = Path(tmp)
        apps = {"nolibc": HELLO, "musl": musl_hello(tmp)}
        for target in targets:
            built, boots = {}, {}
            for libc, app in apps.items():
                try:
                    built[libc] = [build_app(app, target, sets) for sets in ([], ["CONFIG_UKBOOT_SHOW_BOOTTIME=y"])]
                    boots[libc] = []
                except BaselineError as e:
                    rows.append({"target": target, "libc": libc, "error": str(e).splitlines()[0][:300]})
            log(f"libc: hello on {target}, {runs} rounds of {', '.join(boots)}")
            for _ in range(runs):
                for libc, ((p, res), (pt, rest)) in built.items():
                    t0 = time.monotonic()
                    plain = run_app(p, res, [], timeout=60, marker=HELLO_LINE)
                    wall = (time.monotonic() - t0) * 1000
                    timed = run_app(pt, rest, [], timeout=60, marker=HELLO_LINE)["console"]
                    boots[libc].append((HELLO_LINE in plain["console"], wall, timed))
            for libc, bs in boots.items():
                res = built[libc][0][1]
                ok = [b for b in bs if b[0]]
                ns = [int(line.split("ns=")[1].split()[0]) for _, _, c in ok for line in c.splitlines()
                      if line.startswith("UK-BOOT-TIME ns=")]
                row = {"target": target, "libc": libc, "image_bytes": res.image.stat().st_size,
                       "runs": runs, "ok_runs": len(ok), "error": None if ok else "no hello line in any boot",
                       "boot_us": median([n / 1000 for n in ns]) if ns else None,
                       "to_line_ms": median([w for _, w, _ in ok]) if ok else None}
                rows.append(row)
    return {"runs": runs, "aim_bytes": AIM_BYTES, "rows": rows}


def tables(result: dict) -> list:
    from rich import box
    from rich.table import Table

    t = Table(title=f"hello on musl vs nolibc (median of {result['runs']} boots)",
              caption="image: the stripped runnable image; boot: first instruction to main (nolibc) or to "
                      "musl's __libc_start_main; to line: QEMU start to the hello line; (!): over the "
                      f"{result['aim_bytes'] // 1024} KiB aim",
              box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True, title_justify="left",
              caption_justify="left")
    for col, just in (("target", "left"), ("libc", "left"), ("image", "right"), ("boot", "right"),
                      ("to line", "right")):
        t.add_column(col, justify=just, no_wrap=True)
    for r in result["rows"]:
        if r["error"]:
            t.add_row(r["target"], r["libc"], "failed", "-", "-")
            continue
        over = " (!)" if r["libc"] == "musl" and r["image_bytes"] > result["aim_bytes"] else ""
        t.add_row(r["target"], r["libc"], f"{r['image_bytes']} B{over}",
                  f"{r['boot_us']:.0f} µs" if r["boot_us"] is not None else "-",
                  f"{r['to_line_ms']:.0f} ms" if r["to_line_ms"] is not None else "-")
    return [t]


def errors(result: dict) -> list[str]:
    out = [f"libc {r['target']} {r['libc']}: {r['error']}" for r in result["rows"] if r["error"]]
    out += [f"libc {r['target']} musl: hello is {r['image_bytes']} B stripped, over the "
            f"{result['aim_bytes']} B aim" for r in result["rows"]
            if not r["error"] and r["libc"] == "musl" and r["image_bytes"] > result["aim_bytes"]]
    return out
