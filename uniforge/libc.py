"""Which undefined symbols are C library functions, and which libc has them.

When a link fails on `fopen`, the message should say that the selected libc
lacks it and name a libc that has it. A libc library declares what it
provides:
- the selected libc: the global symbols its built partial object
  (lib/lib<name>.o) defines — exact, cannot drift from its sources;
- any other libc in the tree: a `symbols.txt` in its folder (one name per
  line, `#` comments), since it was not built.

STANDARD_FUNCTIONS is how we recognise a libc function at all: the functions
that glibc's headers declare for ISO C11 and POSIX.1-2008 (generated once
with `gcc -D_POSIX_C_SOURCE=200809L -std=c11 -aux-info` over the standard
headers; names only, no code).
"""
from __future__ import annotations

from pathlib import Path

STANDARD_FUNCTIONS = frozenset("""
abort abs accept access acos acosf acosh acoshf acoshl acosl alarm aligned_alloc alphasort
asctime asctime_r asin asinf asinh asinhf asinhl asinl at_quick_exit atan atan2 atan2f atan2l
atanf atanh atanhf atanhl atanl atexit atof atoi atol atoll bind bsearch btowc c16rtomb c32rtomb
call_once calloc cbrt cbrtf cbrtl ceil ceilf ceill cfgetispeed cfgetospeed cfsetispeed
cfsetospeed chdir chmod chown clearerr clock clock_getcpuclockid clock_getres clock_gettime
clock_nanosleep clock_settime close closedir cnd_broadcast cnd_destroy cnd_init cnd_signal
cnd_timedwait cnd_wait confstr connect copysign copysignf copysignl cos cosf cosh coshf coshl
cosl creat ctermid ctime ctime_r difftime dirfd dirname div dlclose dlerror dlopen dlsym dprintf
dup dup2 duplocale endhostent endnetent endprotoent endservent erf erfc erfcf erfcl erff erfl
execl execle execlp execv execve execvp exit exp exp2 exp2f exp2l expf expl expm1 expm1f expm1l
fabs fabsf fabsl faccessat fchdir fchmod fchmodat fchown fchownat fclose fcntl fdatasync fdim
fdimf fdiml fdopen fdopendir feclearexcept fegetenv fegetexceptflag fegetround feholdexcept feof
feraiseexcept ferror fesetenv fesetexceptflag fesetround fetestexcept feupdateenv fexecve fflush
fgetc fgetpos fgets fgetwc fgetws fileno flockfile floor floorf floorl fma fmaf fmal fmax fmaxf
fmaxl fmemopen fmin fminf fminl fmod fmodf fmodl fnmatch fopen fork fpathconf fprintf fputc
fputs fputwc fputws fread free freeaddrinfo freelocale freopen frexp frexpf frexpl fscanf fseek
fseeko fsetpos fstat fstatat fsync ftell ftello ftruncate ftrylockfile funlockfile futimens
fwide fwprintf fwrite fwscanf gai_strerror getaddrinfo getc getc_unlocked getchar
getchar_unlocked getcwd getdelim getegid getenv geteuid getgid getgrgid getgrgid_r getgrnam
getgrnam_r getgroups gethostbyaddr gethostbyname gethostent gethostname getitimer getline
getlogin getlogin_r getnameinfo getnetbyaddr getnetbyname getnetent getopt getpeername getpgid
getpgrp getpid getppid getpriority getprotobyname getprotobynumber getprotoent getpwnam
getpwnam_r getpwuid getpwuid_r getrlimit getrusage getservbyname getservbyport getservent getsid
getsockname getsockopt getsubopt gettimeofday getuid getwc getwchar glob globfree gmtime
gmtime_r htonl htons hypot hypotf hypotl ilogb ilogbf ilogbl imaxabs imaxdiv inet_addr
inet_lnaof inet_makeaddr inet_netof inet_network inet_ntoa inet_ntop inet_pton isalnum isalnum_l
isalpha isalpha_l isatty isblank isblank_l iscntrl iscntrl_l isdigit isdigit_l isgraph isgraph_l
islower islower_l isprint isprint_l ispunct ispunct_l isspace isspace_l isupper isupper_l
iswalnum iswalnum_l iswalpha iswalpha_l iswblank iswblank_l iswcntrl iswcntrl_l iswctype
iswctype_l iswdigit iswdigit_l iswgraph iswgraph_l iswlower iswlower_l iswprint iswprint_l
iswpunct iswpunct_l iswspace iswspace_l iswupper iswupper_l iswxdigit iswxdigit_l isxdigit
isxdigit_l kill labs lchown ldexp ldexpf ldexpl ldiv lgamma lgammaf lgammal link linkat listen
llabs lldiv llrint llrintf llrintl llround llroundf llroundl localeconv localtime localtime_r
log log10 log10f log10l log1p log1pf log1pl log2 log2f log2l logb logbf logbl logf logl longjmp
lrint lrintf lrintl lround lroundf lroundl lseek lstat malloc mblen mbrlen mbrtoc16 mbrtoc32
mbrtowc mbsinit mbsnrtowcs mbsrtowcs mbstowcs mbtowc memchr memcmp memcpy memmove memset mkdir
mkdirat mkdtemp mkfifo mkfifoat mkstemp mktime mlock mlockall mmap modf modff modfl mprotect
msync mtx_destroy mtx_init mtx_lock mtx_timedlock mtx_trylock mtx_unlock munlock munlockall
munmap nan nanf nanl nanosleep nearbyint nearbyintf nearbyintl newlocale nextafter nextafterf
nextafterl nexttoward nexttowardf nexttowardl ntohl ntohs open open_memstream open_wmemstream
openat opendir pathconf pause pclose perror pipe poll popen posix_fadvise posix_fallocate
posix_madvise posix_memalign pow powf powl pread printf pselect psiginfo psignal pthread_atfork
pthread_attr_destroy pthread_attr_getdetachstate pthread_attr_getguardsize
pthread_attr_getinheritsched pthread_attr_getschedparam pthread_attr_getschedpolicy
pthread_attr_getscope pthread_attr_getstack pthread_attr_getstackaddr pthread_attr_getstacksize
pthread_attr_init pthread_attr_setdetachstate pthread_attr_setguardsize
pthread_attr_setinheritsched pthread_attr_setschedparam pthread_attr_setschedpolicy
pthread_attr_setscope pthread_attr_setstack pthread_attr_setstackaddr pthread_attr_setstacksize
pthread_barrier_destroy pthread_barrier_init pthread_barrier_wait pthread_barrierattr_destroy
pthread_barrierattr_getpshared pthread_barrierattr_init pthread_barrierattr_setpshared
pthread_cancel pthread_cond_broadcast pthread_cond_destroy pthread_cond_init pthread_cond_signal
pthread_cond_timedwait pthread_cond_wait pthread_condattr_destroy pthread_condattr_getclock
pthread_condattr_getpshared pthread_condattr_init pthread_condattr_setclock
pthread_condattr_setpshared pthread_create pthread_detach pthread_equal pthread_exit
pthread_getcpuclockid pthread_getschedparam pthread_getspecific pthread_join pthread_key_create
pthread_key_delete pthread_kill pthread_mutex_consistent pthread_mutex_destroy
pthread_mutex_getprioceiling pthread_mutex_init pthread_mutex_lock pthread_mutex_setprioceiling
pthread_mutex_timedlock pthread_mutex_trylock pthread_mutex_unlock pthread_mutexattr_destroy
pthread_mutexattr_getprioceiling pthread_mutexattr_getprotocol pthread_mutexattr_getpshared
pthread_mutexattr_getrobust pthread_mutexattr_gettype pthread_mutexattr_init
pthread_mutexattr_setprioceiling pthread_mutexattr_setprotocol pthread_mutexattr_setpshared
pthread_mutexattr_setrobust pthread_mutexattr_settype pthread_once pthread_rwlock_destroy
pthread_rwlock_init pthread_rwlock_rdlock pthread_rwlock_timedrdlock pthread_rwlock_timedwrlock
pthread_rwlock_tryrdlock pthread_rwlock_trywrlock pthread_rwlock_unlock pthread_rwlock_wrlock
pthread_rwlockattr_destroy pthread_rwlockattr_getkind_np pthread_rwlockattr_getpshared
pthread_rwlockattr_init pthread_rwlockattr_setkind_np pthread_rwlockattr_setpshared pthread_self
pthread_setcancelstate pthread_setcanceltype pthread_setschedparam pthread_setschedprio
pthread_setspecific pthread_sigmask pthread_spin_destroy pthread_spin_init pthread_spin_lock
pthread_spin_trylock pthread_spin_unlock pthread_testcancel putc putc_unlocked putchar
putchar_unlocked puts putwc putwchar pwrite qsort quick_exit raise rand rand_r read readdir
readdir_r readlink readlinkat readv realloc recv recvfrom recvmsg regcomp regerror regexec
regfree remainder remainderf remainderl remove remquo remquof remquol rename renameat rewind
rewinddir rint rintf rintl rmdir round roundf roundl scalbln scalblnf scalblnl scalbn scalbnf
scalbnl scandir scanf sched_get_priority_max sched_get_priority_min sched_getparam
sched_getscheduler sched_rr_get_interval sched_setparam sched_setscheduler sched_yield select
sem_close sem_destroy sem_getvalue sem_init sem_open sem_post sem_timedwait sem_trywait
sem_unlink sem_wait send sendmsg sendto setbuf setegid setenv seteuid setgid sethostent
setitimer setjmp setlocale setnetent setpgid setpriority setprotoent setrlimit setservent setsid
setsockopt setuid setvbuf shm_open shm_unlink shutdown sigaction sigaddset sigdelset sigemptyset
sigfillset sigismember siglongjmp signal sigpending sigprocmask sigqueue sigsuspend sigtimedwait
sigwait sigwaitinfo sin sinf sinh sinhf sinhl sinl sleep snprintf sockatmark socket socketpair
sprintf sqrt sqrtf sqrtl srand sscanf stat stpcpy stpncpy strcasecmp strcasecmp_l strcat strchr
strcmp strcoll strcoll_l strcpy strcspn strdup strerror strerror_l strerror_r strftime
strftime_l strlen strncasecmp strncasecmp_l strncat strncmp strncpy strndup strnlen strpbrk
strrchr strsignal strspn strstr strtod strtof strtoimax strtok strtok_r strtol strtold strtoll
strtoul strtoull strtoumax strxfrm strxfrm_l swprintf swscanf symlink symlinkat sysconf system
tan tanf tanh tanhf tanhl tanl tcdrain tcflow tcflush tcgetattr tcgetpgrp tcgetsid tcsendbreak
tcsetattr tcsetpgrp tgamma tgammaf tgammal thrd_create thrd_current thrd_detach thrd_equal
thrd_exit thrd_join thrd_sleep thrd_yield time timer_create timer_delete timer_getoverrun
timer_gettime timer_settime timespec_get tmpfile tmpnam tolower tolower_l toupper toupper_l
towctrans towctrans_l towlower towlower_l towupper towupper_l trunc truncate truncf truncl
tss_create tss_delete tss_get tss_set ttyname ttyname_r tzset umask uname ungetc ungetwc unlink
unlinkat unsetenv uselocale utimensat utimes vdprintf vfprintf vfscanf vfwprintf vfwscanf
vprintf vscanf vsnprintf vsprintf vsscanf vswprintf vswscanf vwprintf vwscanf wait waitid
waitpid wcpcpy wcpncpy wcrtomb wcscasecmp wcscasecmp_l wcscat wcschr wcscmp wcscoll wcscoll_l
wcscpy wcscspn wcsdup wcsftime wcslen wcsncasecmp wcsncasecmp_l wcsncat wcsncmp wcsncpy wcsnlen
wcsnrtombs wcspbrk wcsrchr wcsrtombs wcsspn wcsstr wcstod wcstof wcstoimax wcstok wcstol wcstold
wcstoll wcstombs wcstoul wcstoull wcstoumax wcsxfrm wcsxfrm_l wctob wctomb wctrans wctrans_l
wctype wctype_l wmemchr wmemcmp wmemcpy wmemmove wmemset wprintf write writev wscanf
""".split())


