"""Plots from benchmarks/results/*.json (matplotlib, the optional `bench`
extra: `pip install -e '.[bench]'`, which ./dev bench does):

- benchmarks/results/issue7.png: context switch (the semaphore ping-pong,
  the one that always switches), thread creation and idle cost on log
  scales (the systems differ by orders of magnitude), pi's CPU time on a
  linear one;
- benchmarks/results/net.png (issue 9, net.json): HTTP req/s, TCP bulk
  both ways and boot to the first answer, log scales.

- benchmarks/results/apps.png (issue 10, apps.json): image size, boot to
  ready and smallest memory per application, uniforge against the Linux
  VM (and Unikraft's published figure where there is one), as the seed
  paper's figures 2, 4 and 5.
- benchmarks/results/binary.png (issue 11, binary.json): boot to ready and
  smallest memory per Debian binary: binary mode (generic and
  specialised kernels), the from-source build, the Linux VM
  (binary_report.plot).

    bars(rows, key)         -> [(label, value)]   (what each panel draws; no matplotlib needed)
    net_rows(rows)          -> net.json's rows flattened for bars()
    plot_all(results_dir)   -> [paths written]
"""
from __future__ import annotations

import json
from pathlib import Path

PANELS = [  # (file, value key, title, log scale)
    ("threads", "ctxsw_sem_ns", "context switch (semaphore ping-pong), ns", True),
    ("threads", "thread_create_ns", "thread create+join, ns", True),
    ("idle", "cpu_s_per_min", "idle: host CPU s per minute", True),
    ("pi", "cpu_median_ns", "pi: CPU time of the VMM (host: the process), ms", False),
]


NET_PANELS = [  # (value key of net_rows, title, log scale)
    ("requests_per_s", "HTTP: requests/s (wrk -c10, httpreply's page)", True),
    ("to_guest_mb_s", "TCP bulk host -> guest, MB/s", True),
    ("from_guest_mb_s", "TCP bulk guest -> host, MB/s", True),
    ("boot_answer_ms", "boot to the first HTTP answer, ms", True),
]


def net_rows(rows: list[dict]) -> list[dict]:
    """bench_net's rows with the plotted figures at the top level."""
    out = []
    for r in rows:
        f = {"system": r["system"], "where": r["where"].replace("/", " "),   # two x86_64 targets
             "requests_per_s": (r.get("http") or {}).get("requests_per_s"),
             "to_guest_mb_s": r.get("to_guest_mb_s"), "from_guest_mb_s": r.get("from_guest_mb_s"),
             "boot_answer_ms": r["boot_answer_s"] * 1000 if r.get("boot_answer_s") else None}
        out.append(f)
    return out


def bars(rows: list[dict], key: str) -> list[tuple[str, float]]:
    """(label, value) of every measured row that has ``key``; labels say
    system and place (the target's arch, or "host")."""
    out = []
    for r in rows:
        if r.get("error") or r.get(key) is None:
            continue
        where = r.get("where") or r.get("target") or ""
        out.append((f"{r['system']}\n{where.split('/')[-1]}", float(r[key])))
    return out


def plot_all(results_dir: Path) -> list[Path]:
    written = []
    panels = []
    for name, key, title, log in PANELS:
        f = results_dir / f"{name}.json"
        if f.exists():
            data = bars(json.loads(f.read_text()).get("rows", []), key)
            if key == "cpu_median_ns":
                data = [(label, v / 1e6) for label, v in data]
            if data:
                panels.append((title, log, data))
    if panels:
        written.append(_figure(panels, results_dir / "issue7.png"))
    f = results_dir / "net.json"
    if f.exists():
        rows = net_rows(json.loads(f.read_text()).get("rows", []))
        panels = [(title, log, data) for key, title, log in NET_PANELS if (data := bars(rows, key))]
        if panels:
            written.append(_figure(panels, results_dir / "net.png"))
    f = results_dir / "apps.json"
    if f.exists():
        from apps_report import plot_rows
        data = json.loads(f.read_text())
        written.append(_apps_figure(plot_rows(data), results_dir / "apps.png", data.get("quick", False)))
    f = results_dir / "binary.json"
    if f.exists():
        import binary_report
        written.append(binary_report.plot(json.loads(f.read_text()), results_dir / "binary.png"))
    return written


APPS_PANELS = [("size", "image size, MB (Linux VM: kernel + initramfs)", True),
               ("boot", "boot to ready, ms", True),
               ("memory", "smallest memory passing the app's check, MiB", True)]


def _apps_figure(rows: dict, out: Path, quick: bool) -> Path:
    """Grouped bars per app: uniforge, the Linux VM, Unikraft's figure;
    a missing value is left out and "not measured" written in its place."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series = [("uniforge", "tab:green"), ("Linux VM", "tab:gray"), ("Unikraft (published)", "tab:blue")]
    fig, axes = plt.subplots(1, len(APPS_PANELS), figsize=(15, 4.2), squeeze=False)
    for ax, (key, title, log) in zip(axes[0], APPS_PANELS):
        data = rows.get(key, [])
        for i, (_app, *values) in enumerate(data):
            for j, ((label, color), v) in enumerate(zip(series, values)):
                x = i + (j - 1) * 0.27
                if v is None:
                    if j < 2:
                        ax.annotate("not\nmeasured", (x, 0), xycoords=("data", "axes fraction"), ha="center",
                                    va="bottom", fontsize=6, color=color, rotation=90)
                    continue
                ax.bar(x, v, width=0.27, color=color, label=label)
                ax.annotate(f"{v:.3g}", (x, v), ha="center", va="bottom", fontsize=6)
        ax.set_xticks(range(len(data)), [d[0] for d in data], fontsize=8)
        ax.set_title(title, fontsize=9)
        if log:
            ax.set_yscale("log")
    from matplotlib.patches import Patch
    fig.legend([Patch(color=c) for _, c in series], [label for label, _ in series], loc="upper right", ncol=3,
               fontsize=8)
    if quick:
        fig.suptitle("quick run on a loaded host: timings indicative only", fontsize=9, x=0.3)
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def _figure(panels: list, out: Path) -> Path:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(panels), 1, figsize=(9, 3.2 * len(panels)), squeeze=False)
    for ax, (title, log, data) in zip(axes[:, 0], panels):
        labels, values = zip(*data)
        colors = ["tab:green" if label.startswith("uniforge") else "tab:gray" for label in labels]
        ax.bar(range(len(values)), values, color=colors)
        ax.set_xticks(range(len(values)), labels, fontsize=7)
        ax.set_title(title, fontsize=9)
        if log:
            ax.set_yscale("log")
        for i, v in enumerate(values):
            ax.annotate(f"{v:.3g}", (i, v), ha="center", va="bottom", fontsize=7)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out
