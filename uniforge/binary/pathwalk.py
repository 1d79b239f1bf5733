"""One walk of a guest path through a tree's symlinks, as the kernel walks a
path in a chroot: component by component, `.` the folder itself, `..` the parent of
the folder reached so far (never above the root), a symlink's target put
in front of what is left (an absolute one from the root), at most
MAX_LINKS symlinks followed.

The tree is the caller's, seen through `lookup(name)` (name: the
components so far, no leading '/'), which says what stands there: a Step,
or None when nothing does. The callers: closure.in_root (a host folder),
initrd.Tree.add_path (a host folder, copying what it meets into the
archive) and initrd's member walks (archive members by name).

    walk(guest, lookup) -> (name, last Step)     raises WalkError
    host_step(path)     -> Step | None           (a lookup over a host folder)
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Callable, NamedTuple

MAX_LINKS = 40          # as Linux (MAXSYMLINKS)
LINK, DIR, OTHER = "link", "dir", "other"


class Step(NamedTuple):
    """What stands at a name: kind LINK (target: its text), DIR or OTHER
    (a file, a device...); mode: its st_mode (0 when the tree has none)."""
    kind: str
    target: str = ""
    mode: int = 0


class WalkError(Exception):
    """The walk stopped at member `at` (no leading '/'): `why` is "missing"
    (nothing there), "loop" (more than MAX_LINKS symlinks) or "notdir" (a
    component that is not a folder has components after it)."""

    def __init__(self, why: str, at: str):
        super().__init__(f"{why} at /{at}")
        self.why, self.at = why, at


def _parts(path: str) -> list[str]:
    """The components; "." kept (it needs a folder before it, as a
    trailing '/' does, which becomes one)."""
    parts = [p for p in path.split("/") if p]
    return parts + ["."] if path.endswith("/") and parts else parts


def walk(guest: str, lookup: Callable[[str], Step | None]) -> tuple[str, Step | None]:
    """The member `guest` leads to, every symlink followed (the last
    component's too), and the Step lookup gave for it (None for the root,
    named ""). lookup is called once per component reached, in order, so a
    caller can record what it meets. Raises WalkError."""
    parts = _parts(guest)
    cur: list[str] = []
    last: Step | None = None
    links = 0
    while parts:
        p = parts.pop(0)
        if p == ".":
            continue
        if p == "..":
            cur = cur[:-1]
            last = None
            continue
        name = "/".join([*cur, p])
        step = lookup(name)
        if step is None:
            raise WalkError("missing", name)
        if step.kind == LINK:
            links += 1
            if links > MAX_LINKS:
                raise WalkError("loop", name)
            if step.target.startswith("/"):
                cur = []
            parts = _parts(step.target) + parts
            last = None
            continue
        if step.kind != DIR and parts:
            raise WalkError("notdir", name)
        cur.append(p)
        last = step
    if last is None and cur:            # ended on "..": what stands at the folder reached
        last = lookup("/".join(cur))
    return "/".join(cur), last


def host_step(path: Path) -> Step | None:
    """A lookup over a host folder: what lstat says is at ``path``; None when
    nothing is (or it cannot be read)."""
    try:
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            return Step(LINK, os.readlink(path), st.st_mode)
    except OSError:
        return None
    return Step(DIR if stat.S_ISDIR(st.st_mode) else OTHER, "", st.st_mode)
