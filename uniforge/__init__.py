"""uniforge: build tiny, fast-booting unikernels from micro-libraries."""
from pathlib import Path
import os

__version__ = "0.1.0"


def os_root() -> Path:
    """The OS tree (micro-libraries). UNIFORGE_OS overrides the in-repo tree."""
    env = os.environ.get("UNIFORGE_OS")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parent.parent / "os"
