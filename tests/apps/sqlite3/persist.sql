-- A database file in the rootfs (data/test.db, made by the test with the
-- host's sqlite3): opened, changed in transactions (rollback journal:
-- data/test.db-journal created, synced, deleted), closed, reopened; what
-- was committed must be there, what was rolled back must not. Relative
-- paths: the guest runs in /, the host in a copy of the same rootfs.
.open data/test.db
SELECT 'before', count(*), sum(v) FROM kv;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
INSERT INTO kv(k, v) SELECT 'new' || i, i * 3 FROM n;
COMMIT;
UPDATE kv SET v = v + 1 WHERE k LIKE 'old%';
BEGIN;
DELETE FROM kv;
ROLLBACK;
CREATE INDEX kv_v ON kv(v);
PRAGMA page_count;
.open :memory:
SELECT 'closed', count(*) FROM sqlite_schema;
.open data/test.db
SELECT 'after', count(*), sum(v), max(k) FROM kv;
SELECT name FROM sqlite_schema ORDER BY name;
PRAGMA journal_mode;
PRAGMA integrity_check;
VACUUM;
.open data/test.db
SELECT 'vacuumed', count(*), sum(v) FROM kv;
PRAGMA integrity_check;
