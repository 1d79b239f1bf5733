/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ngx_auto_headers.h: which system headers nginx may include, what its
 * configure writes to objs/ngx_auto_headers.h (auto/headers, auto/os/linux)
 * after compiling a test program per header. We cannot run configure for
 * the guest, so the answers are written here, for musl 1.2.3 (every one
 * checked against musl's include/: the header exists there) on uniforge.
 * The other half is ngx_auto_config.h (features and paths).
 */
#ifndef NGX_UK_AUTO_HEADERS_H
#define NGX_UK_AUTO_HEADERS_H

#define NGX_HAVE_UNISTD_H       1
#define NGX_HAVE_INTTYPES_H     1
#define NGX_HAVE_LIMITS_H       1
#define NGX_HAVE_SYS_PARAM_H    1
#define NGX_HAVE_SYS_MOUNT_H    1
#define NGX_HAVE_SYS_STATVFS_H  1

/* the OS: nginx's Linux port (src/os/unix/ngx_linux_*), since our
 * syscall layer is Linux's ABI */
#define NGX_LINUX               1

/* prctl(PR_SET_DUMPABLE) is only called by worker processes, which we
 * never start (master_process off); the header is harmless */
#define NGX_HAVE_SYS_PRCTL_H    1
/* statfs() comes from here; it is not used (NGX_HAVE_STATFS 0) */
#define NGX_HAVE_SYS_VFS_H      1

#endif
