"""Boot time per scheduler: the guest's own boot time (first instruction to
main, the UK-BOOT-TIME line of CONFIG_UKBOOT_SHOW_BOOTTIME) of hello built
with no scheduler, the cooperative one and the preemptive one, with the
image size of each, so the cost a scheduler adds is visible.

Each figure is the median of the boots; the fastest is kept too. Under TCG
on a loaded host a boot's time moves with the time QEMU waits for a CPU, and
either statistic alone has its outliers (a 3-boot median; one unusually
fast boot), so a regression is flagged only when both say so.

"none" must not regress by more than 10 %: it is compared with the
previous figure in benchmarks/results/ (the last schedboot.json, else the
hello boot time of bench.json), when there is one, and, in the same run,
with hello built from the OS tree of a base revision (`main`, exported with
boot_ab.py's export_os, built by this tool with UNIFORGE_OS pointing at it)
and booted with the same QEMU command line. All variants boot round-robin (none, coop,
preempt, base, none, ...) so the host's load hits each alike. Reported, not
asserted: under TCG the figure moves with the host's load.

    boot_ns_of(console)            -> the UK-BOOT-TIME value, or None
    regression(now_us, before_us)  -> fractional change (+0.05: 5 % slower)
    measure(targets, runs, base)   -> {"rows": [...], "base": rev}
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import boot_ab
from benchlines import median
from common import REPO_DIR, RESULTS_DIR, BaselineError, log
from programs import build_app, run_app
from bench_threads import SCHEDULERS

HELLO = REPO_DIR / "apps" / "helloworld"
HELLO_LINE = "Hello from uniforge!"
VARIANTS = {"none": [], **SCHEDULERS}
REGRESSION_LIMIT = 0.10
_BOOT = re.compile(r"^UK-BOOT-TIME ns=(\d+)", re.M)


def boot_ns_of(console: str) -> int | None:
    m = _BOOT.search(console)
    return int(m.group(1)) if m else None


def regression(now_us: float | None, before_us: float | None) -> float | None:
    if not now_us or not before_us:
        return None
    return now_us / before_us - 1.0


def regressed(median_change: float | None, fastest_change: float | None) -> bool:
    """Over the limit by the median and by the fastest boot (a missing
    fastest figure, as in an old result file, defers to the median)."""
    if median_change is None:
        return False
    return median_change > REGRESSION_LIMIT and (fastest_change is None or fastest_change > REGRESSION_LIMIT)


def previous_none_us(results_dir: Path = RESULTS_DIR) -> dict[str, dict]:
    """{target: {"us": median, "from": file}} of the last measurement of hello
    without a scheduler found in ``results_dir``."""
    out: dict[str, dict] = {}
    bench = results_dir / "bench.json"
    if bench.exists():
        for target, row in json.loads(bench.read_text()).get("uniforge", {}).items():
            if isinstance(row, dict) and row.get("guest_boot_us"):
                out[target] = {"us": row["guest_boot_us"], "min_us": row.get("guest_boot_min_us"),
                               "from": bench.name}
    sb = results_dir / "schedboot.json"
    if sb.exists():
        for r in json.loads(sb.read_text()).get("rows", []):
            if r.get("scheduler") == "none" and r.get("boot_us"):
                out[r["target"]] = {"us": r["boot_us"], "min_us": r.get("boot_min_us"), "from": sb.name}
    return out


def _row(target: str, sched: str, boots: list[int | None], image_bytes: int | None) -> dict:
    ok = [b for b in boots if b is not None]
    if not ok:
        return {"target": target, "scheduler": sched, "error": "no UK-BOOT-TIME line in any boot"}
    return {"target": target, "scheduler": sched, "boot_us": median([b / 1000 for b in ok]),
            "boot_min_us": min(ok) / 1000, "runs": len(boots), "ok_runs": len(ok), "image_bytes": image_bytes,
            "error": None}


def build_with_os(app: Path, target: str, sets: list[str], os_tree: Path):
    """build_app with the OS tree ``os_tree`` instead of the repository's."""
    old = os.environ.get("UNIFORGE_OS")
    os.environ["UNIFORGE_OS"] = str(os_tree)
    try:
        return build_app(app, target, sets)
    finally:
        if old is None:
            del os.environ["UNIFORGE_OS"]
        else:
            os.environ["UNIFORGE_OS"] = old


