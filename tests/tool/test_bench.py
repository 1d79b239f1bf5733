"""benchmarks/run.py's minimum-memory search must finish on every target:
a boot QEMU refuses (qemu/arm64 below its floor: "Not enough space for DTB")
is a failed probe recorded in the JSON, not a traceback. Tested on a copy
of the hello app, without running the whole benchmark."""
from __future__ import annotations

import json
import shutil
import sys

import pytest

from uniforge.errors import UserError
from uniforge.targets import TARGETS
from conftest import APPS, REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import run as bench  # noqa: E402


@pytest.fixture
def hello(tmp_path):
    d = tmp_path / "hello"
    shutil.copytree(APPS / "helloworld", d, ignore=shutil.ignore_patterns(".uniforge"))
    return d


def test_a_boot_qemu_refuses_is_a_failed_probe(hello, monkeypatch):
    p, res = bench.build("qemu/arm64", [], hello)

    def refuse(spec, write=None):
        raise UserError("QEMU failed to start the image: qemu-system-aarch64: Not enough space for DTB")
    monkeypatch.setattr(bench, "run", refuse)
    b = bench.one_boot(p, res, memory_mb=2)
    assert b["ok"] is False and b["status"] is None
    assert b["error"] == "QEMU failed to start the image: qemu-system-aarch64: Not enough space for DTB"


def test_min_memory_search_keeps_every_probe(hello):
    floor = TARGETS["qemu/arm64"].min_memory_mb       # where the search starts

    def fake_boot(p, res, memory_mb=None, timeout=0):
        if memory_mb < floor + 4:
            return {"ok": False, "status": None, "error": "Not enough space for DTB"}
        return {"ok": memory_mb >= floor + 5, "status": 0 if memory_mb >= floor + 5 else 255}
    r = bench.min_memory("qemu/arm64", hi=floor + 15, app=hello, boot=fake_boot)
    assert r["min_memory_mb"] == floor + 5
    assert r["min_memory_probes"] == [
        {"mem_mb": floor + 15, "ok": True, "status": 0}, {"mem_mb": floor + 7, "ok": True, "status": 0},
        {"mem_mb": floor + 3, "ok": False, "error": "Not enough space for DTB"},
        {"mem_mb": floor + 5, "ok": True, "status": 0}, {"mem_mb": floor + 4, "ok": False, "status": 255}]
    json.dumps(r)      # it goes into bench.json as it is


def test_min_memory_on_qemu_arm64_finishes_for_real(hello):
    r = bench.min_memory("qemu/arm64", hi=16, app=hello)
    assert isinstance(r["min_memory_mb"], int) and 1 <= r["min_memory_mb"] <= 16, r
    best = r["min_memory_mb"]
    for pr in r["min_memory_probes"]:
        assert pr["ok"] == (pr["mem_mb"] >= best), r
        assert ("error" in pr) != ("status" in pr)


def test_fixed_memory_targets_report_why(hello):
    r = bench.min_memory("raspi3b/arm64", app=hello)
    assert r == {"min_memory_mb": None, "min_memory_probes": [], "min_memory_note": "fixed at 1024 MiB"}
