"""The report half of benchmarks/binary.py: issue 11's aims judged from the
measured numbers, the tables (rich, readable at 80 columns), the list of
what could not be measured, and the figure (benchmarks/results/binary.png).

    aims(result)              -> [{"aim", "short", "binary", "where", "mode", "measured", "target", "met"}]
    tables(result)            -> [rich Table]
    errors(result)            -> ["what could not be measured: why"]
    plot_rows(result)         -> {"boot"|"memory": [(binary, binary, spec., source, Linux VM)]}
    plot(result, out)         -> the PNG written

An aim is met (True) or not (False) only from measured numbers; None when
what it needs was not measured (binary mode not available, a failed run,
a memory bound that cannot decide), and the row says so.
"""
from __future__ import annotations

from pathlib import Path

import report_cells as rc

WRK = "GET /"           # wrk's test name
BIN, SPEC, SRC, VM, HOST = "binary", "binary spec.", "from source", "Linux VM", "Linux host"
MODES = (BIN, SPEC)
AIM_BOOT_X = 10.0       # boot to ready at least 10x faster than the Linux VM
AIM_MEM_X = 4           # in at most 1/4 of its memory
AIM_THROUGHPUT = 0.9    # throughput within 10% of the from-source build


def memory_aim(ours: dict, vm: dict) -> dict:
    """The memory aim for one of our rows against the Linux VM's row:
    ours <= VM / AIM_MEM_X. From the VM's searched smallest memory, or
    from its probes at AIM_MEM_X * ours - 1 MiB (failing there means it
    needs at least AIM_MEM_X times ours). Returns {measured, met, note}."""
    m, exact = rc.mem(ours)
    if m is None:
        return {"measured": None, "met": None, "note": "ours not measured"}
    v, v_exact = rc.mem(vm)
    if v is not None:
        x = v / m
        if x >= AIM_MEM_X:
            met = True if v_exact else None          # the VM's true figure could be lower
        else:
            met = False if exact else None           # ours could be lower
        return {"measured": x, "met": met, "note": f"{v}{'' if v_exact else '≤'} vs {m}{'' if exact else '≤'} MiB"}
    probe = next((p for p in vm.get("memory_probes") or [] if p["mem_mb"] == AIM_MEM_X * m - 1), None)
    if probe is None:
        return {"measured": None, "met": None, "note": "the Linux VM's memory not measured"}
    if not probe["ok"]:
        return {"measured": None, "met": True, "note": f"VM fails at {probe['mem_mb']} MiB"}
    return {"measured": None, "met": False if exact else None, "note": f"VM passes at {probe['mem_mb']} MiB"}


def aims(result: dict) -> list[dict]:
    out = []
    mem_target = result.get("mem_target", result["targets"][0])
    for name, b in result["binaries"].items():
        for where in result["targets"]:
            vm, src = rc.row(b, VM, where), rc.row(b, SRC, where)
            for mode in MODES:
                ours = rc.row(b, mode, where)
                x = vm["ready_s"] / ours["ready_s"] if ours.get("ready_s") and vm.get("ready_s") else None
                out.append({"aim": f"boot to ready {AIM_BOOT_X:g}x faster than the Linux VM", "short": "boot ×VM",
                            "binary": name, "where": where, "mode": mode, "measured": x, "target": AIM_BOOT_X,
                            "met": rc.verdict(x, AIM_BOOT_X)})
                if where == mem_target:
                    m = memory_aim(ours, vm)
                    out.append({"aim": f"at most 1/{AIM_MEM_X} of the Linux VM's memory", "short": "VM mem ÷",
                                "binary": name, "where": where, "mode": mode, "target": AIM_MEM_X, **m})
                if b["kind"] == "cli":
                    continue
                for test, x in rc.ratios(rc.rps(ours, WRK), rc.rps(src, WRK)):
                    out.append({"aim": f"throughput within {100 - AIM_THROUGHPUT * 100:.0f}% of the from-source "
                                       "build", "short": "÷source", "binary": name, "where": where, "mode": mode,
                                "test": test, "measured": x, "target": AIM_THROUGHPUT,
                                "met": rc.verdict(x, AIM_THROUGHPUT)})
    return out


