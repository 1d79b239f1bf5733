/* pyconfig.h for CPython 3.11 on uniforge with musl (x86_64 and arm64).
 *
 * CPython's configure cannot run for a unikernel target, so this file
 * replaces the one it writes. It was made from configure's answers for
 * musl on x86_64 Linux (musl-gcc, --disable-shared, --without-ensurepip),
 * then cut down where uniforge differs from a Linux process; each cut is
 * commented below. Both architectures are LP64 with IEEE 754 little-endian
 * doubles and musl's types, so the sizes are the same; the one x86-only
 * answer (inline asm for the x87 control word) is guarded.
 *
 * A HAVE_ that is left out makes CPython leave the function out of `os`
 * (or use its fallback), so a script sees AttributeError instead of a
 * call that can only fail here. What is NOT defined, on purpose:
 *  - HAVE_DYNAMIC_LOADING, HAVE_DLOPEN, HAVE_DLFCN_H: an image is one
 *    static link; no extension modules are loaded at run time (the
 *    built-in ones are in Modules/config.c; Python/dynload_stub.c).
 *  - HAVE_FORK, HAVE_VFORK, HAVE_EXECV, HAVE_FEXECVE, HAVE_POSIX_SPAWN(P),
 *    HAVE_SYSTEM, HAVE_OPENPTY, HAVE_FORKPTY, HAVE_LOGIN_TTY: a unikernel
 *    is one process running one program (posix-process); os.fork() and
 *    os.system() would only fail.
 *  - sem_open/shm_open, syslog, crypt, utmp, shadow, curses, uuid, zlib,
 *    gettext (libintl): modules we do not build, or files the rootfs has
 *    not got.
 *  - ENABLE_IPV6: lwIP's IPv6 is off by default (LIBLWIP_IPV6), and this
 *    file serves every configuration (the library is compiled once):
 *    _socket is IPv4-only (socket.has_ipv6 is False; AF_INET6 sockets
 *    are not offered).
 *  - chroot, sethostname, clock_settime, nice, splice, sendfile,
 *    copy_file_range, memfd_create, getloadavg: no such kernel service.
 */
#ifndef Py_PYCONFIG_H
#define Py_PYCONFIG_H

/* Feature-test macros CPython compiles its own sources with (configure's). */
/* configure's AC_USE_SYSTEM_EXTENSIONS: all of musl's interfaces (DT_* in
 * dirent.h, pipe2, memrchr... are behind _GNU_SOURCE). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#define _FILE_OFFSET_BITS 64
#define _LARGEFILE_SOURCE 1
#define _POSIX_C_SOURCE 200809L
#define _REENTRANT 1
#define _XOPEN_SOURCE 700
#define _XOPEN_SOURCE_EXTENDED 1
#define STDC_HEADERS 1

/* Sizes and alignments: LP64 with musl (the same on x86_64 and aarch64;
 * long double is 16 bytes on both: x87 80-bit padded, IEEE quad). */
#define ALIGNOF_LONG 8
#define ALIGNOF_SIZE_T 8
#define SIZEOF_DOUBLE 8
#define SIZEOF_FLOAT 4
#define SIZEOF_FPOS_T 16
#define SIZEOF_INT 4
#define SIZEOF_LONG 8
#define SIZEOF_LONG_DOUBLE 16
#define SIZEOF_LONG_LONG 8
#define SIZEOF_OFF_T 8
#define SIZEOF_PID_T 4
#define SIZEOF_PTHREAD_KEY_T 4
#define SIZEOF_PTHREAD_T 8
#define SIZEOF_SHORT 2
#define SIZEOF_SIZE_T 8
#define SIZEOF_TIME_T 8
#define SIZEOF_UINTPTR_T 8
#define SIZEOF_VOID_P 8
#define SIZEOF_WCHAR_T 4
#define SIZEOF__BOOL 1
#define DOUBLE_IS_LITTLE_ENDIAN_IEEE754 1
#define HAVE_LONG_DOUBLE 1
#define HAVE_GCC_UINT128_T 1
#ifdef __x86_64__
/* x86_64 only: inline asm for the x87 control word (Python/pymath.c) */
#define HAVE_GCC_ASM_FOR_X64 1
#define HAVE_GCC_ASM_FOR_X87 1
#endif

