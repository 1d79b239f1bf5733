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

import report_cells as rc
from app_specs import APPS

WRK = "HTTP GET /"       # wrk's test name in the aims and the JSON

AIM_BOOT_FLOOR_X = 2.0


def aims(result: dict) -> list[dict]:
    out = []
    first = result["targets"][0]
    for name, app in result["apps"].items():
        spec = APPS[name]
        ours = rc.row(app, "uniforge", first)
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
            m, exact = rc.mem(ours)
            met = None if m is None else m < spec.uk_memory_mb
            out.append({"aim": "less memory than Unikraft's", "short": "memory < UK", "app": name, "where": first,
                        "measured": m, "exact": exact, "target": spec.uk_memory_mb,
                        "met": met if met or exact else None})
        if spec.aim_speedup:
            for where in result["targets"]:
                mine, vm = rc.rps(rc.row(app, "uniforge", where), WRK), rc.rps(rc.row(app, "Linux VM", where), WRK)
                for test, x in rc.ratios(mine, vm):
                    out.append({"aim": f"{spec.aim_speedup:g}x the Linux VM's throughput", "short": "×VM",
                                "app": name, "where": where, "test": test, "measured": x,
                                "target": spec.aim_speedup, "met": rc.verdict(x, spec.aim_speedup)})
        for where in result["targets"]:
            ready = rc.row(app, "uniforge", where).get("ready_s")
            floor = (result["floor"].get(where) or {}).get("time_to_line_s")
            x = ready / floor if ready and floor else None
            out.append({"aim": f"boot to ready within {AIM_BOOT_FLOOR_X:g}x the VMM floor", "short": "boot ÷ floor",
                        "app": name,
                        "where": where, "measured": x, "target": AIM_BOOT_FLOOR_X,
                        "met": rc.verdict(x, AIM_BOOT_FLOOR_X, at_most=True)})
    return out


def errors(result: dict) -> list[str]:
    return rc.errors(result, "apps")


