-- The app's sample script: `uniforge run apps/lua5.4` runs it.
print(_VERSION .. " on uniforge")
local words = {}
for w in ("a unikernel built from Debian's sources"):gmatch("%S+") do
  words[#words + 1] = w:upper()
end
print(table.concat(words, " "))
print(string.format("2^53 = %d, pi = %.6f", 2^53 // 1, math.pi))