def declared_symbols(lib_dir: Path) -> set[str] | None:
    """The names in lib_dir/symbols.txt; None if the libc declares nothing."""
    f = Path(lib_dir) / "symbols.txt"
    if not f.is_file():
        return None
    return {w for line in f.read_text().splitlines()
            for w in line.split("#", 1)[0].split()}


def archive_symbols(data: bytes) -> set[str]:
    """The symbols an `ar` archive's index (its first member, `/`: a
    big-endian count, the members' offsets, then the names, NUL-terminated)
    says its members define. Empty when it has no index."""
    if not data.startswith(b"!<arch>\n") or data[8:10] != b"/ ":
        return set()
    size = int(data[8 + 48:8 + 58].decode().strip())
    body = data[8 + 60:8 + 60 + size]
    count = int.from_bytes(body[:4], "big")
    names = body[4 + 4 * count:].split(b"\0")[:count]
    return {n.decode() for n in names}


def defined_symbols(obj: Path) -> set[str]:
    """Global symbols defined in an ELF object (a libc's partial link), or
    in an archive's members (its index)."""
    from elftools.elf.elffile import ELFFile
    if obj.suffix == ".a":
        return archive_symbols(obj.read_bytes())
    out = set()
    with open(obj, "rb") as f:
        for sec in ELFFile(f).iter_sections():
            if sec.header.sh_type != "SHT_SYMTAB":
                continue
            for s in sec.iter_symbols():
                if s.entry.st_info.bind in ("STB_GLOBAL", "STB_WEAK") and s.entry.st_shndx != "SHN_UNDEF":
                    out.add(s.name)
    return out


def explain_undefined(undefined: list[str], selected: str | None,
                      provided: dict[str, set[str] | None]) -> list[str]:
    """Hint lines for undefined symbols that are C library functions.

    selected: the libc in the image (None: no libc selected); provided:
    libc name → the symbols it provides (None: it declares nothing)."""
    missing = [s for s in undefined if s in STANDARD_FUNCTIONS
               or any(s in (syms or ()) for syms in provided.values())]
    if not missing:
        return []
    hints = []
    for sym in missing:
        if selected is None:
            where = "no libc is selected"
        else:
            where = f"the selected libc, {selected}, does not provide it"
        others = sorted(name for name, syms in provided.items()
                        if name != selected and syms and sym in syms)
        if others:
            fix = ("; " + " and ".join(others) + (" has" if len(others) == 1 else " have") +
                   f" it (choose it with `libraries: [{others[0]}]` in uniforge.yaml, or "
                   f"CONFIG_LIBC_{others[0].upper()}=y)")
        else:
            fix = "; no other libc in the tree provides it" if selected else ""
        hints.append(f"{sym}() is a C library function: {where}{fix}")
    return hints
