"""`uniforge` entry point: argument parsing and the one place where failures
become exit statuses.

    exit 0   success (for `run`: the guest's own exit status instead)
    exit 1   a user error (UserError): message with location and fix
    exit 2   a bug in uniforge: "this is a bug", traceback only with -v
"""
from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import traceback

from .. import __version__
from ..errors import UserError

COMMANDS = ["init", "configure", "menuconfig", "build", "run", "lib", "targets", "size", "clean", "deps",
            "specialize", "fetch"]


class Terminated(BaseException):
    """Raised in the main thread by SIGTERM/SIGHUP (not an Exception: it is
    not a bug and must not be caught as one)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _terminate(signum, frame):
    raise Terminated(signum)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="uniforge",
                                description="Build and run unikernels from micro-libraries.")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="show the commands uniforge runs (compiler, linker, VMM) and tracebacks")
    p.add_argument("--version", action="version", version=f"uniforge {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        mod = importlib.import_module(f"uniforge.cli.cmd_{name}")
        sp = sub.add_parser(name, help=mod.HELP, description=mod.HELP)
        # `uniforge run -v` means `uniforge -v run` (SUPPRESS: absent, the
        # top-level value stays).
        sp.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                        help="same as uniforge -v")
        mod.add_arguments(sp)
        sp.set_defaults(func=mod.run)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    # Everything after the first `--` is for the guest application, never
    # for our own parser (so `run -- -v x` passes -v to the app).
    app_args = None
    if "--" in argv:
        i = argv.index("--")
        argv, app_args = argv[:i], argv[i + 1:]
    args = parser.parse_args(argv)
    if app_args is not None:
        if not hasattr(args, "args"):
            parser.error(f"'{args.command}' takes no application arguments after --")
        args.args = app_args
    if not getattr(args, "func", None):
        parser.print_help()
        return 1
    # SIGTERM (and SIGHUP) unwind like Ctrl-C, through every `finally`, so
    # a running VMM or compiler is killed on the way out.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _terminate)
    try:
        return int(args.func(args) or 0)
    except UserError as e:
        sys.stderr.write(f"uniforge: error: {e}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("uniforge: interrupted\n")
        return 128 + signal.SIGINT
    except Terminated as e:
        return 128 + e.signum
    except BrokenPipeError:
        # The reader of our output went away (`uniforge run APP | head -2`):
        # stop quietly, like any Unix filter. Further writes (the interpreter
        # flushing stdout at exit) go nowhere.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 128 + signal.SIGPIPE
    except Exception as e:  # noqa: BLE001 — the bug path
        if args.verbose:
            traceback.print_exc()
        sys.stderr.write(f"uniforge: internal error: {type(e).__name__}: {e}\n"
                         "this is a bug in uniforge; run again with -v for the traceback\n")
        return 2