/* Headers musl has. */
#define HAVE_ALLOCA_H 1
#define HAVE_DIRENT_H 1
#define HAVE_ENDIAN_H 1
#define HAVE_ERRNO_H 1
#define HAVE_FCNTL_H 1
#define HAVE_GRP_H 1
#define HAVE_INTTYPES_H 1
#define HAVE_LANGINFO_H 1
#define HAVE_MEMORY_H 1
#define HAVE_NETDB_H 1
#define HAVE_NETINET_IN_H 1
#define HAVE_NETPACKET_PACKET_H 1
#define HAVE_NET_IF_H 1
#define HAVE_POLL_H 1
#define HAVE_PTHREAD_H 1
#define HAVE_SCHED_H 1
#define HAVE_SETJMP_H 1
#define HAVE_SIGNAL_H 1
#define HAVE_STDINT_H 1
#define HAVE_STDLIB_H 1
#define HAVE_STRINGS_H 1
#define HAVE_STRING_H 1
#define HAVE_SYSEXITS_H 1
#define HAVE_SYS_AUXV_H 1
#define HAVE_SYS_EPOLL_H 1
#define HAVE_SYS_EVENTFD_H 1
#define HAVE_SYS_FILE_H 1
#define HAVE_SYS_IOCTL_H 1
#define HAVE_SYS_MMAN_H 1
#define HAVE_SYS_PARAM_H 1
#define HAVE_SYS_POLL_H 1
#define HAVE_SYS_RANDOM_H 1
#define HAVE_SYS_RESOURCE_H 1
#define HAVE_SYS_SELECT_H 1
#define HAVE_SYS_SOCKET_H 1
#define HAVE_SYS_STATVFS_H 1
#define HAVE_SYS_STAT_H 1
#define HAVE_SYS_SYSCALL_H 1
#define HAVE_SYS_SYSMACROS_H 1
#define HAVE_SYS_TIMES_H 1
#define HAVE_SYS_TIME_H 1
#define HAVE_SYS_TYPES_H 1
#define HAVE_SYS_UIO_H 1
#define HAVE_SYS_UN_H 1
#define HAVE_SYS_UTSNAME_H 1
#define HAVE_SYS_WAIT_H 1
#define HAVE_SYS_XATTR_H 1
#define HAVE_TERMIOS_H 1
#define HAVE_UNISTD_H 1
#define HAVE_UTIME_H 1
#define HAVE_WCHAR_H 1

/* Functions musl has, and the kernel answers or returns -ENOSYS for
 * (logged once, never a crash). */
