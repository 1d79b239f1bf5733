/* Host shim (unpack_harness.c): vfscore's constants are Linux's. */
#include <fcntl.h>
#define UK_AT_FDCWD            AT_FDCWD
#define UK_AT_SYMLINK_NOFOLLOW AT_SYMLINK_NOFOLLOW
#define UK_O_WRONLY            O_WRONLY
#define UK_O_CREAT             O_CREAT
#define UK_O_TRUNC             O_TRUNC
#define UK_O_NOFOLLOW          O_NOFOLLOW
