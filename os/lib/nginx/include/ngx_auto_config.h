/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ngx_auto_config.h: nginx's build configuration, what its configure
 * script writes to objs/ngx_auto_config.h. configure finds each feature
 * by compiling AND running a test program on the build machine, which
 * cannot work for a cross target, so the answers are written here by
 * hand, one comment per choice. The reference was configure run on this
 * Debian 12 host with `--with-cc=musl-gcc` (the same musl 1.2.3): every
 * "yes" below it found too; the "no"s are our choices (uniforge runs one
 * nginx process on one CPU with no worker processes, no threads, no
 * dynamic modules). The headers half is ngx_auto_headers.h; the module
 * list is generated (modules.toml -> ngx_modules.c).
 *
 * Module-dependent features follow the Kconfig options (CONFIG_LIBNGINX_*,
 * os/lib/nginx/Config.uk), as configure's --with/--without options would.
 */
#ifndef NGX_UK_AUTO_CONFIG_H
#define NGX_UK_AUTO_CONFIG_H

#define NGX_CONFIGURE " (uniforge: os/lib/nginx/include/ngx_auto_config.h)"
#define NGX_COMPILER  "gcc " __VERSION__

/* ---- compiler (auto/cc/conf): GCC */
#define NGX_HAVE_GCC_ATOMIC           1   /* __sync_* builtins: ngx_atomic_* */
#define NGX_HAVE_C99_VARIADIC_MACROS  1
#define NGX_HAVE_GCC_VARIADIC_MACROS  1
#define NGX_HAVE_GCC_BSWAP64          1

/* ---- event method: epoll (posix-event) */
#define NGX_HAVE_EPOLL                1
#define NGX_HAVE_CLEAR_EVENT          1   /* EPOLLET: nginx adds connections edge-triggered */
#define NGX_HAVE_EPOLLRDHUP           1   /* posix-socket reports the peer's shutdown */
/* EPOLLEXCLUSIVE only matters when several worker processes share a
 * listening socket: there is one process */
/* #undef NGX_HAVE_EPOLLEXCLUSIVE */
/* eventfd is nginx's wake-up for thread pools and file AIO (notify):
 * neither is built, so the eventfd would never be written */
/* #undef NGX_HAVE_EVENTFD */
/* #undef NGX_HAVE_SYS_EVENTFD_H */
/* file AIO (io_setup...) is not in our syscall layer: not built */
/* #undef NGX_HAVE_FILE_AIO */

/* ---- files */
#define NGX_HAVE_SENDFILE             1   /* `sendfile on;` (stock config): posix-fdtab's sendfile */
#define NGX_HAVE_SENDFILE64           1   /* musl's sendfile takes a 64-bit off_t */
#define NGX_HAVE_PREAD                1
#define NGX_HAVE_PWRITE               1   /* log and temporary files */
#define NGX_HAVE_PWRITEV              1
#define NGX_HAVE_OPENAT               1   /* `disable_symlinks` walks paths with openat/fstatat */
/* O_PATH: `disable_symlinks` would open directories with it; vfscore has
 * no O_PATH descriptors, so nginx uses O_RDONLY|O_DIRECTORY (its fallback) */
/* #undef NGX_HAVE_O_PATH */
/* O_DIRECT, posix_fadvise, statfs/statvfs serve `directio` and
 * `read_ahead` on disks: files here are in RAM (ramfs), nothing to tune;
 * without them nginx's `directio` is a no-op and the block size 512 */
/* #undef NGX_HAVE_O_DIRECT */
/* #undef NGX_HAVE_ALIGNED_DIRECTIO */
/* #undef NGX_HAVE_POSIX_FADVISE */
/* #undef NGX_HAVE_STATFS */
/* #undef NGX_HAVE_STATVFS */
#define NGX_HAVE_D_TYPE               1   /* struct dirent.d_type (autoindex) */

