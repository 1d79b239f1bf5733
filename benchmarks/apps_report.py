"""The report half of benchmarks/apps.py: the issue's aims judged from the
measured numbers, the tables (rich, readable at 80 columns), the list of
what could not be measured, and the rows benchmarks/plots.py draws.

    aims(result)       -> [{"aim", "app", "where", "measured", "target", "met": True|False|None}]
    tables(result)     -> [rich Table]
    errors(result)     -> ["what could not be measured: why"]
    plot_rows(result)  -> {"size"|"boot"|"memory": [(app, uniforge, Linux VM, Unikraft or None)]}

An aim is met (True) or not (False) only from a measured number; None
when what it needs was not measured (an app not built, a failed run),
and the row says so.
"""
from __future__ import annotations

from app_specs import APPS

AIM_BOOT_FLOOR_X = 2.0


def _row(app: dict, system: str, where: str) -> dict:
    return next((r for r in app["rows"] if r["system"] == system and r["where"] == where), {})


def _rps(row: dict) -> dict[str, float]:
    """{test name: requests/s} of a row's throughput."""
    t = row.get("throughput") or {}
    if "wrk" in t:
        return {"HTTP GET /": t["wrk"]["requests_per_s"]}
    out = {}
    for pl, r in (t.get("redis") or {}).items():
        for test, v in r["tests"].items():
            out[f"{test} -P{pl[1:]}" if pl != "P1" else test] = v["rps"]
    return out


def _mem(row: dict) -> int | None:
    return (row.get("min_memory") or {}).get("min_mem_mb")


def aims(result: dict) -> list[dict]:
    out = []
    first = result["targets"][0]
    for name, app in result["apps"].items():
        spec = APPS[name]
        ours = _row(app, "uniforge", first)
        size = (app["sizes"].get(first) or {}).get("image_bytes")
        if not (app["sizes"].get(first) or {}).get("lto", True):
            size = None                     # the aim is about the LTO image
        if spec.uk_image:
            out.append({"aim": "image smaller than Unikraft's", "short": "image < UK", "app": name, "where": first,
                        "measured": size, "target": spec.uk_image[0],
                        "met": None if size is None else size < spec.uk_image[0]})
        if spec.uk_memory_mb:
            # a search cut short by its budget gives an upper bound: enough
            # to say met, not to say not met
            m, exact = _mem(ours), (ours.get("min_memory") or {}).get("exact", True)
            met = None if m is None else m < spec.uk_memory_mb
            out.append({"aim": "less memory than Unikraft's", "short": "memory < UK", "app": name, "where": first,
                        "measured": m, "exact": exact, "target": spec.uk_memory_mb,
                        "met": met if met or exact else None})
        if spec.aim_speedup:
            for where in result["targets"]:
                mine, vm = _rps(_row(app, "uniforge", where)), _rps(_row(app, "Linux VM", where))
                for test in sorted(mine.keys() | vm.keys()) or ["throughput"]:
                    x = mine[test] / vm[test] if test in mine and vm.get(test) else None
                    out.append({"aim": f"{spec.aim_speedup:g}x the Linux VM's throughput", "short": "×VM",
                                "app": name,
                                "where": where, "test": test, "measured": x, "target": spec.aim_speedup,
                                "met": None if x is None else x >= spec.aim_speedup})
        for where in result["targets"]:
            ready = _row(app, "uniforge", where).get("ready_s")
            floor = (result["floor"].get(where) or {}).get("time_to_line_s")
            x = ready / floor if ready and floor else None
            out.append({"aim": f"boot to ready within {AIM_BOOT_FLOOR_X:g}x the VMM floor", "short": "boot ÷ floor",
                        "app": name,
                        "where": where, "measured": x, "target": AIM_BOOT_FLOOR_X,
                        "met": None if x is None else x <= AIM_BOOT_FLOOR_X})
    return out


