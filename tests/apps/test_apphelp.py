"""The app tests' helpers (apphelp.py) on the hello-world app: a hermetic
copy, a build, and a boot whose arguments reach main."""
import pytest

from apphelp import app_copy, build_app, run_app


@pytest.mark.boot
def test_build_and_run_a_copy_of_an_app(tmp_path):
    app = app_copy("helloworld", tmp_path)
    assert app == tmp_path / "helloworld" and not (app / ".uniforge").exists()
    r = build_app(app, "qemu/x86_64")
    assert r.rc == 0, r.text
    r = run_app(app, "qemu/x86_64", ["one arg", "two"])
    assert r.rc == 0, r.text
    assert "Hello from uniforge!\nargv[1] = one arg\nargv[2] = two\n" in r.out, r.text
