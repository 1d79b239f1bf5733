"""The python3 app's acceptance script: json, re, hashlib, datetime,
collections and a file from the rootfs. Its output must be byte-identical
to the host's python3.11 on the same file (tests/apps/test_python3.py)."""
import collections
import datetime
import hashlib
import hmac
import json
import re
import sys

# the file: /data/orders.csv in the guest's rootfs; the host gives its path
with open(sys.argv[1] if len(sys.argv) > 1 else "/data/orders.csv", encoding="utf-8") as f:
    text = f.read()
lines = text.splitlines()
header, rows = lines[0].split(","), [dict(zip(lines[0].split(","), line.split(","))) for line in lines[1:]]
print("rows:", len(rows), "columns:", header)

# collections
per_customer = collections.Counter(r["customer"] for r in rows)
print("most common:", per_customer.most_common(2))
spent = collections.defaultdict(float)
for r in rows:
    spent[r["customer"]] += int(r["qty"]) * float(r["price"])
print("spent:", sorted((k, round(v, 2)) for k, v in spent.items()))
Point = collections.namedtuple("Point", "x y")
print(Point(3, 4), Point(3, 4)._asdict())
dq = collections.deque(range(10), maxlen=4)
dq.rotate(1)
print("deque:", list(dq))
print(collections.OrderedDict(sorted(per_customer.items(), key=lambda kv: (-kv[1], kv[0]))))
print(collections.ChainMap({"a": 1}, {"a": 2, "b": 3})["b"])

# re
dates = re.findall(r"(\d{4})-(\d{2})-(\d{2})", text)
print("dates:", len(dates), dates[:2])
print(re.sub(r"\b(\w)(\w*)\b", lambda m: m.group(1).upper() + m.group(2), "the quick brown fox"))
pat = re.compile(r"^(?P<id>\d+),(?P<who>[a-z]+),widget", re.M)
print([m.groupdict() for m in pat.finditer(text)])
print(re.split(r"[,;]\s*", "a, b;c ,d"), re.fullmatch(r"[0-9a-f]+", "deadbeef") is not None)

# datetime
days = [datetime.date(*map(int, d)) for d in dates]
print("span:", max(days) - min(days), "weekday of first:", days[0].strftime("%A %d %B %Y"))
t = datetime.datetime(2024, 2, 29, 23, 59, 30, tzinfo=datetime.timezone.utc)
print(t.isoformat(), (t + datetime.timedelta(seconds=45)).isoformat(), t.timestamp())
print(t.astimezone(datetime.timezone(datetime.timedelta(hours=5, minutes=30))).isoformat())
print(datetime.date(2024, 1, 1).isocalendar(), datetime.date.fromisoformat("2023-12-31").toordinal())
print(datetime.datetime.strptime("15/01/2024 08:30", "%d/%m/%Y %H:%M"))

# hashlib
data = text.encode()
for name in ("md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_256", "blake2b", "blake2s"):
    print(name, hashlib.new(name, data).hexdigest())
print("shake_128", hashlib.shake_128(data).hexdigest(16))
# (not pbkdf2_hmac: without OpenSSL it is the deprecated pure-Python one,
# which warns on stderr where the host's OpenSSL one does not)
print("hmac", hmac.new(b"secret", data, "sha256").hexdigest(), hmac.compare_digest(b"a", b"a"))
print(sorted(hashlib.algorithms_guaranteed))

# json
doc = {"customers": per_customer, "total": round(sum(spent.values()), 2),
       "first": days[0].isoformat(), "nested": {"list": [1, 2.5, None, True, "é\u2603"]}}
s = json.dumps(doc, sort_keys=True, indent=2)
print(s)
back = json.loads(s)
print(back == json.loads(json.dumps(back)), json.dumps(back, separators=(",", ":"), ensure_ascii=False))
print(json.loads('[1e400, -0.0, 12345678901234567890]'))
print(sys.version_info[:2], sys.platform)
