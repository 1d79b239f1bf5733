"""Every optional built-in C module of os/lib/python3 (Config.uk), and
pure-Python modules only the full standard library has, imported and used
once; the output must match the host's python3.11."""
import _contextvars, _csv, _opcode, _pickle, _queue, _statistics, _typing, array, cmath, fcntl, select, unicodedata
import csv, decimal, io, json, pickle, queue, statistics, unittest, xml.dom.minidom, zipfile

print(array.array("i", [1, 2, 3]).tobytes().hex(), unicodedata.name("é"), cmath.sqrt(-1), hasattr(select, "poll"))
print(pickle.loads(pickle.dumps({"a": [1, 2]})), statistics.median([3, 1, 2]), decimal.Decimal("1.1") + decimal.Decimal("2.2"))
w = io.StringIO()
csv.writer(w).writerow(["a", "b,c"])
print(w.getvalue().strip(), queue.SimpleQueue().empty(), _opcode.stack_effect(1))
doc = xml.dom.minidom.Document()   # (no parsing: pyexpat, libexpat's binding, is not built)
doc.appendChild(doc.createElement("a")).setAttribute("x", "1")
print(doc.documentElement.toxml())
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("f.txt", "zip ok")
print(zipfile.ZipFile(buf).read("f.txt").decode(), json.dumps(unittest.TestCase.__name__), fcntl.F_GETFL)
