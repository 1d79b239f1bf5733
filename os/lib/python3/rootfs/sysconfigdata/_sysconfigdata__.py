"""sysconfig's build-time variables for os/lib/python3's CPython (what
`make install` writes to _sysconfigdata_<abiflags>_<multiarch>.py; ours has
no multiarch, so Debian's sysconfig looks for `_sysconfigdata__`).

Only variables that are true for this build, the same on x86_64 and arm64
(one file serves both): the install paths from getpath's PREFIX=/usr, the
version, the ABI, and configure's default TZPATH, which zoneinfo reads when
it is imported. No compiler or linker variables: nothing can be built or
loaded in the guest (no dlopen)."""
build_time_vars = {
    "ABIFLAGS": "",
    "BINDIR": "/usr/bin",
    "BINLIBDEST": "/usr/lib/python3.11",
    "CONFINCLUDEPY": "/usr/include/python3.11",
    "DESTSHARED": "/usr/lib/python3.11/lib-dynload",
    "EXE": "",
    "EXT_SUFFIX": ".cpython-311.so",
    "INCLUDEPY": "/usr/include/python3.11",
    "LIBDEST": "/usr/lib/python3.11",
    "LIBDIR": "/usr/lib",
    "MACHDEP": "linux",
    "MULTIARCH": "",
    "Py_DEBUG": 0,
    "Py_ENABLE_SHARED": 0,
    "Py_TRACE_REFS": 0,
    "SHLIB_SUFFIX": ".so",
    "SIZEOF_VOID_P": 8,
    "SOABI": "cpython-311",
    "TZPATH": "/usr/share/zoneinfo:/usr/lib/zoneinfo:/usr/share/lib/zoneinfo:/etc/zoneinfo",
    "VERSION": "3.11",
    "WITH_DOC_STRINGS": 1,
    "WITH_PYMALLOC": 1,
    "exec_prefix": "/usr",
    "platlibdir": "lib",
    "prefix": "/usr",
    "py_version_nodot": "311",
}