def measure(targets: list[str], runs: int = 10, base: str | None = "main") -> dict:
    previous = previous_none_us()
    rows = []
    with tempfile.TemporaryDirectory(prefix="schedboot-") as tmp:
        base_os = None
        if base:
            try:
                base_os = boot_ab.export_os(base, Path(tmp))
            except Exception as e:                       # noqa: BLE001 — no such revision: report, go on
                log(f"schedboot: cannot export os/ of {base!r}: {e}")
        for target in targets:
            variants, boots, failed = {}, {}, []
            for sched, sets in VARIANTS.items():
                try:
                    variants[sched] = build_app(HELLO, target, ["CONFIG_UKBOOT_SHOW_BOOTTIME=y", *sets])
                    boots[sched] = []
                except BaselineError as e:
                    failed.append({"target": target, "scheduler": sched, "error": str(e).splitlines()[0][:300]})
            if base_os is not None:
                base_app = Path(tmp) / f"hello-{target.replace('/', '-')}"
                shutil.copytree(HELLO, base_app, ignore=shutil.ignore_patterns(".uniforge"))
                try:
                    variants[f"none@{base}"] = build_with_os(base_app, target, ["CONFIG_UKBOOT_SHOW_BOOTTIME=y"],
                                                             base_os)
                    boots[f"none@{base}"] = []
                except BaselineError as e:
                    failed.append({"target": target, "scheduler": f"none@{base}",
                                   "error": str(e).splitlines()[0][:300]})
            log(f"schedboot: hello on {target}, {runs} rounds of {', '.join(boots)}")
            for _ in range(runs):
                for sched, (p, res) in variants.items():
                    boots[sched].append(boot_ns_of(run_app(p, res, [], timeout=60, marker=HELLO_LINE)["console"]))
            for sched, bs in boots.items():
                size = variants[sched][1].image.stat().st_size if sched in variants else None
                row = _row(target, sched, bs, size)
                if sched == "none" and not row["error"]:
                    if target in previous:
                        row["previous_us"] = previous[target]["us"]
                        row["previous_from"] = previous[target]["from"]
                        row["regression"] = regression(row["boot_us"], previous[target]["us"])
                        row["regression_fastest"] = regression(row["boot_min_us"], previous[target]["min_us"])
                        row["regressed"] = regressed(row["regression"], row["regression_fastest"])
                    same_run = f"none@{base}"
                    if same_run in boots and any(b is not None for b in boots[same_run]):
                        ok = [b / 1000 for b in boots[same_run] if b is not None]
                        row["base_rev"], row["base_us"], row["base_min_us"] = base, median(ok), min(ok)
                        row["vs_base"] = regression(row["boot_us"], row["base_us"])
                        row["vs_base_fastest"] = regression(row["boot_min_us"], row["base_min_us"])
                        row["regressed_vs_base"] = regressed(row["vs_base"], row["vs_base_fastest"])
                rows.append(row)
            rows += failed
    return {"runs": runs, "base": base, "rows": rows}


def tables(result: dict) -> list:
    from rich import box
    from rich.table import Table

    rev = result.get("base") or "-"
    t = Table(title=f"hello: guest boot to main per scheduler (median of {result['runs']})",
              caption="vs none: the boot time a scheduler adds; none@REV: hello from REV's OS tree, "
                      "booted in the same rounds; before: none against the previous result in "
                      "benchmarks/results; (!): over +10 % by the median and by the fastest boot",
              box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True, title_justify="left", caption_justify="left")
    for col, just in (("target", "left"), ("scheduler", "left"), ("boot", "right"), ("vs none", "right"),
                      ("image", "right"), (f"vs {rev}", "right"), ("before", "right")):
        t.add_column(col, justify=just, no_wrap=True)
    none = {r["target"]: r for r in result["rows"] if r["scheduler"] == "none" and not r["error"]}
    for r in result["rows"]:
        if r["error"]:
            t.add_row(r["target"], r["scheduler"], "failed", "-", "-", "-", "-")
            continue
        base = none.get(r["target"])
        ours = r["scheduler"] in VARIANTS and r["scheduler"] != "none"
        added = f"{r['boot_us'] - base['boot_us']:+.0f} µs" if base and ours else "-"

        def pct(key: str, flag: str, r=r) -> str:
            if r.get(key) is None:
                return "-"
            return f"{r[key] * 100:+.1f} %" + (" (!)" if r[flag] else "")
        size = f"{r['image_bytes']} B" if r.get("image_bytes") else "-"
        t.add_row(r["target"], r["scheduler"], f"{r['boot_us']:.0f} µs", added, size,
                  pct("vs_base", "regressed_vs_base"), pct("regression", "regressed"))
    return [t]


def errors(result: dict) -> list[str]:
    out = [f"schedboot {r['target']} {r['scheduler']}: {r['error']}" for r in result["rows"] if r["error"]]
    out += [f"schedboot {r['target']} none: boot {r['regression'] * 100:+.1f} % vs {r['previous_from']} "
            f"(limit +{REGRESSION_LIMIT * 100:.0f} %)" for r in result["rows"] if r.get("regressed")]
    out += [f"schedboot {r['target']} none: boot {r['vs_base'] * 100:+.1f} % vs {r['base_rev']} in the same run "
            f"(limit +{REGRESSION_LIMIT * 100:.0f} %)" for r in result["rows"] if r.get("regressed_vs_base")]
    return out
