-- utf8: char, charpattern, codepoint, len, offset, codes, invalid input.
print(utf8.char(72, 228, 8364, 128512, 0x7FFFFFFF):byte(1, -1))
print(utf8.char() == "", utf8.charpattern:byte(1, -1))
local s = "héllo wörld €𝄞"
print(#s, utf8.len(s), utf8.len(s, 3), utf8.len("\xff"), utf8.len("abc\xe4"), utf8.len(s, -4))
print(utf8.codepoint(s, 1, -1))
print(utf8.offset(s, 3), utf8.offset(s, -1), utf8.offset(s, 0, 3), utf8.offset(s, 20))
for p, c in utf8.codes("aé€") do io.write(p, ":", c, " ") end
print()
print(pcall(function() for _, c in utf8.codes("a\xffb") do end end))
print(pcall(utf8.codepoint, "\xff"))
print(pcall(utf8.char, -1), pcall(utf8.offset, s, 1, 3))
print(utf8.len("\u{7FFFFFFF}", 1, -1, true), utf8.len("\u{7FFFFFFF}"), utf8.codepoint("\u{10FFFF}"), pcall(utf8.codepoint, "\u{D800}"))
print(utf8.codepoint("\u{D800}", 1, 1, true))
local n = 0
for ch in s:gmatch(utf8.charpattern) do n = n + 1 end
print("chars", n, ("ü"):upper(), ("Ä"):lower())
local rev = {}
for _, c in utf8.codes(s) do table.insert(rev, 1, utf8.char(c)) end
print(table.concat(rev))
