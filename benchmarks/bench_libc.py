"""musl vs nolibc: hello's image size (stripped, as `uniforge build` makes
it) and boot time on each C library, on the same target, in the same run.

hello is apps/helloworld (one printf) as it is (nolibc, the default) and
with `libraries: [musl]` plus the syscall libraries its printf and exit
reach. Until posix-fdtab, posix-process, posix-thread and posix-signal are
in the tree, the musl build uses a copy of os/ with stand-ins for the
missing ones (tests/fixtures/musl-standins; the row says which) — they
are a few lines each, so the size is musl's and the layer's, not theirs.

Boot time: the guest's own (UK-BOOT-TIME: first instruction to main; with
musl, to the hand-over to __libc_start_main) and the wall time from
starting QEMU to the hello line, medians of `runs` boots, musl and nolibc
alternating so the host's load hits both alike. Aim (issue 8): hello on
musl at most 64 KiB stripped; `errors()` reports a row over it.

    measure(targets, runs, base) -> {"runs", "rows": [{target, libc, image_bytes, boot_us, to_line_ms, ...}]}
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchlines import median
from common import REPO_DIR, BaselineError, log
from programs import build_app, run_app

sys.path.insert(0, str(REPO_DIR / "tests" / "fixtures" / "musl-standins"))
import standins  # noqa: E402

HELLO = REPO_DIR / "apps" / "helloworld"
HELLO_LINE = "Hello from uniforge!"
AIM_BYTES = 64 * 1024
MUSL_LIBS = ["musl"]        # it implies the syscall libraries (os/lib/musl/Config.uk)


def _with_os(os_tree: Path | None, fn):
    """fn() with UNIFORGE_OS set to os_tree (None: the repository's)."""
    old = os.environ.get("UNIFORGE_OS")
    if os_tree is not None:
        os.environ["UNIFORGE_OS"] = str(os_tree)
    try:
        return fn()
    finally:
        if old is None:
            os.environ.pop("UNIFORGE_OS", None)
        else:
            os.environ["UNIFORGE_OS"] = old


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
        stand_ins = standins.missing(REPO_DIR)
        os_tree = standins.make_standin_os(REPO_DIR, tmp) if stand_ins else None
        apps = {"nolibc": (HELLO, None), "musl": (musl_hello(tmp), os_tree)}
        for target in targets:
            built, boots = {}, {}
            for libc, (app, tree) in apps.items():
                try:
                    built[libc] = [_with_os(tree, lambda a=app, s=sets, t=target: build_app(a, t, s))
                                   for sets in ([], ["CONFIG_UKBOOT_SHOW_BOOTTIME=y"])]
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
                if libc == "musl" and stand_ins:
                    row["stand_ins"] = stand_ins
                rows.append(row)
    return {"runs": runs, "aim_bytes": AIM_BYTES, "rows": rows}


def tables(result: dict) -> list:
    from rich import box
    from rich.table import Table

    t = Table(title=f"hello on musl vs nolibc (median of {result['runs']} boots)",
              caption="image: the stripped runnable image; boot: first instruction to main (nolibc) or to "
                      "musl's __libc_start_main; to line: QEMU start to the hello line; (!): over the "
                      f"{result['aim_bytes'] // 1024} KiB aim; *: with stand-ins for syscall libraries not "
                      "in the tree yet",
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
        star = " *" if r.get("stand_ins") else ""
        t.add_row(r["target"], r["libc"] + star, f"{r['image_bytes']} B{over}",
                  f"{r['boot_us']:.0f} µs" if r["boot_us"] is not None else "-",
                  f"{r['to_line_ms']:.0f} ms" if r["to_line_ms"] is not None else "-")
    return [t]


def errors(result: dict) -> list[str]:
    out = [f"libc {r['target']} {r['libc']}: {r['error']}" for r in result["rows"] if r["error"]]
    out += [f"libc {r['target']} musl: hello is {r['image_bytes']} B stripped, over the "
            f"{result['aim_bytes']} B aim" for r in result["rows"]
            if not r["error"] and r["libc"] == "musl" and r["image_bytes"] > result["aim_bytes"]]
    return out
