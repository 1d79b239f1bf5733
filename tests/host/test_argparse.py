"""Host tests of os/lib/ukargparse: uk_argnparse compiled with the host gcc
(plus AddressSanitizer/UBSan) and driven by tests/host/ukargparse/harness.c.

Python's shlex.split (POSIX mode) is the oracle wherever it is defined: our
quoting rules are the same subset of the shell's. Cases shlex rejects
(unterminated quote, trailing backslash) have explicit expectations.
"""
import random
import shlex
import subprocess
from pathlib import Path

import pytest

from guestcc import ARCH_NAMES, compile_guest, require

ROOT = Path(__file__).resolve().parents[2]
LIB = ROOT / "os" / "lib" / "ukargparse"
HARNESS = Path(__file__).resolve().parent / "ukargparse" / "harness.c"



@pytest.fixture(scope="session")
def harness(tmp_path_factory):
    require("gcc", "gcc")
    out = tmp_path_factory.mktemp("argparse") / "harness"
    cmd = ["gcc", "-std=gnu11", "-g", "-O1", "-Wall", "-Wextra", "-Werror",
           "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
           "-I", str(ROOT / "os" / "include"), "-I", str(LIB / "include"),
           str(LIB / "argparse.c"), str(HARNESS), "-o", str(out)]
    subprocess.run(cmd, check=True)
    return out


def run_cases(harness, cases):
    """cases: [(text: str|bytes, maxlen|None, maxcount)] -> [list of words]."""
    data = bytearray()
    for text, maxlen, maxcount in cases:
        raw = text.encode() if isinstance(text, str) else text
        data += b"%d %d %d\n" % (len(raw) if maxlen is None else maxlen,
                                 maxcount, len(raw))
        data += raw
    proc = subprocess.run([str(harness)], input=bytes(data),
                          capture_output=True, check=True)
    lines = proc.stdout.decode().split("\n")
    results, i = [], 0
    for _ in cases:
        n, ok = map(int, lines[i].split())
        assert ok == 1, "buffer or argv written out of bounds"
        words = [bytes.fromhex(line).decode() for line in lines[i + 1:i + 1 + n]]
        results.append(words)
        i += 1 + n
    return results


def split(harness, text, maxlen=None, maxcount=64):
    return run_cases(harness, [(text, maxlen, maxcount)])[0]


SHLEX_CASES = [
    "hello",
    "hello world",
    "  leading and trailing  ",
    "tabs\tand\nnewlines\r\nmixed",
    "ukalloc.heap_kb=512 app.verbose=1 -- hello world",
    "'single quoted words' after",
    '"double quoted words" after',
    "glued'quo ted'\"parts here\"end",
    "it\\'s\\ escaped",
    "'it''s'",
    '"say \\"hi\\""',
    '"back\\\\slash"',
    '"keep \\n literal"',
    "'no \\escape in single'",
    "esc\\ aped\\ space",
    "\\'not a quote\\'",
    '\\"x\\"',
    "a\\\\b",
    "'' \"\" empty",
    "x ''",
    "-- a -- b",
    "=.= a.b=c=d",
    "'multi\nline' \"tab\there\"",
    "\"'single inside double'\"",
    "'\"double inside single\"'",
    "unicode é ü 'ß x'",
    "a" * 300 + " " + "b" * 300,
]


@pytest.mark.parametrize("text", SHLEX_CASES)
def test_matches_shlex(harness, text):
    assert split(harness, text) == shlex.split(text)


@pytest.mark.parametrize("text,expected", [
    ("", []),
    (" ", []),
    ("   \t\n\r\v\f ", []),
    ("\v\fa\vb\f", ["a", "b"]),             # VT and FF are blanks too
    ("'unterminated single", ["unterminated single"]),
    ('"unterminated double', ["unterminated double"]),
    ('a "b c', ["a", "b c"]),
    ("trailing\\", ["trailing\\"]),
    ("\\", ["\\"]),
    ('"in quotes \\', ["in quotes \\"]),
    ("'", [""]),
    ('"', [""]),
    ('""', [""]),
    ("''''", [""]),
])
def test_edge_cases(harness, text, expected):
    assert split(harness, text) == expected


@pytest.mark.parametrize("maxcount,expected", [
    (0, []),
    (-1, []),
    (1, ["a"]),
    (2, ["a", "b c"]),
    (3, ["a", "b c", "d"]),
    (4, ["a", "b c", "d"]),
])
def test_maxcount_truncates(harness, maxcount, expected):
    assert split(harness, "a 'b c' d", maxcount=maxcount) == expected


@pytest.mark.parametrize("text,maxlen,expected", [
    ("abc def", 0, []),
    ("abc def", 1, ["a"]),
    ("abc def", 3, ["abc"]),
    ("abc def", 4, ["abc"]),
    ("abc def", 5, ["abc", "d"]),
    ("'ab cd' e", 4, ["ab "]),          # the quote is cut off by maxlen
    ("a\\ b", 2, ["a\\"]),             # so is the escaped character
    ('"a\\"b"', 3, ["a\\"]),
    ("ab\0cd ef", 8, ["ab"]),          # a NUL ends the line before maxlen
])
def test_maxlen(harness, text, maxlen, expected):
    assert split(harness, text, maxlen=maxlen) == expected


def test_words_are_in_place_and_terminated(harness):
    # 64 words of one letter each: the sentinel checks in the harness make
    # sure argv is not written past maxcount.
    text = " ".join("abcdefghijklmnopqrstuvwxyz"[i % 26] for i in range(64))
    assert split(harness, text, maxcount=64) == text.split()
    assert split(harness, text, maxcount=10) == text.split()[:10]


def test_random_against_shlex(harness):
    rng = random.Random(1234)
    alphabet = "ab '\"\\\t\n="
    cases, expected = [], []
    while len(cases) < 3000:
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        try:
            want = shlex.split(text)
        except ValueError:       # unterminated quote or trailing backslash
            continue
        cases.append((text, None, 64))
        expected.append(want)
    got = run_cases(harness, cases)
    for text, g, w in zip(cases, got, expected):
        assert g == w, f"{text[0]!r}: got {g!r}, shlex says {w!r}"


def test_random_never_out_of_bounds(harness):
    # Anything goes, including cases shlex rejects and cut lines: the
    # harness (ASan + sentinels) checks the bounds, we check the invariants.
    rng = random.Random(99)
    alphabet = "ab '\"\\\t\n\0"
    cases = []
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
        cases.append((text, rng.randint(0, len(text)), rng.randint(0, 8)))
    for (text, maxlen, maxcount), words in zip(cases, run_cases(harness, cases)):
        assert len(words) <= max(maxcount, 0)
        visible = text[:maxlen].split("\0")[0]
        assert sum(len(w) for w in words) <= len(visible)


@pytest.mark.parametrize("arch", ARCH_NAMES)
def test_guest_flags_compile_warning_free(tmp_path, arch):
    compile_guest(arch, [LIB / s for s in ['argparse.c', 'tests/test_argparse.c']], out_dir=tmp_path,
                  libname="ukargparse",
                  config={'CONFIG_LIBUKARGPARSE': 1, 'CONFIG_LIBUKARGPARSE_TESTS': 1},
                  includes=[LIB / "include", ROOT / "os" / "lib" / "uktest" / "include"])