def errors(result: dict) -> list[str]:
    return rc.errors(result, "binaries")


def tables(result: dict) -> list:
    first = result["targets"][0]
    mem_target = result.get("mem_target", first)
    tag = " (" + ", ".join((["quick run"] if result.get("quick") else [])
                           + (["loaded host"] if result.get("loaded_host") else [])) + ")" \
        if result.get("quick") or result.get("loaded_host") else ""
    boot = rc.table(f"Boot to ready{tag} (median of {result['boots']}; Linux VM {result.get('vm_boots')})",
                    ["binary", "on", "binary", "spec.", "source", "Linux VM", "host", "floor"],
                    "ready: the first output line, or the first answer through the forward; floor: the VMM's own "
                    "start-up (what is above it is the guest's)")
    mem = rc.table(f"Smallest memory passing the check{tag}, {mem_target}",
                   ["binary", "binary", "spec.", "source", "Linux VM", "host peak RSS"])
    thr = rc.table(f"Throughput{tag}: requests/s",
                   ["binary / test", "on", "binary", "spec.", "source", "Linux VM", "host", "÷source"],
                   f"wrk -t1 -c10 -d{result['wrk']['seconds']}s on nginx's page; redis-benchmark -c10 "
                   f"-n{result['redis_benchmark']['requests']}; ÷source: binary mode's (generic) / the from-source "
                   "build's")
    spec = rc.table(f"Generic vs specialised kernel{tag}, {first}",
                    ["binary", "image", "spec.", "boot", "spec.", "memory", "spec.", "syscalls"],
                    "image: the stripped kernel (the initrd holds the binary and its libraries); syscalls: "
                    "served by the generic -> the specialised kernel (what the binary needs: the JSON's "
                    f"syscalls_needed); memory on {mem_target}")
    for name, b in result["binaries"].items():
        host = rc.row(b, HOST, "host")
        for where in result["targets"]:
            cells = [rc.row(b, s, where) for s in (BIN, SPEC, SRC, VM)]
            fl = (result["floor"].get(where) or {}).get("time_to_line_s")
            boot.add_row(name, rc.where(where), *(rc.status(r) or rc.ms(r.get("ready_s")) for r in cells),
                         (rc.status(host) or rc.ms(host.get("ready_s"))) if where == first else "", rc.ms(fl))
            if where != first:
                continue
            k = b.get("kernels", {}).get(where, {})
            g, s = k.get("generic") or {}, k.get("specialised") or {}
            m = [rc.row(b, sys_, mem_target) for sys_ in (BIN, SPEC)]
            # a kernel that did not build says so once, under its image
            spec.add_row(name, rc.status(cells[0]) or rc.kb(g.get("image_bytes")),
                         rc.status(cells[1]) or rc.kb(s.get("image_bytes")),
                         "-" if rc.status(cells[0]) else rc.ms(cells[0].get("ready_s")),
                         "-" if rc.status(cells[1]) else rc.ms(cells[1].get("ready_s")),
                         "-" if rc.status(m[0]) else rc.mib(m[0]), "-" if rc.status(m[1]) else rc.mib(m[1]),
                         f"{s['syscalls_generic']}→{s['syscalls_specialised']}" if "syscalls_generic" in s else "-")
        cells = [rc.row(b, s, mem_target) for s in (BIN, SPEC, SRC, VM)]
        vm_cell = rc.status(cells[3]) or rc.mib(cells[3])
        if vm_cell == "-" and cells[3].get("memory_probes"):
            p = max(cells[3]["memory_probes"], key=lambda p: p["mem_mb"])
            vm_cell = f"{'≤' if p['ok'] else '>'}{p['mem_mb']} MiB"
        mem.add_row(name, *(rc.status(r) or rc.mib(r) for r in cells[:3]), vm_cell,
                    "-" if not host.get("peak_rss_kib") else f"{host['peak_rss_kib'] / 1024:.1f} MiB")
        if b["kind"] == "cli":
            continue
        hr = rc.rps(host, WRK)
        for where in result["targets"]:
            cells = [rc.row(b, s, where) for s in (BIN, SPEC, SRC, VM)]
            rps = [rc.rps(r, WRK) for r in cells]
            for test in sorted(set().union(*rps, hr)):
                x = rps[0][test] / rps[2][test] if test in rps[0] and rps[2].get(test) else None
                thr.add_row(f"{name} {test}", rc.where(where),
                            *(rc.status(r) or (f"{v[test]:.0f}" if test in v else "-") for r, v in zip(cells, rps)),
                            f"{hr[test]:.0f}" if test in hr and where == first else "", rc.times(x, 2))
    am = rc.table(f"Issue 11's aims{tag}", ["aim", "binary", "on", "mode", "measured", "aim", "met"])
    for a in result.get("aims", []):
        m = a["measured"]
        shown = a.get("note") if m is None and a.get("note") else rc.times(m, 2)
        want = f"≥{a['target']:g}×"
        am.add_row(a["short"] + (f" {a['test']}" if a.get("test") else ""), a["binary"], rc.where(a["where"]),
                   "spec." if a["mode"] == SPEC else "gen.", shown, want, rc.met(a["met"]))
    return [boot, mem, *([thr] if thr.row_count else []), spec, am]     # no servers: no throughput table


