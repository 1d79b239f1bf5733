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
