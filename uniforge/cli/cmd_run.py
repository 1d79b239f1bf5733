"""uniforge run: build if needed, boot, stream the console; exit with the
guest's exit status."""
import os
import sys
from pathlib import Path

from .. import rootfs
from ..errors import UserError
from ..manifest import MANIFEST, parse_memory_kib, parse_env_assignment, load as load_manifest
from ..runner import RunSpec, run as run_image, CRASH_STATUS, check_memory, command_line
from ..runner.net import PORT_SYNTAX, parse_port, check_request, check_ports_free, report
from .common import add_app, project, build, err, show_command, positive_float

HELP = "build if needed and boot an app, or run a Linux program (ELF); exit status = the guest's"


def add_arguments(p):
    add_app(p, app_help="application folder (default: .), or a Linux program (an ELF file: binary mode)")
    p.add_argument("--sysroot", metavar="DIR", type=Path,
                   help="binary mode: take the program's interpreter and libraries from DIR (a root such "
                        "as Debian's) instead of the host's /")
    p.add_argument("--locale", action="append", default=[], metavar="NAME",
                   help="binary mode: put locale NAME's files (e.g. C.UTF-8) in the guest and set LANG")
    p.add_argument("-m", "--memory", help="guest memory, e.g. 8M (default: manifest, else target default)")
    p.add_argument("--accel", choices=["kvm", "tcg"],
                   help="force the accelerator (default: KVM only if hardware-backed)")
    p.add_argument("-k", "--kernel-arg", action="append", default=[], metavar="LIB.PARAM=V",
                   help="kernel (library) parameter, before `--` on the guest command line")
    p.add_argument("-e", "--env", action="append", default=[], metavar="NAME=VALUE",
                   help="guest environment variable (repeatable; overrides the manifest's env)")
    p.add_argument("--initrd", metavar="FILE", type=Path,
                   help="pass FILE to the guest as its initrd (QEMU -initrd; linuxu: UK_INITRD); "
                        "replaces the root file system the tool would pack (libraries' files, rootfs:)")
    p.add_argument("--rootfs", metavar="DIR", type=Path,
                   help="add DIR's files to the root file system the guest unpacks, over the "
                        "libraries' files and the manifest's rootfs: (DIR's win)")
    p.add_argument("--strace", action="store_true",
                   help="print every syscall, decoded, to stderr (builds the variant with "
                        "CONFIG_LIBUKSYSCALL_STRACE=y; kernel parameter uksyscall.strace=1)")
    p.add_argument("-p", "--publish", action="append", default=[], metavar="[HOSTIP:]HOSTPORT:GUESTPORT[/udp]",
                   help="forward a host port to the guest through QEMU's user network (repeatable; "
                        "HOSTIP defaults to 127.0.0.1; replaces the manifest's ports:)")
    p.add_argument("--net", metavar="user|tap:NAME|none",
                   help="the guest's network: user (QEMU user networking, no root; the default when "
                        "the image has a network device), tap:NAME (a tap device you created), "
                        "none (no NIC)")
    p.add_argument("--specialize", action="store_true",
                   help="binary mode: boot the kernel specialised for the program: only the libraries and "
                        "syscalls it needs (uniforge specialize BINARY shows what and why)")
    p.add_argument("--only-found", action="store_true",
                   help="with --specialize: serve only the syscalls found even when some numbers are not "
                        "known statically")
    p.add_argument("--timeout", type=positive_float, help="kill the guest after this many seconds (status 124)")
    p.add_argument("-j", "--jobs", type=int, help="parallel build jobs")
    p.add_argument("-q", "--quiet", action="store_true", help="no build output or run banner")
    p.set_defaults(args=[])
    p.epilog = ("Application arguments follow `--`: uniforge run APP -t TARGET -- arg1 arg2. "
                "APP may be a Linux program (an ELF file) instead of an app folder: "
                "uniforge run /usr/bin/sqlite3 -- :memory: 'select 1' runs it on the binary-compatibility "
                "kernel (built once per target, cached), with its interpreter and libraries found as ld.so "
                "finds them (or in --sysroot DIR); the target defaults to qemu/<its architecture>.")


