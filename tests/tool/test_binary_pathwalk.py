"""uniforge.binary.pathwalk, the one symlink walk of closure.in_root,
initrd.Tree.add_path, initrd's member walk and through_symlinks: checked
against the kernel itself. Random trees of folders, files and symlinks
(relative, absolute, dangling, looping, through `..`) are walked by
pathwalk (over the host folder and over its archive members) and by
Linux's own lookup in a chroot of the tree (stat: the same inode, or the
same failure: ENOENT, ELOOP, ENOTDIR)."""
from __future__ import annotations

import errno
import json
import os
import random
import subprocess
import sys
from pathlib import Path

from uniforge import rootfs
from uniforge.binary import closure, initrd, pathwalk

NAMES = ["a", "b", "c", "lib", "usr"]
WHY = {errno.ENOENT: "missing", errno.ELOOP: "loop", errno.ENOTDIR: "notdir"}


def _random_tree(root: Path, rng: random.Random) -> list[str]:
    """A tree under ``root``; the names in it, for paths to walk."""
    dirs, made = [""], []
    for _ in range(rng.randint(4, 14)):
        parent = rng.choice(dirs)
        name = f"{parent}/{rng.choice(NAMES)}".lstrip("/")
        p = root / name
        if os.path.lexists(p):
            continue
        kind = rng.random()
        if kind < 0.35:
            p.mkdir()
            dirs.append(name)
        elif kind < 0.55:
            p.write_text(name)
        else:
            target = rng.choice([*made, *NAMES, ".", ".."])
            target = rng.choice(["/" + target, target, "../" + target, target + "/.."]) if target else "."
            p.symlink_to(target)
        made.append(name)
    return made


def _paths(made: list[str], rng: random.Random) -> list[str]:
    out = ["/"]
    for _ in range(12):
        parts = [rng.choice([*NAMES, *made, "..", "."]) for _ in range(rng.randint(1, 3))]
        out.append("/" + "/".join(parts))
    return out


KERNEL = """
import json, os, sys
root, paths = sys.argv[1], json.loads(sys.argv[2])
os.chroot(root)
os.chdir("/")
out = []
for p in paths:
    try:
        st = os.stat(p)
        out.append([st.st_dev, st.st_ino])
    except OSError as e:
        out.append(e.errno)
print(json.dumps(out))
"""


def _kernel(root: Path, paths: list[str]) -> list:
    """stat() of each path by Linux in a chroot of ``root``: [dev, ino] or errno."""
    pre = [] if os.geteuid() == 0 else ["unshare", "-r"]
    r = subprocess.run([*pre, sys.executable, "-c", KERNEL, str(root), json.dumps(paths)],
                       capture_output=True, text=True, timeout=60, check=True)
    return json.loads(r.stdout)


def test_walk_is_the_kernels_walk(tmp_path):
    rng = random.Random(12)
    checked = {"ok": 0, "missing": 0, "loop": 0, "notdir": 0}
    for i in range(60):
        root = tmp_path / str(i)
        root.mkdir()
        made = _random_tree(root, rng)
        paths = _paths(made, rng)
        members = {e.name: e for e in rootfs.tree_entries(root)}
        for guest, want in zip(paths, _kernel(root, paths)):
            try:
                name, _ = pathwalk.walk(guest, lambda n, root=root: pathwalk.host_step(root / n))
            except pathwalk.WalkError as e:
                assert WHY.get(want) == e.why, (i, guest, want, e)
                assert closure.in_root(root, guest) is None
                assert initrd._resolve(members, guest) is None
                checked[e.why] += 1
                continue
            st = os.stat(root / name)
            assert [st.st_dev, st.st_ino] == want, (i, guest, name, want)
            assert closure.in_root(root, guest) == root / name
            assert initrd._resolve(members, guest) == (name or None), (i, guest)
            checked["ok"] += 1
    assert all(n >= 10 for n in checked.values()), checked      # every outcome met, several times


def test_walk_reports_each_member_met_in_order():
    tree = {"lib": pathwalk.Step(pathwalk.LINK, "usr/lib"), "usr": pathwalk.Step(pathwalk.DIR),
            "usr/lib": pathwalk.Step(pathwalk.DIR), "usr/lib/x": pathwalk.Step(pathwalk.LINK, "/usr/lib/y"),
            "usr/lib/y": pathwalk.Step(pathwalk.OTHER, mode=0o100644)}
    seen = []

    def look(n):
        seen.append(n)
        return tree.get(n)
    assert pathwalk.walk("/lib/./x", look) == ("usr/lib/y", tree["usr/lib/y"])
    assert seen == ["lib", "usr", "usr/lib", "usr/lib/x", "usr", "usr/lib", "usr/lib/y"]
    assert pathwalk.walk("/lib/..", tree.get) == ("usr", tree["usr"])     # .. of the link's target
    assert pathwalk.walk("/../..", tree.get) == ("", None)


def test_through_symlinks_lands_in_the_linked_folder():
    base = initrd.Tree()
    base.symlink("lib", "usr/lib")
    base.symlink("usr/lib/up", "../lib")
    base.symlink("loop", "loop")
    layer = initrd.Tree()
    for n in ("lib/a", "usr/lib/up/b", "loop/c", "lib/d/e"):
        layer.file(n, b"x")
    got = {e.name for e in initrd.through_symlinks(layer.entries(), base.entries())}
    # the folders lib and usr/lib/up land in usr/lib; loop loops: its file keeps its name, the folder
    # (base's link) is dropped
    assert got == {"loop/c", "usr", "usr/lib", "usr/lib/a", "usr/lib/b", "usr/lib/d", "usr/lib/d/e"}, got
