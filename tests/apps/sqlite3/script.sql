-- The acceptance script for apps/sqlite3 (tests/apps/test_sqlite3.py): its
-- output must be byte-identical to the host's Debian sqlite3 on the same
-- script. Tables, a 10k-row insert in a transaction, joins, aggregates, an
-- index, a view, CTEs, dot-commands of the shell. Only deterministic
-- functions (no random(), no 'now'); floats through SQLite's own printf.
.print == schema
CREATE TABLE dept(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, city TEXT);
CREATE TABLE emp(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  dept_id INTEGER REFERENCES dept(id),
  salary REAL,
  hired TEXT
);
CREATE TABLE sale(id INTEGER PRIMARY KEY, emp_id INTEGER, amount INTEGER, day TEXT);
INSERT INTO dept(name, city) VALUES
  ('engineering', 'Paris'), ('sales', 'Lyon'), ('support', 'Paris'),
  ('research', 'Grenoble'), ('empty', NULL);
.tables
.schema dept

.print == 10k rows in one transaction
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
INSERT INTO emp(name, dept_id, salary, hired)
  SELECT printf('emp%05d', i), 1 + (i * 7) % 4, 30000 + (i * 37) % 50000 + (i % 100) / 4.0,
         date('2020-01-01', '+' || (i % 1500) || ' days')
  FROM n;
COMMIT;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
INSERT INTO sale(emp_id, amount, day)
  SELECT 1 + (i * 7919) % 10000, (i * 131) % 997, date('2023-01-01', '+' || (i % 365) || ' days')
  FROM n;
COMMIT;
SELECT count(*), min(id), max(id), sum(salary), total(salary) FROM emp;
SELECT count(*), sum(amount), avg(amount) FROM sale;

.print == an index
CREATE INDEX emp_dept ON emp(dept_id, salary);
CREATE INDEX sale_emp ON sale(emp_id);
.indexes
EXPLAIN QUERY PLAN SELECT name FROM emp WHERE dept_id = 2 AND salary > 79000;
SELECT name, salary FROM emp WHERE dept_id = 2 AND salary > 79990 ORDER BY salary DESC, name;

.print == joins and aggregates
.headers on
.mode column
SELECT d.name AS dept, count(e.id) AS n, printf('%.2f', avg(e.salary)) AS avg_salary,
       min(e.salary) AS lo, max(e.salary) AS hi
FROM dept d LEFT JOIN emp e ON e.dept_id = d.id
GROUP BY d.id ORDER BY d.name;
SELECT d.city, count(DISTINCT e.id) AS people, sum(s.amount) AS sold
FROM dept d JOIN emp e ON e.dept_id = d.id JOIN sale s ON s.emp_id = e.id
WHERE d.city IS NOT NULL
GROUP BY d.city HAVING sold > 0 ORDER BY sold DESC;
SELECT strftime('%Y-%m', day) AS month, count(*) AS sales, sum(amount) AS total
FROM sale GROUP BY month ORDER BY month LIMIT 5;

.print == a view
CREATE VIEW top_sellers AS
  SELECT e.name, e.dept_id, sum(s.amount) AS total
  FROM emp e JOIN sale s ON s.emp_id = e.id
  GROUP BY e.id;
SELECT * FROM top_sellers ORDER BY total DESC, name LIMIT 5;
.mode list
.headers off
SELECT group_concat(name, ',') FROM (SELECT name FROM top_sellers ORDER BY total DESC, name LIMIT 3);

.print == CTEs
WITH RECURSIVE fib(a, b, k) AS (SELECT 0, 1, 0 UNION ALL SELECT b, a + b, k + 1 FROM fib WHERE k < 60)
SELECT k, a FROM fib WHERE k % 10 = 0;
WITH ranked AS (
  SELECT dept_id, name, salary,
         row_number() OVER (PARTITION BY dept_id ORDER BY salary DESC, name) AS r
  FROM emp
)
SELECT dept_id, r, name, salary FROM ranked WHERE r <= 2 ORDER BY dept_id, r;

.print == updates, deletes, constraints
UPDATE emp SET salary = salary * 1.1 WHERE dept_id = 1 AND id % 1000 = 0;
SELECT id, printf('%.3f', salary) FROM emp WHERE dept_id = 1 AND id % 1000 = 0 ORDER BY id;
DELETE FROM sale WHERE amount < 10;
SELECT changes(), total_changes() > 0, count(*) FROM sale;
INSERT OR IGNORE INTO dept(name) VALUES ('sales');
SELECT changes(), count(*) FROM dept;

.print == output modes and types
.mode csv
SELECT 1, 'a,b', NULL, 2.5, x'414243', 1e100, -0.0, 9223372036854775807;
.mode json
SELECT id, name, city FROM dept ORDER BY id LIMIT 2;
.mode line
SELECT typeof(1), typeof(1.5), typeof('x'), typeof(x'00'), typeof(NULL);
.mode box
SELECT json_object('a', 1, 'b', json_array(1, 2, 'x')) AS j, upper('straße') AS u, length('héllo') AS l;
.mode list
SELECT 7 / 2, 7 % 3, 7 / 2.0, 1 << 62, abs(-9223372036854775807), round(2.675, 2), 1.0 / 3;
SELECT quote(x'00ff'), hex('sqlite'), substr('uniforge', 4, 5), replace('a-b-c', '-', '+'), instr('hello', 'l');
SELECT printf('%5.1f|%-6s|%08.3f|%e|%x', 3.14159, 'ab', -2.5, 12345.678, 255);
SELECT sqrt(16.0), pi() > 3.14, ceil(1.2), floor(-1.2), mod(10, 3);
PRAGMA integrity_check;