def errors(result: dict) -> list[str]:
    out = []
    for name, app in result["apps"].items():
        if app.get("reference_error"):
            out.append(f"apps {name} reference: {app['reference_error']}")
        for r in app["rows"]:
            for k, what in (("error", ""), ("check_error", " check"), ("throughput_error", " throughput")):
                if r.get(k):
                    out.append(f"apps {name} {r['system']} {r['where']}{what}: {r[k]}")
            mm = r.get("min_memory")
            if mm and mm.get("min_mem_mb") is None:
                out.append(f"apps {name} {r['system']} {r['where']} memory: {mm.get('note')}")
    for target, fl in result["floor"].items():
        if fl.get("error"):
            out.append(f"apps VMM floor {target}: {fl['error']}")
    return out


SHORT = {"qemu/x86_64": "pc", "microvm/x86_64": "microvm", "host": "host"}


def _w(where: str) -> str:
    return SHORT.get(where, where)


def _kb(n: int | None) -> str:
    return "-" if n is None else f"{n / 1000:.0f} kB" if n < 10**6 else f"{n / 1e6:.2f} MB"


def _ms(s: float | None) -> str:
    return "-" if s is None else f"{s * 1000:.0f} ms" if s < 10 else f"{s:.1f} s"


def _mib(r: dict) -> str:
    """The smallest memory of a row, "≤" when the search ran out of time."""
    m = _mem(r)
    if m is None:
        return "-"
    return f"{'' if (r.get('min_memory') or {}).get('exact', True) else '≤'}{m} MiB"


def _status(r: dict) -> str | None:
    """What stands in a row's cells when there is no number."""
    if not r:
        return "-"
    if r.get("status") == "not built":
        return "not built"
    if r.get("status") == "failed":
        return "failed"
    return None