#define HAVE_ACCEPT 1
#define HAVE_ACCEPT4 1
#define HAVE_ACOSH 1
#define HAVE_ADDRINFO 1
#define HAVE_ALARM 1
#define HAVE_ASINH 1
#define HAVE_ATANH 1
#define HAVE_BIND 1
#define HAVE_BUILTIN_ATOMIC 1
#define HAVE_CHMOD 1
#define HAVE_CHOWN 1
#define HAVE_CLOCK 1
#define HAVE_CLOCK_GETRES 1
#define HAVE_CLOCK_GETTIME 1
#define HAVE_CLOCK_NANOSLEEP 1
#define HAVE_COMPUTED_GOTOS 1
#define HAVE_CONFSTR 1
#define HAVE_CONNECT 1
#define HAVE_CTERMID 1
#define HAVE_DEVICE_MACROS 1
#define HAVE_DIRENT_D_TYPE 1
#define HAVE_DIRFD 1
#define HAVE_DUP 1
#define HAVE_DUP2 1
#define HAVE_DUP3 1
#define HAVE_EPOLL 1
#define HAVE_EPOLL_CREATE1 1
#define HAVE_ERF 1
#define HAVE_ERFC 1
#define HAVE_EVENTFD 1
#define HAVE_EXPLICIT_BZERO 1
#define HAVE_EXPM1 1
#define HAVE_FACCESSAT 1
#define HAVE_FCHDIR 1
#define HAVE_FCHMOD 1
#define HAVE_FCHMODAT 1
#define HAVE_FCHOWN 1
#define HAVE_FCHOWNAT 1
#define HAVE_FDATASYNC 1
#define HAVE_FDOPENDIR 1
#define HAVE_FLOCK 1
#define HAVE_FPATHCONF 1
#define HAVE_FSEEKO 1
#define HAVE_FSTATAT 1
#define HAVE_FSTATVFS 1
#define HAVE_FSYNC 1
#define HAVE_FTELLO 1
#define HAVE_FTIME 1
#define HAVE_FTRUNCATE 1
#define HAVE_FUTIMENS 1
#define HAVE_FUTIMES 1
#define HAVE_FUTIMESAT 1
#define HAVE_GAI_STRERROR 1
#define HAVE_GETADDRINFO 1
#define HAVE_GETC_UNLOCKED 1
#define HAVE_GETEGID 1
#define HAVE_GETENTROPY 1
#define HAVE_GETEUID 1
#define HAVE_GETGID 1
#define HAVE_GETGRGID 1
#define HAVE_GETGRGID_R 1
#define HAVE_GETGRNAM_R 1
#define HAVE_GETGROUPLIST 1
#define HAVE_GETGROUPS 1
#define HAVE_GETHOSTBYADDR 1
#define HAVE_GETHOSTBYNAME 1
#define HAVE_GETHOSTBYNAME_R 1
#define HAVE_GETHOSTBYNAME_R_6_ARG 1
#define HAVE_GETHOSTNAME 1
#define HAVE_GETITIMER 1
#define HAVE_GETLOGIN 1
#define HAVE_GETNAMEINFO 1
#define HAVE_GETPAGESIZE 1
#define HAVE_GETPEERNAME 1
#define HAVE_GETPGID 1
#define HAVE_GETPGRP 1
#define HAVE_GETPID 1
#define HAVE_GETPPID 1
#define HAVE_GETPRIORITY 1
#define HAVE_GETPROTOBYNAME 1
#define HAVE_GETPWENT 1
#define HAVE_GETPWNAM_R 1
#define HAVE_GETPWUID 1
#define HAVE_GETPWUID_R 1
#define HAVE_GETRANDOM 1
#define HAVE_GETRESGID 1
#define HAVE_GETRESUID 1
#define HAVE_GETRUSAGE 1
#define HAVE_GETSERVBYNAME 1
#define HAVE_GETSERVBYPORT 1
#define HAVE_GETSID 1
#define HAVE_GETSOCKNAME 1
#define HAVE_GETUID 1
#define HAVE_HSTRERROR 1
#define HAVE_HTOLE64 1
#define HAVE_IF_NAMEINDEX 1
#define HAVE_INET_ATON 1
#define HAVE_INET_NTOA 1
#define HAVE_INET_PTON 1
#define HAVE_INITGROUPS 1
#define HAVE_KILL 1
#define HAVE_KILLPG 1
#define HAVE_LCHOWN 1
#define HAVE_LINK 1
#define HAVE_LINKAT 1
#define HAVE_LISTEN 1
#define HAVE_LOCKF 1
#define HAVE_LOG1P 1
#define HAVE_LOG2 1
#define HAVE_LSTAT 1
#define HAVE_LUTIMES 1
#define HAVE_MADVISE 1
#define HAVE_MAKEDEV 1
#define HAVE_MBRTOWC 1
#define HAVE_MEMRCHR 1
#define HAVE_MKDIRAT 1
#define HAVE_MKFIFO 1
#define HAVE_MKFIFOAT 1
#define HAVE_MKNOD 1
#define HAVE_MKNODAT 1
#define HAVE_MKTIME 1
#define HAVE_MMAP 1
#define HAVE_MREMAP 1
#define HAVE_NANOSLEEP 1
#define HAVE_OPENAT 1
#define HAVE_OPENDIR 1
#define HAVE_PATHCONF 1
#define HAVE_PAUSE 1
#define HAVE_PIPE 1
#define HAVE_PIPE2 1
#define HAVE_POLL 1
#define HAVE_POSIX_FADVISE 1
#define HAVE_POSIX_FALLOCATE 1
#define HAVE_PREAD 1
#define HAVE_PREADV 1
#define HAVE_PRLIMIT 1
#define HAVE_PROTOTYPES 1
#define HAVE_PTHREAD_CONDATTR_SETCLOCK 1
#define HAVE_PTHREAD_GETCPUCLOCKID 1
#define HAVE_PTHREAD_KILL 1
#define HAVE_PTHREAD_SIGMASK 1
#define HAVE_PWRITE 1
#define HAVE_PWRITEV 1
#define HAVE_READLINK 1
#define HAVE_READLINKAT 1
#define HAVE_READV 1
#define HAVE_REALPATH 1
#define HAVE_RECVFROM 1
#define HAVE_RENAMEAT 1
#define HAVE_SCHED_GET_PRIORITY_MAX 1
#define HAVE_SCHED_RR_GET_INTERVAL 1
#define HAVE_SCHED_SETAFFINITY 1
#define HAVE_SCHED_SETPARAM 1
#define HAVE_SCHED_SETSCHEDULER 1
#define HAVE_SENDTO 1
#define HAVE_SETEGID 1
#define HAVE_SETEUID 1
#define HAVE_SETGID 1
#define HAVE_SETGROUPS 1
#define HAVE_SETITIMER 1
#define HAVE_SETLOCALE 1
#define HAVE_SETPGID 1
#define HAVE_SETPGRP 1
#define HAVE_SETPRIORITY 1
#define HAVE_SETREGID 1
#define HAVE_SETRESGID 1
#define HAVE_SETRESUID 1
#define HAVE_SETREUID 1
#define HAVE_SETSID 1
#define HAVE_SETSOCKOPT 1
#define HAVE_SETUID 1
#define HAVE_SETVBUF 1
#define HAVE_SHUTDOWN 1
#define HAVE_SIGACTION 1
#define HAVE_SIGALTSTACK 1
#define HAVE_SIGFILLSET 1
#define HAVE_SIGINFO_T_SI_BAND 1
#define HAVE_SIGINTERRUPT 1
#define HAVE_SIGPENDING 1
#define HAVE_SIGRELSE 1
#define HAVE_SIGTIMEDWAIT 1
#define HAVE_SIGWAIT 1
#define HAVE_SIGWAITINFO 1
#define HAVE_SNPRINTF 1
#define HAVE_SOCKADDR_STORAGE 1
#define HAVE_SOCKET 1
#define HAVE_SOCKETPAIR 1
#define HAVE_SSIZE_T 1
#define HAVE_STATVFS 1
#define HAVE_STAT_TV_NSEC 1
#define HAVE_STDARG_PROTOTYPES 1
#define HAVE_STD_ATOMIC 1
#define HAVE_STRFTIME 1
#define HAVE_STRLCPY 1
#define HAVE_STRSIGNAL 1
#define HAVE_STRUCT_PASSWD_PW_GECOS 1
#define HAVE_STRUCT_PASSWD_PW_PASSWD 1
#define HAVE_STRUCT_STAT_ST_BLKSIZE 1
#define HAVE_STRUCT_STAT_ST_BLOCKS 1
#define HAVE_STRUCT_STAT_ST_RDEV 1
#define HAVE_STRUCT_TM_TM_ZONE 1
#define HAVE_SYMLINK 1
#define HAVE_SYMLINKAT 1
#define HAVE_SYNC 1
#define HAVE_SYSCONF 1
#define HAVE_TCGETPGRP 1
#define HAVE_TCSETPGRP 1
#define HAVE_TIMEGM 1
#define HAVE_TIMES 1
#define HAVE_TMPFILE 1
#define HAVE_TM_ZONE 1
#define HAVE_TRUNCATE 1
#define HAVE_TTYNAME 1
#define HAVE_UMASK 1
#define HAVE_UNAME 1
#define HAVE_UNLINKAT 1
#define HAVE_UTIMENSAT 1
#define HAVE_UTIMES 1
#define HAVE_WAIT 1
#define HAVE_WAIT3 1
#define HAVE_WAIT4 1
#define HAVE_WAITID 1
#define HAVE_WAITPID 1
#define HAVE_WCSCOLL 1
#define HAVE_WCSFTIME 1
#define HAVE_WCSXFRM 1
#define HAVE_WMEMCMP 1
#define HAVE_WORKING_TZSET 1
#define HAVE_WRITEV 1

