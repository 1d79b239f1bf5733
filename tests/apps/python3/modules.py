"""Every optional built-in C module of os/lib/python3 (Config.uk), and
pure-Python modules only the full standard library has, imported and used
once; the output must match the host's python3.11."""
# the C modules the pure-Python ones below would silently do without, the
# modules added with _socket and the bundled libraries' (os/lib/python3/README.md)
import _contextvars  # noqa: F401
import _csv  # noqa: F401
import _decimal
import _elementtree  # noqa: F401
import _lsprof  # noqa: F401
import _opcode
import _pickle  # noqa: F401
import _posixsubprocess  # noqa: F401   (asyncio imports subprocess, which imports it)
import _queue  # noqa: F401
import _statistics  # noqa: F401
import _typing  # noqa: F401
import _zoneinfo  # noqa: F401
import array
import asyncio
import cProfile
import cmath
import csv
import decimal
import fcntl
import grp
import importlib
import io
import json
import mmap
import pickle
import pyexpat
import queue
import resource
import select
import socket
import statistics
import termios
import unicodedata
import unittest
import warnings
import xml.dom.minidom
import xml.etree.ElementTree as ET
import zipfile
import zoneinfo
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)    # audioop: deprecated in 3.11 (stderr)
    audioop = importlib.import_module("audioop")

print(array.array("i", [1, 2, 3]).tobytes().hex(), unicodedata.name("é"), cmath.sqrt(-1), hasattr(select, "poll"))
print(pickle.loads(pickle.dumps({"a": [1, 2]})), statistics.median([3, 1, 2]),
      decimal.Decimal("1.1") + decimal.Decimal("2.2"))
w = io.StringIO()
csv.writer(w).writerow(["a", "b,c"])
print(w.getvalue().strip(), queue.SimpleQueue().empty(), _opcode.stack_effect(1))
doc = xml.dom.minidom.Document()
doc.appendChild(doc.createElement("a")).setAttribute("x", "1")
print(doc.documentElement.toxml())
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("f.txt", "zip ok")
print(zipfile.ZipFile(buf).read("f.txt").decode(), json.dumps(unittest.TestCase.__name__), fcntl.F_GETFL)


async def answer():
    await asyncio.sleep(0)
    return 42
m = mmap.mmap(-1, 4096)
m.write(b"mmap ok")
m.seek(0)
print(m.read(7).decode(), len(m), audioop.max(b"\x01\x00\x05\x00", 2), cProfile.Profile().runcall(sum, [1, 2]))
print(asyncio.run(answer()), asyncio.Future.__module__, isinstance(grp.getgrall(), list),
      type(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss).__name__, resource.RLIMIT_NOFILE, termios.TCSANOW)
a, b = socket.socketpair()
a.sendall(b"pair")
print(b.recv(4), int(socket.AF_INET))
print(zoneinfo.TZPATH)
print("日本".encode("shift_jis").hex(), "中文".encode("gb2312").hex(), "한국".encode("euc_kr").hex(),
      "台灣".encode("big5").hex(), "日本".encode("iso2022_jp").hex())
doc = xml.dom.minidom.parseString('<a x="1"><b>t&amp;u</b></a>')
root = ET.fromstring('<r><i n="1"/><i n="2">two</i></r>')
print(doc.documentElement.firstChild.firstChild.data, [i.get("n") for i in root], root[1].text, ET.Element.__module__,
      pyexpat.version_info >= (2, 5))
_decimal.getcontext().prec = 50
print(_decimal.Decimal(1) / _decimal.Decimal(7), decimal.Decimal is _decimal.Decimal)