def tables(result: dict) -> list:
    from rich import box
    from rich.table import Table

    def table(title, cols, caption=None):
        t = Table(title=title, caption=caption, box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True,
                  title_justify="left", caption_justify="left")
        for i, c in enumerate(cols):
            t.add_column(c, justify="left" if i < 2 else "right", no_wrap=True)
        return t

    first = result["targets"][0]
    tag = " (quick run)" if result.get("quick") else ""
    size = table(f"Image size{tag}: stripped, --gc-sections, {first}",
                 ["app", "LTO", "no LTO", "largest library", "Unikraft", "Linux VM"],
                 "largest library: text+data+bss of the build without LTO (under LTO most code is the "
                 "link's own objects); Linux VM: its initramfs (Debian's binary and libraries), plus the "
                 f"Debian kernel ({_kb(result.get('linux_kernel_bytes'))})")
    boot = table(f"Boot to ready{tag} (median of {result['boots']})",
                 ["app", "on", "ours", "Linux VM", "host", "VMM floor", "÷floor"],
                 "ready: the first output line, or the first answer through the forward")
    mem = table(f"Smallest memory passing the app's check{tag}, {first}",
                ["app", "ours", "Linux VM", "Unikraft", "host peak RSS"])
    thr = table(f"Throughput{tag}: requests/s", ["app / test", "on", "ours", "Linux VM", "host", "×VM", "UK", "aim"],
                f"wrk -t1 -c10 -d{result['wrk']['seconds']}s on nginx's page; redis-benchmark -c10 "
                f"-n{result['redis_benchmark']['requests']}; ×VM: ours / the Linux VM's; UK: Unikraft's "
                "published ×")
    for name, app in result["apps"].items():
        spec = APPS[name]
        ours = _row(app, "uniforge", first)
        vm = _row(app, "Linux VM", first)
        host = _row(app, "Linux host", "host")
        s = app["sizes"].get(first)
        uk = "-" if not spec.uk_image else _kb(spec.uk_image[0]) if spec.uk_image[0] == spec.uk_image[1] else \
            f"{_kb(spec.uk_image[0])}-{_kb(spec.uk_image[1])}"
        if s:
            plain = s.get("without_lto") or {}
            libs = [lib for lib in plain.get("libraries") or s["libraries"] if not lib["name"].startswith("(")]
            big = max(libs, key=lambda lib: lib["total"], default=None)
            size.add_row(name, _kb(s["image_bytes"]) if s["lto"] else "failed",
                         _kb(plain.get("image_bytes") or (None if s["lto"] else s["image_bytes"])),
                         f"{big['name']} {_kb(big['total'])}" if big else "-", uk, _kb(vm.get("initramfs_bytes")))
        else:
            size.add_row(name, _status(ours) or "-", "-", "-", uk, _kb(vm.get("initramfs_bytes")))
        for where in result["targets"]:
            o, v = _row(app, "uniforge", where), _row(app, "Linux VM", where)
            fl = (result["floor"].get(where) or {}).get("time_to_line_s")
            boot.add_row(name, _w(where), _status(o) or _ms(o.get("ready_s")), _status(v) or _ms(v.get("ready_s")),
                         (_status(host) or _ms(host.get("ready_s"))) if where == first else "",
                         _ms(fl), f"{o['ready_s'] / fl:.1f}x" if o.get("ready_s") and fl else "-")
        mem.add_row(name, _status(ours) or _mib(ours), _status(vm) or _mib(vm),
                    "-" if spec.uk_memory_mb is None else f"{spec.uk_memory_mb:g} MB",
                    "-" if not host.get("peak_rss_kib") else f"{host['peak_rss_kib'] / 1024:.1f} MiB")
        if spec.kind == "cli":
            continue
        hr = _rps(host)
        for where in result["targets"]:
            o, v = _row(app, "uniforge", where), _row(app, "Linux VM", where)
            orps, vrps = _rps(o), _rps(v)
            for test in sorted(orps.keys() | vrps.keys() | hr.keys()):
                x = orps[test] / vrps[test] if test in orps and vrps.get(test) else None
                thr.add_row(f"{name} {test.replace('HTTP GET /', 'GET')}", _w(where),
                            _status(o) or (f"{orps[test]:.0f}" if test in orps else "-"),
                            _status(v) or (f"{vrps[test]:.0f}" if test in vrps else "-"),
                            f"{hr[test]:.0f}" if test in hr and where == first else "",
                            "-" if x is None else f"{x:.2f}×", f"{spec.uk_speedup:g}×", f"≥{spec.aim_speedup:g}×")
    am = table(f"Issue 10's aims{tag}", ["aim", "app", "on", "measured", "aim", "met"])
    for a in result.get("aims", []):
        m = a["measured"]
        shown = "-" if m is None else _kb(m) if "image" in a["aim"] else \
            f"{'' if a.get('exact', True) else '≤'}{m} MiB" if "memory" in a["aim"] \
            else f"{m:.2f}×"
        want = f"<{_kb(a['target'])}" if "image" in a["aim"] else f"<{a['target']:g} MB" if "memory" in a["aim"] \
            else f"≥{a['target']:g}×" if "throughput" in a["aim"] else f"≤{a['target']:g}×"
        am.add_row(a["short"] + (f" {a['test'].replace('HTTP GET /', 'GET')}" if a.get("test") else ""), a["app"],
                   _w(a["where"]), shown, want, "-" if a["met"] is None else "met" if a["met"] else "NOT met")
    return [size, boot, mem, thr, am]


def plot_rows(result: dict) -> dict[str, list[tuple]]:
    """Per panel, (app, uniforge, Linux VM, Unikraft or None) with None
    for what was not measured: image size (MB; the Linux VM: kernel +
    initramfs), boot to ready (ms), smallest memory (MiB)."""
    first = result["targets"][0]
    kernel = result.get("linux_kernel_bytes")
    out: dict[str, list[tuple]] = {"size": [], "boot": [], "memory": []}
    for name, app in result["apps"].items():
        spec = APPS[name]
        ours, vm = _row(app, "uniforge", first), _row(app, "Linux VM", first)
        s = (app["sizes"].get(first) or {}).get("image_bytes")
        vs = vm.get("initramfs_bytes")
        out["size"].append((name, s and s / 1e6, (vs + kernel) / 1e6 if vs and kernel else None,
                            spec.uk_image and spec.uk_image[0] / 1e6))
        out["boot"].append((name, ours.get("ready_s") and ours["ready_s"] * 1000,
                            vm.get("ready_s") and vm["ready_s"] * 1000, None))
        out["memory"].append((name, _mem(ours), _mem(vm), spec.uk_memory_mb))
    return out
