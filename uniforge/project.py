"""An application being built for one target: the pipeline in one place.

    manifest → libraries → config (kconfiglib) → model → build.ninja → ninja

Build output lives under APP/.uniforge/build/<target>/ (never in the OS
tree). `--set` values given to build/run go to a variant folder
(<target>+<hash>) so the saved configuration stays as it is; `configure`
and `menuconfig` edit the saved one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
import fcntl
import hashlib
import shutil
import subprocess

from . import debsrc, objcache, os_root, manifest as manifest_mod
from .config import Assignment, Config, resolve
from .errors import UserError, MissingTool
from .library import Library, discover
from . import libc
from .model import BuildModel, build_model
from .ninja import write_ninja, run_ninja
from .targets import Target, get_target


def gcc_include_dir(gcc: str) -> Path:
    try:
        out = subprocess.run([gcc, "-print-file-name=include"], capture_output=True, text=True,
                             check=True).stdout.strip()
    except FileNotFoundError:
        raise MissingTool(gcc, "gcc") from None
    return Path(out)


@dataclass
class BuildResult:
    image: Path
    image_dbg: Path
    map_file: Path
    model: BuildModel
    warnings: list[str] = field(default_factory=list)   # compiler output of a successful build


class Project:
    def __init__(self, app_dir: Path | str, target: str | None = None,
                 sets: list[Assignment] = (), persist_sets: bool = False):
        self.app_dir = Path(app_dir).resolve()
        self.os_root = os_root()
        self.sets = list(sets)
        self.persist_sets = persist_sets
        self.manifest = manifest_mod.load(self.app_dir, libraries=set(self.libraries))
        self._target_name = target

    @cached_property
    def target(self) -> Target:
        return self._pick_target(self._target_name)

    @cached_property
    def libraries(self) -> dict[str, Library]:
        return discover(self.os_root)

    def _pick_target(self, name: str | None) -> Target:
        if name:
            return get_target(name)
        if self.manifest.targets:
            return get_target(self.manifest.targets[0])
        raise UserError("no target given and the manifest lists none", path=self.manifest.path,
                        hint="pass -t TARGET (see `uniforge targets`) or add `targets:` to uniforge.yaml")

    @property
    def base_dir(self) -> Path:
        return self.app_dir / ".uniforge" / "build" / self.target.slug

    @property
    def build_dir(self) -> Path:
        if self.sets and not self.persist_sets:
            key = "\n".join(f"{a.name}={a.value}" for a in self.sets)
            return self.base_dir.with_name(self.target.slug + "+" + hashlib.sha1(key.encode()).hexdigest()[:8])
        return self.base_dir

    @property
    def dot_config(self) -> Path:
        return self.build_dir / ".config"

    @property
    def choices_file(self) -> Path:
        """The user's own choices for this target (`configure --set`,
        menuconfig): the values they set, not everything Kconfig resolved,
        so a default or a manifest that changes later still takes effect
        (a library dropped from `libraries:` leaves the image)."""
        return self.build_dir / "choices.config"

    @property
    def config_header(self) -> Path:
        return self.build_dir / "include" / "uk" / "config.h"

    def configure(self) -> Config:
        """Resolve and write .config and uk/config.h for this target."""
        bd = self.build_dir
        saved = self.choices_file if self.choices_file.exists() else None
        if saved is None and bd != self.base_dir and (self.base_dir / "choices.config").exists():
            saved = self.base_dir / "choices.config"      # a variant starts from the saved choices
        cfg = resolve(self.target, self.libraries, self.manifest, bd, self.os_root,
                      extra=self.sets, saved=saved)
        self.config_header.parent.mkdir(parents=True, exist_ok=True)
        cfg.write(self.dot_config, self.config_header)
        if self.persist_sets and self.sets:
            self.save_choices(cfg, [a.name for a in self.sets])
        return cfg

    def save_choices(self, cfg: Config, names: list[str]):
        """Add the resolved values of symbols `names` (CONFIG_X) to the
        saved choices, as .config lines; a symbol's new line replaces its
        old one."""
        lines = {}
        for name in names:
            sym = cfg.kconf.syms.get(name.removeprefix("CONFIG_"))
            if sym is not None and sym.config_string:
                lines[name] = sym.config_string.rstrip("\n")
        f = self.choices_file
        old = f.read_text().splitlines() if f.exists() else []
        kept = [ln for ln in old if _config_name(ln) not in lines]
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text("".join(ln + "\n" for ln in kept + list(lines.values())))

    def selected(self, cfg: Config) -> list[Library]:
        return [lib for lib in self.libraries.values() if cfg.enabled(lib.symbol)]

    def fetch(self, cfg: Config) -> list[debsrc.FetchResult]:
        """Fetch (or find in the cache) the Debian sources of every selected
        library that has them. Raises UserError (offline, bad patch...)."""
        return debsrc.fetch_all(self.selected(cfg))

    def model(self, cfg: Config) -> BuildModel:
        tc = self.target.arch.toolchain()
        tc.check()
        trees = {r.library: r.tree for r in self.fetch(cfg)}
        model = build_model(target=self.target, libs=self.libraries, manifest=self.manifest,
                            enabled=cfg.enabled, build_dir=self.build_dir, os_root=self.os_root,
                            cc_include=gcc_include_dir(tc.tool("gcc")), tool_prefix=tc.prefix,
                            config_header=self.config_header, debian_trees=trees,
                            value=cfg.typed_value)
        # Standalone libraries: their partial object from the object cache.
        covered = {}
        for b in model.libs:
            if b.own_cflags is not None:
                covered[b.name] = {"lib": self.libraries[b.name].path}
                if b.name in trees:
                    covered[b.name]["debian"] = trees[b.name]
        objcache.annotate(model, covered)
        return model

    def _explain_undefined(self, cfg: Config, model: BuildModel):
        """explain_undefined for run_ninja: what the libcs provide."""
        def explain(undefined: list[str]) -> list[str]:
            libcs = [lib for lib in self.libraries.values() if lib.provides == "libc"]
            selected = next((lib for lib in libcs if cfg.enabled(lib.symbol)), None)
            provided = {lib.name: libc.declared_symbols(lib.path) for lib in libcs}
            if selected is not None:
                part = next((self.build_dir / b.partial for b in model.libs if b.name == selected.name), None)
                if part is not None and part.is_file():
                    provided[selected.name] = libc.defined_symbols(part)
            return libc.explain_undefined(undefined, selected.name if selected else None, provided)
        return explain

    def build(self, jobs: int | None = None, progress=None, verbose: bool = False) -> BuildResult:
        self.build_dir.mkdir(parents=True, exist_ok=True)
        # One build at a time per build folder (two `uniforge run`s, or
        # parallel tests, may share it).
        with open(self.build_dir / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            cfg = self.configure()
            model = self.model(cfg)
            text = write_ninja(model)
            nf = self.build_dir / "build.ninja"
            if not nf.exists() or nf.read_text() != text:
                nf.write_text(text)
            res = run_ninja(self.build_dir, jobs=jobs, progress=progress, verbose=verbose,
                            explain_undefined=self._explain_undefined(cfg, model))
        return BuildResult(self.build_dir / model.image, self.build_dir / model.image_dbg,
                           self.build_dir / model.map_file, model, res.warnings)

    def clean(self, everything: bool = False) -> list[Path]:
        """Remove build output under APP/.uniforge. The saved configuration
        (each target's choices.config, from `configure --set`/`menuconfig`) stays unless
        `everything`. Returns what was removed."""
        root = self.app_dir / ".uniforge"
        if not root.exists():
            return []
        if everything:
            shutil.rmtree(root)
            return [root]
        removed = []
        for d in sorted((root / "build").glob("*")) if (root / "build").is_dir() else []:
            saved = d / "choices.config"
            if "+" in d.name or not saved.is_file():     # variants and unconfigured folders: all of it
                shutil.rmtree(d)
                removed.append(d)
                continue
            for item in sorted(d.iterdir()):
                if item == saved:
                    continue
                shutil.rmtree(item) if item.is_dir() and not item.is_symlink() else item.unlink()
                removed.append(item)
        return removed


def _config_name(line: str) -> str:
    """CONFIG_X of a .config line (`CONFIG_X=...` or `# CONFIG_X is not set`)."""
    if line.startswith("# CONFIG_") and line.endswith(" is not set"):
        return line[2:-len(" is not set")]
    return line.split("=", 1)[0]