/* ---- processes: one process, no workers, no dynamic modules */
/* prctl(PR_SET_DUMPABLE/KEEPCAPS) and capabilities: worker processes only */
/* #undef NGX_HAVE_PR_SET_DUMPABLE */
/* #undef NGX_HAVE_PR_SET_KEEPCAPS */
/* sched_setaffinity: worker_cpu_affinity, for workers; one CPU anyway */
/* #undef NGX_HAVE_SCHED_SETAFFINITY */
#define NGX_HAVE_SCHED_YIELD          1   /* ngx_shmtx's spin: posix-process */
/* dlopen: `load_module` needs a dynamic loader; the image is static */
/* #undef NGX_HAVE_DLOPEN */
#define NGX_HAVE_SC_NPROCESSORS_ONLN  1   /* sysconf: ngx_ncpu */
#define NGX_HAVE_LOCALTIME_R          1
#define NGX_HAVE_CLOCK_MONOTONIC      1   /* timers: ngx_monotonic_time */
#define NGX_HAVE_GMTOFF               1   /* struct tm.tm_gmtoff */

/* ---- memory */
#define NGX_HAVE_POSIX_MEMALIGN       1
#define NGX_HAVE_MEMALIGN             1
/* shared memory zones (limit_req, limit_conn, upstream zone) are
 * mmap(MAP_ANON|MAP_SHARED): one process, so "shared" is private memory */
#define NGX_HAVE_MAP_ANON             1
/* the other two ways to get shared memory are not needed with MAP_ANON */
/* #undef NGX_HAVE_MAP_DEVZERO */
/* #undef NGX_HAVE_SYSVSHM */
/* POSIX semaphores let processes sleep on ngx_shmtx: one process never
 * waits for another (the spin path with sched_yield is enough) */
/* #undef NGX_HAVE_POSIX_SEM */

/* ---- sockets (posix-socket over lwIP) */
#define NGX_HAVE_ACCEPT4              1
#define NGX_HAVE_FIONBIO              1   /* ngx_nonblocking: ioctl(FIONBIO), posix-fdtab */
#define NGX_HAVE_FIONREAD             1   /* ngx_socket_nread: posix-socket */
#define NGX_HAVE_MSGHDR_MSG_CONTROL   1   /* struct msghdr has it (musl) */
#define NGX_HAVE_INET6                1   /* AF_INET6 code; used when lwIP has IPv6 (LIBLWIP_IPV6) */
#define NGX_HAVE_GETADDRINFO          1   /* host names in proxy_pass/listen: musl's resolver */
/* AF_UNIX is socketpair only (no paths to bind): no `listen unix:` */
/* #undef NGX_HAVE_UNIX_DOMAIN */
/* Socket options for `listen` parameters and $tcpinfo_*, which lwIP does
 * not have (SO_REUSEPORT, TCP_DEFER_ACCEPT, TCP_FASTOPEN, TCP_INFO,
 * TCP_KEEPIDLE..., IP_TRANSPARENT, IP_BIND_ADDRESS_NO_PORT, IP_PKTINFO
 * and IPV6_RECVPKTINFO for UDP): without them nginx refuses the parameter
 * when the configuration is read, instead of failing a setsockopt. */
/* #undef NGX_HAVE_REUSEPORT */
/* #undef NGX_HAVE_DEFERRED_ACCEPT */
/* #undef NGX_HAVE_TCP_FASTOPEN */
/* #undef NGX_HAVE_TCP_INFO */
/* #undef NGX_HAVE_KEEPALIVE_TUNABLE */
/* #undef NGX_HAVE_TRANSPARENT_PROXY */
/* #undef NGX_HAVE_IP_BIND_ADDRESS_NO_PORT */
/* #undef NGX_HAVE_IP_PKTINFO */
/* #undef NGX_HAVE_IPV6_RECVPKTINFO */

/* ---- machine (auto/os/conf, auto/types/*): LP64, little-endian */
#define NGX_PTR_SIZE                  8
#define NGX_SIG_ATOMIC_T_SIZE         4
#define NGX_HAVE_LITTLE_ENDIAN        1
#define NGX_MAX_SIZE_T_VALUE          9223372036854775807LL
#define NGX_SIZE_T_LEN                (sizeof("-9223372036854775808") - 1)
#define NGX_MAX_OFF_T_VALUE           9223372036854775807LL
#define NGX_OFF_T_LEN                 (sizeof("-9223372036854775808") - 1)
#define NGX_TIME_T_SIZE               8
#define NGX_TIME_T_LEN                (sizeof("-9223372036854775808") - 1)
#define NGX_MAX_TIME_T_VALUE          9223372036854775807LL
#define NGX_CPU_CACHE_LINE            64
#if defined(__x86_64__)
#define NGX_HAVE_NONALIGNED           1   /* x86 reads unaligned words */
#else
#define NGX_ALIGNMENT                 16  /* configure's value for aarch64 */
#endif
#define NGX_KQUEUE_UDATA_T            (void *)
#define NGX_SMP                       1   /* configure's default: atomics with barriers */
#define NGX_SUPPRESS_WARN             1

