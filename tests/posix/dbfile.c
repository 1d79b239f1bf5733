/* SPDX-License-Identifier: BSD-3-Clause */
/* What a database engine does to its files (SQLite's os_unix.c: apps/sqlite3):
 * pages read and written at offsets (pread/pwrite, holes), the file grown
 * and cut (ftruncate), synced (fdatasync, the directory too), advisory
 * record locks from one process (fcntl F_SETLK/F_GETLK, checked against
 * the descriptor's access mode), the journal unlinked while open, the
 * -shm file and the database mapped MAP_SHARED and kept coherent with
 * pwrite, and fchown to the owner it already has. */
#include "pt.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAGE 4096

static void dbfile_pread_pwrite_pages_and_holes(void)
{
	char page[PAGE], back[PAGE];
	struct stat st;
	int fd = open(pt_path("db"), O_RDWR | O_CREAT, 0644);

	PT_CHECK(fd >= 0);
	memset(page, 0xa5, sizeof(page));
	PT_CHECK(pwrite(fd, page, PAGE, 2 * PAGE) == PAGE);     /* page 3 first: pages 1-2 a hole */
	PT_OK(fstat(fd, &st));
	PT_CHECK(st.st_size == 3 * PAGE);
	PT_CHECK(lseek(fd, 0, SEEK_CUR) == 0);                    /* the offset never moves */
	PT_CHECK(pread(fd, back, PAGE, PAGE) == PAGE);
	for (int i = 0; i < PAGE; i++)
		PT_CHECK(back[i] == 0);
	PT_CHECK(pread(fd, back, PAGE, 2 * PAGE) == PAGE && !memcmp(back, page, PAGE));
	PT_CHECK(pread(fd, back, PAGE, 2 * PAGE + 100) == PAGE - 100);  /* short at EOF */
	PT_CHECK(pread(fd, back, PAGE, 5 * PAGE) == 0);
	PT_ERRNO(pread(fd, back, PAGE, -1), EINVAL);
	PT_OK(close(fd));
}

static void dbfile_ftruncate_cuts_and_grows_with_zeros(void)
{
	char buf[64];
	struct stat st;
	int fd = open(pt_path("db"), O_RDWR | O_CREAT, 0644);

	PT_CHECK(fd >= 0);
	memset(buf, 'x', sizeof(buf));
	PT_CHECK(pwrite(fd, buf, sizeof(buf), 0) == (ssize_t)sizeof(buf));
	PT_OK(ftruncate(fd, 10));
	PT_OK(fstat(fd, &st));
	PT_CHECK(st.st_size == 10);
	PT_OK(ftruncate(fd, 3 * PAGE));                           /* what was cut reads as zeros */
	PT_CHECK(pread(fd, buf, sizeof(buf), 0) == (ssize_t)sizeof(buf));
	PT_CHECK(buf[9] == 'x' && buf[10] == 0 && buf[63] == 0);
	PT_ERRNO(ftruncate(fd, -1), EINVAL);
	PT_OK(close(fd));
	fd = open(pt_path("db"), O_RDONLY);
	PT_CHECK(fd >= 0);
	PT_ERRNO(ftruncate(fd, 0), EINVAL);                       /* not open for writing */
	PT_OK(close(fd));
}

static void dbfile_sync_file_and_directory(void)
{
	int fd = open(pt_path("db"), O_RDWR | O_CREAT, 0644);
	int dir = open(pt_dir(), O_RDONLY | O_DIRECTORY);

	PT_CHECK(fd >= 0 && dir >= 0);
	PT_CHECK(pwrite(fd, "j", 1, 0) == 1);
	PT_OK(fdatasync(fd));
	PT_OK(fsync(fd));
	PT_OK(fdatasync(dir));          /* SQLite syncs the directory after making a journal */
	PT_OK(fsync(dir));
	PT_OK(close(dir));
	PT_OK(close(fd));
}

static int setlk(int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };

	return fcntl(fd, cmd, &fl);
}

static void dbfile_record_locks_of_one_process(void)
{
	struct flock fl;
	int fd = open(pt_path("db"), O_RDWR | O_CREAT, 0644);
	int fd2 = open(pt_path("db"), O_RDWR);

	PT_CHECK(fd >= 0 && fd2 >= 0);
	/* SQLite's lock bytes at 1 GiB: PENDING, RESERVED, the SHARED range */
	PT_OK(setlk(fd, F_SETLK, F_RDLCK, 0x40000000, 1));
	PT_OK(setlk(fd, F_SETLK, F_RDLCK, 0x40000002, 510));
	PT_OK(setlk(fd, F_SETLK, F_UNLCK, 0x40000000, 1));
	PT_OK(setlk(fd, F_SETLK, F_WRLCK, 0x40000001, 1));
	PT_OK(setlk(fd, F_SETLK, F_WRLCK, 0x40000002, 510));
	/* a process never conflicts with its own locks, through any descriptor */
	PT_OK(setlk(fd2, F_SETLK, F_WRLCK, 0x40000002, 510));
	fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0x40000000, .l_len = 1024 };
	PT_OK(fcntl(fd, F_GETLK, &fl));
	PT_CHECK(fl.l_type == F_UNLCK);
	PT_OK(setlk(fd, F_SETLK, F_UNLCK, 0, 0));                 /* all of it */
	fl.l_type = 7;
	PT_ERRNO(fcntl(fd, F_SETLK, &fl), EINVAL);
	PT_ERRNO(fcntl(fd, F_GETLK, &fl), EINVAL);
	PT_OK(close(fd2));
	PT_OK(close(fd));
}