def tables(result: dict) -> list:
    first = result["targets"][0]
    tag = " (quick run)" if result.get("quick") else ""
    size = rc.table(f"Image size{tag}: stripped, --gc-sections, {first}",
                    ["app", "LTO", "no LTO", "largest library", "Unikraft", "Linux VM"],
                    "largest library: text+data+bss of the build without LTO (under LTO most code is the "
                    "link's own objects); Linux VM: its initramfs (Debian's binary and libraries), plus the "
                    f"Debian kernel ({rc.kb(result.get('linux_kernel_bytes'))})")
    boot = rc.table(f"Boot to ready{tag} (median of {result['boots']})",
                    ["app", "on", "ours", "Linux VM", "host", "VMM floor", "÷floor"],
                    "ready: the first output line, or the first answer through the forward")
    mem = rc.table(f"Smallest memory passing the app's check{tag}, {first}",
                   ["app", "ours", "Linux VM", "Unikraft", "host peak RSS"])
    thr = rc.table(f"Throughput{tag}: requests/s",
                   ["app / test", "on", "ours", "Linux VM", "host", "×VM", "UK", "aim"],
                   f"wrk -t1 -c10 -d{result['wrk']['seconds']}s on nginx's page; redis-benchmark -c10 "
                   f"-n{result['redis_benchmark']['requests']}; ×VM: ours / the Linux VM's; UK: Unikraft's "
                   "published ×")
    for name, app in result["apps"].items():
        spec = APPS[name]
        ours = rc.row(app, "uniforge", first)
        vm = rc.row(app, "Linux VM", first)
        host = rc.row(app, "Linux host", "host")
        s = app["sizes"].get(first)
        uk = "-" if not spec.uk_image else rc.kb(spec.uk_image[0]) if spec.uk_image[0] == spec.uk_image[1] else \
            f"{rc.kb(spec.uk_image[0])}-{rc.kb(spec.uk_image[1])}"
        if s:
            plain = s.get("without_lto") or {}
            libs = [lib for lib in plain.get("libraries") or s["libraries"] if not lib["name"].startswith("(")]
            big = max(libs, key=lambda lib: lib["total"], default=None)
            size.add_row(name, rc.kb(s["image_bytes"]) if s["lto"] else "failed",
                         rc.kb(plain.get("image_bytes") or (None if s["lto"] else s["image_bytes"])),
                         f"{big['name']} {rc.kb(big['total'])}" if big else "-", uk,
                         rc.kb(vm.get("initramfs_bytes")))
        else:
            size.add_row(name, rc.status(ours) or "-", "-", "-", uk, rc.kb(vm.get("initramfs_bytes")))
        for where in result["targets"]:
            o, v = rc.row(app, "uniforge", where), rc.row(app, "Linux VM", where)
            fl = (result["floor"].get(where) or {}).get("time_to_line_s")
            boot.add_row(name, rc.where(where), rc.status(o) or rc.ms(o.get("ready_s")),
                         rc.status(v) or rc.ms(v.get("ready_s")),
                         (rc.status(host) or rc.ms(host.get("ready_s"))) if where == first else "",
                         rc.ms(fl), f"{o['ready_s'] / fl:.1f}x" if o.get("ready_s") and fl else "-")
        mem.add_row(name, rc.status(ours) or rc.mib(ours), rc.status(vm) or rc.mib(vm),
                    "-" if spec.uk_memory_mb is None else f"{spec.uk_memory_mb:g} MB",
                    "-" if not host.get("peak_rss_kib") else f"{host['peak_rss_kib'] / 1024:.1f} MiB")
        if spec.kind == "cli":
            continue
        hr = rc.rps(host, WRK)
        for where in result["targets"]:
            o, v = rc.row(app, "uniforge", where), rc.row(app, "Linux VM", where)
            orps, vrps = rc.rps(o, WRK), rc.rps(v, WRK)
            for test in sorted(orps.keys() | vrps.keys() | hr.keys()):
                x = orps[test] / vrps[test] if test in orps and vrps.get(test) else None
                thr.add_row(f"{name} {test.replace('HTTP GET /', 'GET')}", rc.where(where),
                            rc.status(o) or (f"{orps[test]:.0f}" if test in orps else "-"),
                            rc.status(v) or (f"{vrps[test]:.0f}" if test in vrps else "-"),
                            f"{hr[test]:.0f}" if test in hr and where == first else "",
                            rc.times(x, 2), f"{spec.uk_speedup:g}×", f"≥{spec.aim_speedup:g}×")
    am = rc.table(f"Issue 10's aims{tag}", ["aim", "app", "on", "measured", "aim", "met"])
    for a in result.get("aims", []):
        m = a["measured"]
        shown = "-" if m is None else rc.kb(m) if "image" in a["aim"] else \
            f"{'' if a.get('exact', True) else '≤'}{m} MiB" if "memory" in a["aim"] \
            else f"{m:.2f}×"
        want = f"<{rc.kb(a['target'])}" if "image" in a["aim"] else f"<{a['target']:g} MB" if "memory" in a["aim"] \
            else f"≥{a['target']:g}×" if "throughput" in a["aim"] else f"≤{a['target']:g}×"
        am.add_row(a["short"] + (f" {a['test'].replace('HTTP GET /', 'GET')}" if a.get("test") else ""), a["app"],
                   rc.where(a["where"]), shown, want, rc.met(a["met"]))
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
        ours, vm = rc.row(app, "uniforge", first), rc.row(app, "Linux VM", first)
        s = (app["sizes"].get(first) or {}).get("image_bytes")
        vs = vm.get("initramfs_bytes")
        out["size"].append((name, s and s / 1e6, (vs + kernel) / 1e6 if vs and kernel else None,
                            spec.uk_image and spec.uk_image[0] / 1e6))
        out["boot"].append((name, ours.get("ready_s") and ours["ready_s"] * 1000,
                            vm.get("ready_s") and vm["ready_s"] * 1000, None))
        out["memory"].append((name, rc.mem(ours)[0], rc.mem(vm)[0], spec.uk_memory_mb))
    return out