def _memory_mb(args, proj) -> int | None:
    """The -m value (or the manifest's) in MiB, checked against the target's
    minimum; None for the target's default."""
    if args.memory is not None:
        kib = parse_memory_kib(args.memory)
    elif proj.target.fixed_memory_mb:   # boards whose RAM is fixed ignore the manifest's size
        return None
    else:
        kib = proj.manifest.memory_kib
        if kib is None:
            return None
        try:
            check_memory(proj.target, kib)
        except UserError as e:      # say where the size came from
            raise UserError(e.message, path=proj.manifest.path, line=proj.manifest.line_of("memory"),
                            hint=f"write `memory: {proj.target.min_memory_mb}M` or more, or pass -m") from None
    check_memory(proj.target, kib)
    return -(-kib // 1024)


def _rootfs_folders(args, proj) -> list[Path] | None:
    """The folders of the guest's root file system, each over the one
    before (and over the libraries' files): the manifest's rootfs:, then
    --rootfs. None with --initrd FILE (passed as it is); --initrd with
    --rootfs is an error. Checked before the build, so a bad folder is
    reported before a long build."""
    if args.initrd is not None and args.rootfs is not None:
        raise UserError("--rootfs and --initrd both give the guest's initrd",
                        hint="pass one: --rootfs DIR packs a folder, --initrd FILE passes an archive as it is")
    if args.initrd is not None:
        return None
    folders = [proj.manifest.rootfs] if proj.manifest.rootfs is not None else []
    if args.rootfs is not None:
        if not args.rootfs.is_dir():
            raise UserError(f"--rootfs {args.rootfs}: " + ("not a folder" if args.rootfs.exists()
                                                             else "no such folder"),
                            hint="give --rootfs an existing folder")
        folders.append(args.rootfs.resolve())
        if proj.manifest.rootfs is None:
            proj.manifest.rootfs = folders[-1]  # the image then unpacks it (ukcpio)
    return folders


def _initrd(args, proj, model, folders: list[Path] | None) -> Path | None:
    """The initrd to pass: --initrd FILE as given; else the libraries'
    rootfs files, the manifest's rootfs: and --rootfs, packed in that order
    into BUILD/rootfs.cpio; None when there is none of them."""
    if folders is None:
        return args.initrd
    return rootfs.pack_layers(model.rootfs, folders, proj.build_dir / "rootfs.cpio")


def _strace_project(args):
    """The project to build: with --strace, the variant with strace
    compiled in (CONFIG_LIBUKSYSCALL_STRACE, off by default so that it
    costs nothing otherwise), or a clear error when the image cannot have
    it."""
    proj = project(args)
    if not args.strace:
        return proj
    cfg = proj.configure()
    if cfg.value("LIBUKSYSCALL") != "y":
        raise UserError("--strace: this image has no syscall layer (library uksyscall)",
                        hint="select it with `libraries: [uksyscall]` (musl selects it), or run without --strace")
    if cfg.value("LIBUKSYSCALL_STRACE") == "y":
        return proj
    if any(s.partition("=")[0] == "CONFIG_LIBUKSYSCALL_STRACE" for s in args.set):
        raise UserError("--strace and --set CONFIG_LIBUKSYSCALL_STRACE=n contradict each other",
                        hint="drop one of them")
    if cfg.value("LIBUKLIBPARAM") != "y":
        raise UserError("--strace needs uklibparam (the kernel parameter uksyscall.strace=1)",
                        hint="build with --set CONFIG_LIBUKLIBPARAM=y")
    args.set = [*args.set, "CONFIG_LIBUKSYSCALL_STRACE=y"]
    return project(args)


def _ports(args, proj) -> list:
    """The forwards: -p's (replacing the manifest's ports:), else the
    manifest's unless --net takes them away. Raises UserError for a bad -p,
    a network the target cannot have (naming the manifest's line when the
    forwards come from it) and a host port already in use."""
    ports = []
    for text in args.publish:
        try:
            ports.append(parse_port(text))
        except ValueError as e:
            raise UserError(f"-p {text}: {e}", hint=f"write -p {PORT_SYNTAX}") from None
    from_manifest = not ports and proj.manifest.ports and args.net != "none" \
        and not (args.net or "").startswith("tap:")
    if from_manifest:
        ports = list(proj.manifest.ports)
    try:
        check_request(proj.target, ports, args.net)
    except UserError as e:
        if not from_manifest:
            raise
        raise UserError(f"`ports:` needs a network, and {e.message}", path=proj.manifest.path,
                        line=proj.manifest.line_of("ports"),
                        hint="run it on qemu/x86_64, microvm/x86_64 or qemu/arm64, or pass --net none "
                             "to run it without the forwards") from None
    if proj.target.runner == "qemu":
        check_ports_free(ports)
    return ports


def run(args):
    binary = binary_mode(args)
    if binary is not None:
        from .run_binary import run_binary
        return run_binary(args, *binary)
    if args.specialize or args.only_found:
        raise UserError("--specialize is for a Linux binary: an app's kernel has only the libraries it lists",
                        hint=f"uniforge run {args.app} without --specialize")
    proj = _strace_project(args)
    env = dict(proj.manifest.env)
    env.update(parse_env_assignment(e) for e in args.env)
    check_kernel_args(args)
    mem = _memory_mb(args, proj)        # a bad size is reported before a long build
    ports = _ports(args, proj)          # so is a bad or busy port
    folders = _rootfs_folders(args, proj)
    res = build(proj, jobs=args.jobs, quiet=args.quiet, verbose=args.verbose)
    initrd = _initrd(args, proj, res.model, folders)
    return boot(args, proj.target, res, app_args=args.args if args.args else list(proj.manifest.cmd),
                env=env, memory_mb=mem, ports=ports, initrd=initrd, dot_config=proj.dot_config)


def binary_mode(args):
    """(program, its manifest or None) when `uniforge run` runs a Linux
    program: APP is a file (an ELF, or something the binary mode's
    checks will say is not one), or the manifest in APP has `binary:`;
    else None (an application folder)."""
    app = Path(args.app)
    if app.is_file():
        return app, None
    if not app.exists():
        raise UserError(f"{app}: no such app folder or program",
                        hint="give an app folder (with uniforge.yaml; `uniforge init DIR` makes one) or a Linux "
                             "program, e.g. uniforge run /usr/bin/sqlite3 -- :memory: 'select 1'")
    sysroot, locale = getattr(args, "sysroot", None), getattr(args, "locale", [])
    if sysroot is not None or locale:
        if not (app / MANIFEST).is_file():
            raise UserError("--sysroot and --locale are for running a Linux program: "
                            f"{app} is neither a program nor an app folder",
                            hint="give the program's path: uniforge run /usr/bin/sqlite3 --sysroot ROOT")
    if (app / MANIFEST).is_file():
        m = load_manifest(app)
        if m.binary is not None:
            return m.binary, m
        if sysroot is not None or locale:
            raise UserError(f"--sysroot and --locale are for running a Linux program, and {m.path} has no "
                            "`binary:`", hint="give the program's path, or add `binary: PATH` to the manifest")
    return None


def check_kernel_args(args) -> None:
    for k in args.kernel_arg:    # without a dot, the guest would take it for an environment word
        name = k.partition("=")[0]
        if "=" not in k or "." not in name:
            raise UserError(f"-k {k!r}: a kernel parameter is <library>.<param>=<value>",
                            hint="e.g. -k ukdebug.level=5; an environment variable is -e NAME=VALUE")


def boot(args, target, res, *, app_args, env, memory_mb, ports, initrd, dot_config, kernel_args=()):
    """Boot the built image `res` and stream its console; the guest's exit
    status (shared by application and binary mode)."""
    kernel_args = [*args.kernel_arg, *kernel_args]
    if args.strace:
        kernel_args.append("uksyscall.strace=1")
    stdin_fd = _stdin_fd()
    if {"devfs", "uklibparam"} <= {lib.name for lib in res.model.libs} and \
            not (stdin_fd is not None and os.isatty(stdin_fd)):
        # The guest's console is a terminal only when ours is: a program
        # then prompts (or not) as it would on the host (os/lib/devfs).
        kernel_args.append("devfs.tty=0")
    spec = RunSpec(target=target, image=res.image, image_dbg=res.image_dbg,
                   app_args=app_args, kernel_args=kernel_args, env=env, memory_mb=memory_mb, accel=args.accel,
                   timeout=args.timeout, initrd=initrd,
                   wall_clock={"uktime", "uklibparam"} <= {lib.name for lib in res.model.libs},
                   stdin_fd=stdin_fd, ports=ports, net=args.net, dot_config=dot_config)
    argv, venv, acc, why = command_line(spec)
    if not args.quiet:
        err.print(f"[dim]uniforge: {target.name}: {res.image.name} "
                  f"(accel {acc}: {why})[/]", soft_wrap=True)
    if args.verbose:
        show_command(argv, venv)

    def write(data: bytes):
        # The guest's bytes, unchanged (binary output too): console.py
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    def write_err(text):
        sys.stderr.write(text)
        sys.stderr.flush()
    def on_net(net):
        # The guest's address, next to the tool's other messages: stdout is the guest's.
        if not args.quiet:
            sys.stderr.write(f"uniforge: {report(net, ports)}\n")
            sys.stderr.flush()
    result = run_image(spec, write, write_err if args.strace else None, on_net, raw=True)
    for w in result.warnings:
        err.print(f"[yellow]uniforge: warning:[/] {w}", soft_wrap=True)
    if result.stderr.strip() and result.status != CRASH_STATUS and not result.note:
        sys.stderr.write(result.stderr)
    if result.console.crashed:
        err.print(f"[bold red]uniforge: the guest crashed:[/] {result.console.crash_reason} "
                  f"(exit status {CRASH_STATUS})", soft_wrap=True)
    elif result.note:
        err.print(f"[bold red]uniforge:[/] {result.note}", soft_wrap=True)
    return result.status


def _stdin_fd() -> int | None:
    """Our stdin, which becomes the guest console's input; None if closed."""
    try:
        os.fstat(0)
    except OSError:
        return None
    return 0