static void dbfile_lock_needs_the_access_mode(void)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };
	int fd;

	PT_OK(pt_make_file("db", "data"));
	fd = open(pt_path("db"), O_RDONLY);
	PT_CHECK(fd >= 0);
	PT_OK(setlk(fd, F_SETLK, F_RDLCK, 0, 1));                 /* a read-only database */
	PT_ERRNO(setlk(fd, F_SETLK, F_WRLCK, 0, 1), EBADF);
	PT_OK(fcntl(fd, F_GETLK, &fl));                           /* asking needs no mode */
	PT_CHECK(fl.l_type == F_UNLCK);
	PT_OK(close(fd));
	fd = open(pt_path("db"), O_WRONLY);
	PT_CHECK(fd >= 0);
	PT_ERRNO(setlk(fd, F_SETLK, F_RDLCK, 0, 1), EBADF);
	PT_OK(setlk(fd, F_SETLK, F_WRLCK, 0, 1));
	PT_OK(setlk(fd, F_SETLK, F_UNLCK, 0, 1));
	PT_OK(close(fd));
	fd = open(pt_path("db"), O_PATH);
	PT_CHECK(fd >= 0);
	PT_ERRNO(setlk(fd, F_SETLK, F_RDLCK, 0, 1), EBADF);
	PT_OK(close(fd));
}

static void dbfile_journal_unlinked_while_open(void)
{
	char buf[8] = { 0 };
	struct stat st;
	int fd = open(pt_path("db-journal"), O_RDWR | O_CREAT | O_EXCL, 0644);

	PT_CHECK(fd >= 0);
	PT_CHECK(pwrite(fd, "journal", 7, 0) == 7);
	PT_OK(unlink(pt_path("db-journal")));
	PT_ERRNO(access(pt_path("db-journal"), F_OK), ENOENT);
	PT_OK(fstat(fd, &st));
	PT_CHECK(st.st_nlink == 0 && st.st_size == 7);
	PT_CHECK(pread(fd, buf, sizeof(buf), 0) == 7 && !strcmp(buf, "journal"));
	PT_OK(close(fd));
	fd = open(pt_path("db-journal"), O_RDWR | O_CREAT | O_EXCL, 0644);   /* the name is free */
	PT_CHECK(fd >= 0);
	PT_OK(close(fd));
}

static void dbfile_shared_mapping_is_coherent_with_pwrite(void)
{
	char buf[16];
	int fd = open(pt_path("db-shm"), O_RDWR | O_CREAT, 0644);
	char *m;

	PT_CHECK(fd >= 0);
	PT_OK(ftruncate(fd, 2 * PAGE));                           /* SQLite grows -shm, then maps it */
	m = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	PT_CHECK(m != MAP_FAILED);
	memcpy(m + PAGE + 8, "mapped", 7);
	PT_CHECK(pread(fd, buf, 7, PAGE + 8) == 7 && !strcmp(buf, "mapped"));
	PT_CHECK(pwrite(fd, "written", 8, 16) == 8);
	PT_CHECK(!strcmp(m + 16, "written"));
	PT_OK(msync(m, 2 * PAGE, MS_SYNC));
	PT_OK(munmap(m, 2 * PAGE));
	/* a second mapping, read-only (the database with PRAGMA mmap_size) */
	m = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, PAGE);
	PT_CHECK(m != MAP_FAILED);
	PT_CHECK(!strcmp(m + 8, "mapped"));
	PT_OK(munmap(m, PAGE));
	PT_OK(close(fd));
}

static void dbfile_fchown_to_its_owner_and_fchmod(void)
{
	struct stat st;
	int fd = open(pt_path("db"), O_RDWR | O_CREAT, 0600);

	PT_CHECK(fd >= 0);
	PT_OK(fstat(fd, &st));
	PT_OK(fchown(fd, st.st_uid, st.st_gid));                  /* SQLite, as root: the db's owner */
	PT_OK(fchmod(fd, 0644));
	PT_OK(fstat(fd, &st));
	PT_CHECK((st.st_mode & 07777) == 0644);
	PT_OK(close(fd));
}

const struct pt_case pt_dbfile_cases[] = {
	PT_CASE(dbfile_pread_pwrite_pages_and_holes),
	PT_CASE(dbfile_ftruncate_cuts_and_grows_with_zeros),
	PT_CASE(dbfile_sync_file_and_directory),
	PT_CASE(dbfile_record_locks_of_one_process),
	PT_CASE(dbfile_lock_needs_the_access_mode),
	PT_CASE(dbfile_journal_unlinked_while_open),
	PT_CASE(dbfile_shared_mapping_is_coherent_with_pwrite),
	PT_CASE(dbfile_fchown_to_its_owner_and_fchmod),
	PT_END
};