/* Interpreter build choices (configure's defaults). */
/* CPython's own allocator over malloc: fewer, larger heap requests. */
#define WITH_PYMALLOC 1
#define WITH_FREELISTS 1
/* Docstrings kept: help() and __doc__ behave as on the host. */
#define WITH_DOC_STRINGS 1
#define WITH_DECIMAL_CONTEXTVAR 1
/* hashlib without OpenSSL: the built-in _md5, _sha1, _sha256, _sha512,
 * _sha3 and _blake2 modules. */
#define PY_BUILTIN_HASHLIB_HASHES "md5,sha1,sha256,sha512,sha3,blake2"
/* musl's only locales are "C" and "C.UTF-8"; PEP 538 coerces C to C.UTF-8. */
#define PY_COERCE_C_LOCALE 1
#define PY_FORMAT_SIZE_T "z"
/* musl is not a PEP 11 platform: tier 0, as configure says. */
#define PY_SUPPORT_TIER 0
#define RETSIGTYPE void
#define MAJOR_IN_SYSMACROS 1
#define SYS_SELECT_WITH_SYS_TIME 1
#define TIME_WITH_SYS_TIME 1
/* pthreads (musl over posix-thread and a uksched scheduler). */
#define PTHREAD_KEY_T_IS_COMPATIBLE_WITH_INT 1
#define PTHREAD_SYSTEM_SCHED_SUPPORTED 1

/* Not a macOS framework build (sys._framework is ""). */
#define _PYTHONFRAMEWORK ""

#endif /* Py_PYCONFIG_H */
