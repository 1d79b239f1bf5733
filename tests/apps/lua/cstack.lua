-- C recursion up to Lua's limit (LUAI_MAXCCALLS, 200 levels): each case
-- must end in Lua's "C stack overflow" error, never overflow the C stack
-- (the main stack a platform gives main() must hold 200 levels).
local function tail(e) return (tostring(e):gsub("^.*: ", "")) end
local function nest(n)
  if n == 0 then return 0 end
  return coroutine.wrap(function() return 1 + nest(n - 1) end)()
end
print("nested coroutines", nest(150))
local ok, e = pcall(nest, 1000)
print("nested coroutines", ok, tail(e))
local depth = 0
local function deepmeta() depth = depth + 1; return tostring(setmetatable({}, { __tostring = deepmeta })) end
ok, e = pcall(deepmeta)
print("__tostring chain", ok, tail(e), depth)
local f, msg = load(string.rep("(", 1000) .. "1" .. string.rep(")", 1000))
print("parser parentheses", f, tail(msg:match("^[^\n]*")))
print("parser 150 parentheses", load("return " .. string.rep("(", 150) .. "1" .. string.rep(")", 150))())
f, msg = load("return " .. string.rep("{", 300) .. string.rep("}", 300))
print("parser tables", f, tail(msg:match("^[^\n]*")))
print("pattern", pcall(string.match, string.rep("a", 300), string.rep("a?", 300) .. "b"))
local function gs(n) if n == 0 then return "" end; return (("x"):gsub("x", function() return gs(n - 1) end)) end
ok, e = pcall(gs, 1000)
print("gsub callbacks", ok, tail(e))
local function srt(n) if n == 0 then return end; table.sort({ 2, 1 }, function(a, b) srt(n - 1); return a < b end) end
ok, e = pcall(srt, 1000)
print("sort callbacks", ok, tail(e))
local function pc(n) if n == 0 then return "bottom" end; return select(2, pcall(pc, n - 1)) end
print("pcall chain", pc(150), tail(pc(1000)))
