-- the language: goto, integer for loops, varargs, closures, integer
-- division and conversions, const variables, long strings, operators.
for i = 1, 3 do
  for j = 1, 3 do
    if j == 2 then goto continue end
    io.write(i, ",", j, " ")
    ::continue::
  end
end
print()
do
  local k = 0
  ::top::
  k = k + 1
  if k < 5 then goto top end
  print("goto loop", k)
end
print(load("goto nowhere"))
print(load("do local x ::l:: end goto l"))
for i = 10, 1, -3 do io.write(i, " ") end
for i = 1, 2, 0.5 do io.write(i, " ") end
for i = math.maxinteger - 2, math.maxinteger do io.write(i, " ") end
for i = 1, 0 do io.write("never") end
print()
print(pcall(function() for i = 1, 10, 0 do end end))
print(pcall(function() for i = "a", 2 do end end))
local function va(...) return select("#", ...), ... end
print(va(), va(nil, nil), va(1, nil, 3), select(-1, 1, 2, 3), select(2, "a", "b", "c"))
local function pack2(...) local t = { ... }; return #t, table.pack(...).n end
print(pack2(1, 2, 3))
local function counter()
  local n = 0
  return function() n = n + 1; return n end
end
local c1, c2 = counter(), counter()
c1(); c1()
print(c1(), c2())
local fns = {}
for i = 1, 3 do fns[i] = function() return i end end
print(fns[1](), fns[2](), fns[3]())
local K <const> = 10
print(K * 2, load("local c <const> = 1; c = 2"))
print(load("local c <foo> = 1"))
print([[long
string]], [==[with ]] inside]==], "\65\066\x43\u{48}\z
       continued", '\'' .. "\"", #"\0\0", "tab\tend")
print(0x10, 0xA.8p1, 1e2, .5, 3., 0x.1, 1E-2, 9007199254740993, 0xffffffffffffffffff == -1)
print(10 // 3, 10.0 // 3, -10 // 3, 10 % -3, 2^2, 7 / 7, math.type(7 // 1), math.type(7 / 1))
print(1 == 1.0, "1" == 1, 0.0 == -0.0, 1 < 2 == true, not nil, not 0, nil and 1, false or "x", 1 and 2)
print("a" .. "b" .. 1 .. 2, 1 .. "", -2 ^ 2, (-2) ^ 2, 2 ^ -1, not 1 == 2, #"abc" + 1)
print(3 // 0.0, -3 % math.huge, 3 % -math.huge, 5 // math.huge, -5 // math.huge)
print(string.format("%d", 3.0), pcall(string.format, "%d", 3.5), math.tointeger(2^53))
print(#arg >= 1, arg[0], type(arg[-1]))
local t = { [1] = "a", [1.0] = "b", [2^53] = "c" }
print(t[1], t[2^53 | 0], next({ [3.0] = 1 }), math.type(next({ [3.0] = 1 })))
local s = 0
for _, v in ipairs({ 1, 2, nil, 4 }) do s = s + v end
print("ipairs stops at nil", s)
local mt = setmetatable({}, { __index = function(_, k) return k * 2 end })
print(mt[21], rawget(mt, 21))
print(type(print), type(nil), type({}), type("s"), type(2), type(true), type(coroutine.create(print)))
print(_VERSION, _G._G == _G, _ENV == _G)
print(string.format("%s %s", 1e15, 2^24), 7 // 0.5, 2^1023 * 2, -(2^1023 * 2))
print(math.ult(-1, 1), -1 >> 63, -1 << 63 == math.mininteger, "10" // "3", "7" % 2)
-- modules: a Lua module from the folder (package.path's "./?.lua"), once
local mymod = require("mymod")
print(mymod.greet("lua"), require("mymod") == mymod, package.loaded.mymod == mymod, package.config:sub(1, 1))
local okr, er = pcall(require, "no_such_module")
print(okr, er:match("^module 'no_such_module' not found:"), er:find("no file './no_such_module.lua'", 1, true) ~= nil)
print(type(package.path), type(package.cpath), type(package.searchers), #package.searchers, type(package.preload))
package.preload.virtual = function(name, extra) return { name = name, extra = extra } end
local v = require("virtual")
print(v.name, v.extra, select(2, require("virtual")))
