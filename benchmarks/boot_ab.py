"""Interleaved A/B of the guest-internal boot time (UK-BOOT-TIME) between
OS trees at two (or more) git revisions: the way to show that a boot-path
trick (a mask instead of a branch, a forced inline) is worth keeping.

    python benchmarks/boot_ab.py -t microvm/x86_64 -r 15 HEAD~3 HEAD
    python benchmarks/boot_ab.py -t qemu/arm64 e5fcb4e HEAD

Each revision's os/ is exported (`git archive`) into a temporary folder and
built with the current tool (UNIFORGE_OS); helloworld is booted round-robin
(A, B, A, B, ...) so that the host's load hits every variant alike. Prints
the median and minimum per revision, in microseconds. Under TCG single runs
vary by 10-30 % on a busy machine: compare medians of 15 or more.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HELLO = REPO / "apps" / "helloworld"


def export_os(rev: str, dest: Path) -> Path:
    """os/ of git revision rev, unpacked under dest."""
    archive = dest / "os.tar"
    with open(archive, "wb") as f:
        subprocess.run(["git", "-C", str(REPO), "archive", rev, "os"], stdout=f, check=True)
    with tarfile.open(archive) as t:
        t.extractall(dest)
    return dest / "os"


def boot_ns(app: Path, target: str, os_tree: Path) -> int | None:
    p = subprocess.run([sys.executable, "-m", "uniforge", "run", str(app), "-t", target, "-q", "--timeout", "60",
                        "--set", "CONFIG_UKBOOT_SHOW_BOOTTIME=y"], cwd=REPO, capture_output=True, text=True,
                       env={**os.environ, "UNIFORGE_OS": str(os_tree)})
    m = re.search(r"UK-BOOT-TIME ns=(\d+)", p.stdout)
    return int(m.group(1)) if m else None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("revs", nargs="+", help="git revisions to compare")
    ap.add_argument("-t", "--target", default="microvm/x86_64")
    ap.add_argument("-r", "--rounds", type=int, default=15)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="boot_ab-") as tmp:
        variants = {}
        for i, rev in enumerate(args.revs):
            d = Path(tmp) / f"v{i}"
            d.mkdir()
            app = d / "app"
            shutil.copytree(HELLO, app, ignore=shutil.ignore_patterns(".uniforge"))
            variants[rev] = (app, export_os(rev, d))
            boot_ns(app, args.target, variants[rev][1])             # build, and a warm-up run
        times: dict[str, list[int]] = {rev: [] for rev in variants}
        for _ in range(args.rounds):
            for rev, (app, os_tree) in variants.items():
                ns = boot_ns(app, args.target, os_tree)
                if ns is not None:
                    times[rev].append(ns)
    for rev, xs in times.items():
        if not xs:
            print(f"{rev:>16}: no UK-BOOT-TIME line (build or boot failed)")
            continue
        print(f"{rev:>16}: median {statistics.median(xs) / 1000:8.1f} us, min {min(xs) / 1000:8.1f} us,"
              f" {len(xs)} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
