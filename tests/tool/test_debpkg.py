"""uniforge.debpkg without the network: which cached .deb download()
returns."""
from __future__ import annotations

from uniforge import debpkg


def test_an_architecture_independent_package_is_found_in_the_cache(tmp_path, monkeypatch):
    """`apt-get download nginx-common:amd64` saves nginx-common_..._all.deb:
    download() finds it (before: "left no .deb"), and an arch-specific one
    of another package is still picked by its own architecture."""
    monkeypatch.setenv("UNIFORGE_CACHE", str(tmp_path))
    d = tmp_path / "deb" / "amd64"
    d.mkdir(parents=True)
    (d / "nginx-common_1.22.1-9+deb12u12_all.deb").write_bytes(b"")
    (d / "nginx_1.22.1-9+deb12u12_amd64.deb").write_bytes(b"")
    assert debpkg.download("nginx-common", "amd64").name == "nginx-common_1.22.1-9+deb12u12_all.deb"
    assert debpkg.download("nginx", "amd64").name == "nginx_1.22.1-9+deb12u12_amd64.deb"


class FakeApt:
    """apt-get download as apt answers it: PKG:arm64 has no candidate for
    an Architecture: all package; PKG:all saves PKG_<v>_all.deb."""

    def __init__(self):
        self.asked = []

    def run(self, *argv, cwd=None):
        import subprocess
        spec = argv[-1]
        self.asked.append(spec)
        if spec.endswith(":all"):
            (cwd / f"{spec[:-4]}_1.0_all.deb").write_bytes(b"")
            return subprocess.CompletedProcess(argv, 0, "", "")
        return subprocess.CompletedProcess(argv, 100, "", f"E: Can't select candidate version from package {spec}")

    def update(self):
        return None


def test_an_architecture_independent_package_for_a_foreign_architecture(tmp_path, monkeypatch):
    """sysroot([... "nginx-common"], arch="arm64"): nginx-common:arm64 has
    no candidate; download() asks for nginx-common:all and returns it."""
    monkeypatch.setenv("UNIFORGE_CACHE", str(tmp_path))
    fake = FakeApt()
    monkeypatch.setattr(debpkg, "_apt", lambda arch: fake)
    monkeypatch.setattr(debpkg, "_ready", lambda apt, what: None)
    got = debpkg.download("nginx-common", "arm64")
    assert got == tmp_path / "deb" / "arm64" / "nginx-common_1.0_all.deb"
    assert fake.asked == ["nginx-common:arm64", "nginx-common:arm64", "nginx-common:all"]