def plot_rows(result: dict) -> dict[str, list[tuple]]:
    """Per panel, (binary, binary mode, specialised, from source, Linux VM)
    with None for what was not measured: boot to ready (ms, the first
    target), smallest memory (MiB, the memory target)."""
    first = result["targets"][0]
    mem_target = result.get("mem_target", first)
    out: dict[str, list[tuple]] = {"boot": [], "memory": []}
    for name, b in result["binaries"].items():
        out["boot"].append((name, *((r := rc.row(b, s, first)).get("ready_s") and r["ready_s"] * 1000
                                    for s in (BIN, SPEC, SRC, VM))))
        out["memory"].append((name, *(rc.mem(rc.row(b, s, mem_target))[0] for s in (BIN, SPEC, SRC, VM))))
    return out


PANELS = [("boot", "boot to ready, ms", True), ("memory", "smallest memory passing the check, MiB", True)]
SERIES = [("binary mode", "tab:green"), ("binary --specialize", "tab:olive"), ("from source", "tab:blue"),
          ("Linux VM", "tab:gray")]


def plot(result: dict, out: Path) -> Path:
    """Grouped bars per binary, a missing value left out and "not
    measured" written in its place."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    rows = plot_rows(result)
    w = 0.2
    fig, axes = plt.subplots(1, len(PANELS), figsize=(13, 4.2), squeeze=False)
    for ax, (key, title, log) in zip(axes[0], PANELS):
        data = rows[key]
        for i, (_name, *values) in enumerate(data):
            for j, ((_label, color), v) in enumerate(zip(SERIES, values)):
                x = i + (j - 1.5) * w
                if v is None:
                    ax.annotate("not\nmeasured", (x, 0), xycoords=("data", "axes fraction"), ha="center",
                                va="bottom", fontsize=5, color=color, rotation=90)
                    continue
                ax.bar(x, v, width=w, color=color)
                ax.annotate(f"{v:.0f}" if v >= 100 else f"{v:.3g}", (x, v), ha="center", va="bottom", fontsize=6)
        ax.set_xticks(range(len(data)), [d[0] for d in data], fontsize=8)
        ax.set_xlim(-0.5, len(data) - 0.5)
        ax.set_title(title, fontsize=9)
        if log:
            ax.set_yscale("log")
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
            ax.yaxis.set_minor_formatter(FuncFormatter(lambda v, _: f"{v:g}" if f"{v:g}"[0] in "25" else ""))
    fig.legend([Patch(color=c) for _, c in SERIES], [label for label, _ in SERIES], loc="upper right", ncol=4,
               fontsize=8)
    notes = (["quick run"] if result.get("quick") else []) + \
        ([f"loaded host (load {result['loadavg_start'][0]:g}): timings indicative only"]
         if result.get("loaded_host") else [])
    fig.suptitle("Debian 12's binaries" + (": " + ", ".join(notes) if notes else ""), fontsize=9, x=0.3)
    fig.tight_layout(rect=(0, 0, 1, 0.92))
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out