/* ---- features that follow the chosen modules (auto/modules) */
#if defined(CONFIG_LIBNGINX_HTTP_PROXY) || defined(CONFIG_LIBNGINX_HTTP_FASTCGI) \
    || defined(CONFIG_LIBNGINX_HTTP_UWSGI) || defined(CONFIG_LIBNGINX_HTTP_SCGI)
#define NGX_HTTP_CACHE                1   /* proxy_cache & co. (ngx_http_file_cache.c) */
#endif
#if defined(CONFIG_LIBNGINX_HTTP_SSI)
#define NGX_HTTP_SSI                  1
#endif
#if defined(CONFIG_LIBNGINX_HTTP_AUTH_BASIC)
#define NGX_CRYPT                     1   /* musl's crypt() */
#endif
#if defined(CONFIG_LIBNGINX_HTTP_PROXY) || defined(CONFIG_LIBNGINX_HTTP_GEO) \
    || defined(CONFIG_LIBNGINX_HTTP_REALIP)
#define NGX_HTTP_X_FORWARDED_FOR      1
#endif
#if defined(CONFIG_LIBNGINX_HTTP_REALIP)
#define NGX_HTTP_REALIP               1
#endif
#if defined(CONFIG_LIBNGINX_HTTP_DAV)
#define NGX_HTTP_DAV                  1
#endif
#if defined(CONFIG_LIBNGINX_HTTP_UPSTREAM_ZONE)
#define NGX_HTTP_UPSTREAM_ZONE        1
#endif
#if defined(CONFIG_LIBNGINX_HTTP_STUB_STATUS)
#define NGX_STAT_STUB                 1
#endif
/* not built (need libraries we do not build): NGX_PCRE (regular
 * expressions: `location ~`, rewrite), NGX_HTTP_GZIP (zlib), NGX_OPENSSL
 * and NGX_HTTP_SSL, NGX_HTTP_V2; NGX_THREADS (thread pools) */

/* ---- paths. The prefix is the guest's /, laid out as nginx's own
 * install tree: /conf/nginx.conf, /conf/mime.types, /html/ (the app's
 * rootfs ships them). Relative paths in the configuration are under it. */
#define NGX_PREFIX                    "/"
#define NGX_CONF_PREFIX               "/conf/"
#define NGX_SBIN_PATH                 "/nginx"    /* only shown by `nginx -V`; the image */
#define NGX_CONF_PATH                 "/conf/nginx.conf"
/* the pid and lock files go to / (ramfs), which always exists: the stock
 * layout's logs/ would be one more folder every rootfs must carry */
#define NGX_PID_PATH                  "/nginx.pid"
#define NGX_LOCK_PATH                 "/nginx.lock"
/* "" is nginx's "stderr" (ngx_log_init, ngx_conf_open_file): the error
 * log goes to the console, where `uniforge run` shows it, instead of a
 * file in RAM nobody can read */
#define NGX_ERROR_LOG_PATH            ""
/* access log: the default when the configuration names none. Our
 * nginx.conf has `access_log off;` (a console line per request costs
 * more than the request); one that wants a log gets the console
 * (devfs's /dev/console), not a file growing in RAM */
#define NGX_HTTP_LOG_PATH             "/dev/console"
/* temporary files (request bodies, proxied responses): configure's
 * names, under the prefix, in ramfs; nginx creates the folders at start */
#define NGX_HTTP_CLIENT_TEMP_PATH     "client_body_temp"
#define NGX_HTTP_PROXY_TEMP_PATH      "proxy_temp"
#define NGX_HTTP_FASTCGI_TEMP_PATH    "fastcgi_temp"
#define NGX_HTTP_UWSGI_TEMP_PATH      "uwsgi_temp"
#define NGX_HTTP_SCGI_TEMP_PATH       "scgi_temp"
/* the `user` default: when nginx runs as root (it does: geteuid() is 0)
 * it looks this user up in /etc/passwd at start. A unikernel has one
 * user; vfscore's default /etc/passwd and /etc/group name root only,
 * and `user` only matters for worker processes (none here). */
#define NGX_USER                      "root"
#define NGX_GROUP                     "root"

#endif
