-- table: sort, concat, insert/remove/move/unpack, metatables.
local t = { 5, 2, 8, 1, 9, 3 }
table.sort(t)
print(table.concat(t, " "))
table.sort(t, function(a, b) return a > b end)
print(table.concat(t, ","), table.concat(t, ",", 2, 4), table.concat({}, "x"), table.concat({ 1, 2.5, "s" }))
local names = { "pear", "Apple", "fig", "banana", "apple" }
table.sort(names)
print(table.concat(names, " "))
table.sort(names, function(a, b) return #a < #b or (#a == #b and a < b) end)
print(table.concat(names, " "))
-- a large sort: distinct keys, so any pivot gives the same order
math.randomseed(7)
local big = {}
for i = 1, 2000 do big[i] = math.random(1, 1 << 40) * 2000 + i end
table.sort(big)
local ok, sum = true, 0
for i = 2, #big do ok = ok and big[i - 1] < big[i] end
for i = 1, #big, 97 do sum = sum ~ big[i] end
print("sorted", ok, #big, sum)
local q = { 1, 2, 3 }
table.insert(q, 4); table.insert(q, 1, 0)
print(table.concat(q, ","), table.remove(q), table.remove(q, 1), table.concat(q, ","))
print(table.unpack({ 1, 2, 3 }), table.unpack({ 1, 2, 3 }, 2), select("#", table.unpack({}, 1, 3)))
print(table.concat(table.move({ 1, 2, 3 }, 1, 3, 2), ","), table.pack(1, nil, 3).n)
print(pcall(table.insert, q, 9, 1))
print(pcall(table.concat, { 1, {}, 3 }))
print(#{ 1, 2, 3 }, #"", rawlen({ 1, 2 }), rawequal(t, t), rawget(setmetatable({}, { __index = function() return 1 end }), "x"))
-- ordered traversal of string keys
local rec = { zeta = 1, alpha = 2, mid = 3, [1] = "one", [2] = "two" }
local keys = {}
for k in pairs(rec) do keys[#keys + 1] = tostring(k) end
table.sort(keys)
print(table.concat(keys, " "))
for i, v in ipairs(rec) do io.write(i, "=", v, " ") end
print(next({}))
-- metatables
local Vec = {}
Vec.__index = Vec
Vec.__name = "Vec"
local function vec(x, y) return setmetatable({ x = x, y = y }, Vec) end
Vec.__add = function(a, b) return vec(a.x + b.x, a.y + b.y) end
Vec.__eq = function(a, b) return a.x == b.x and a.y == b.y end
Vec.__lt = function(a, b) return a:len2() < b:len2() end
Vec.__le = function(a, b) return a:len2() <= b:len2() end
Vec.__tostring = function(v) return "(" .. v.x .. "," .. v.y .. ")" end
Vec.__len = function(v) return 2 end
Vec.__concat = function(a, b) return tostring(a) .. "|" .. tostring(b) end
Vec.__call = function(v, k) return v.x * k end
Vec.__unm = function(v) return vec(-v.x, -v.y) end
Vec.__idiv = function(a, n) return vec(a.x // n, a.y // n) end
Vec.__band = function(a, b) return "band" end
function Vec:len2() return self.x * self.x + self.y * self.y end
local a, b = vec(1, 2), vec(3, 4)
print(tostring(a + b), a == vec(1, 2), a ~= b, a < b, b <= a, #a, a .. b, a(10), tostring(-a), tostring(b // 2), a & b)
print(getmetatable(a) == Vec, getmetatable("x").__index == string)
local log = {}
local proxy = setmetatable({}, {
  __index = function(_, k) log[#log + 1] = "get " .. k; return k:upper() end,
  __newindex = function(tt, k, v) log[#log + 1] = "set " .. k; rawset(tt, k, v) end,
})
print(proxy.abc, proxy.def); proxy.x = 1; proxy.x = 2
print(table.concat(log, ", "), proxy.x)
local ro = setmetatable({}, { __metatable = "locked" })
print(getmetatable(ro), pcall(setmetatable, ro, {}))
local weak = setmetatable({}, { __mode = "k" })
weak[{}] = 1
collectgarbage(); collectgarbage()
print("weak entries", next(weak))
local finalized = {}
do setmetatable({}, { __gc = function() finalized[#finalized + 1] = "gc ran" end }) end
collectgarbage(); collectgarbage()
print(finalized[1])
do
  local order = {}
  do
    local x <close> = setmetatable({}, { __close = function(_, e) order[#order + 1] = "x closed " .. tostring(e) end })
    local y <close> = setmetatable({}, { __close = function() order[#order + 1] = "y closed" end })
    order[#order + 1] = "body"
  end
  print(table.concat(order, "; "))
end
