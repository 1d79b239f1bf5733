/* Host shim (unpack_harness.c): the handlers initrd.c calls, with the
 * registry's signatures (os/lib/uksyscall/syscalls.toml). */
struct uk_timespec;
long uk_sys_write(int fd, const void *buf, unsigned long count);
long uk_sys_close(int fd);
long uk_sys_openat(int dfd, const char *filename, int flags, unsigned int mode);
long uk_sys_fchmodat(int dfd, const char *filename, unsigned int mode);
long uk_sys_fchownat(int dfd, const char *filename, unsigned int user,
		     unsigned int group, int flag);
long uk_sys_utimensat(int dfd, const char *filename,
		      const struct uk_timespec *utimes, int flags);
long uk_sys_mkdirat(int dfd, const char *pathname, unsigned int mode);
long uk_sys_unlinkat(int dfd, const char *pathname, int flag);
long uk_sys_linkat(int olddfd, const char *oldname, int newdfd,
		   const char *newname, int flags);
long uk_sys_symlinkat(const char *oldname, int newdfd, const char *newname);
