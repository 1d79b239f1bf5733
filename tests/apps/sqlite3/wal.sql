-- A database made in the run in WAL mode (tests/apps/test_sqlite3.py):
-- the -wal and -shm files (the -shm mapped MAP_SHARED), a checkpoint,
-- reads through mmap. Not on linuxu: a ramfs file cannot be mapped
-- MAP_SHARED there (os/lib/posix-mmap/host.c).
.open data/wal.db
PRAGMA journal_mode=WAL;
CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
INSERT INTO t SELECT i, hex(zeroblob(20)) || i FROM n;
SELECT count(*), sum(a) FROM t;
PRAGMA wal_checkpoint(TRUNCATE);
PRAGMA mmap_size=10000000;
SELECT count(*), max(b) FROM t;
UPDATE t SET b = 'x' WHERE a % 7 = 0;
.open data/wal.db
PRAGMA journal_mode;
SELECT count(*), sum(length(b)) FROM t;
PRAGMA integrity_check;
