"""Plots of issue 7's benchmarks from benchmarks/results/*.json (matplotlib,
the optional `bench` extra: `pip install -e '.[bench]'`, which ./dev bench
does). One figure, benchmarks/results/issue7.png: context switch (the
semaphore ping-pong, the one that always switches), thread creation and
idle cost on log scales (the systems differ by orders of magnitude), pi's
CPU time on a linear one.

    bars(result_name, rows) -> [(label, value)]   (what each panel draws; no matplotlib needed)
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
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = []
    for name, key, title, log in PANELS:
        f = results_dir / f"{name}.json"
        if f.exists():
            data = bars(json.loads(f.read_text()).get("rows", []), key)
            if key == "cpu_median_ns":
                data = [(label, v / 1e6) for label, v in data]
            if data:
                panels.append((title, log, data))
    if not panels:
        return []
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
    out = results_dir / "issue7.png"
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return [out]
