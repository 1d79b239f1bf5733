-- errors: error/pcall/xpcall, levels, error objects, messages, assert.
print(pcall(error, "plain"))
print(pcall(error, "no position", 0))
print(pcall(error))
local okt, et = pcall(error, { code = 42 })
print(okt, type(et), et.code)
local function lvl1() error("at level 1", 1) end
local function lvl2() error("at level 2", 2) end
local function call2() lvl2() end
print(pcall(lvl1))
print(pcall(call2))
print(pcall(function() local x = nil; return x.field end))
print(pcall(function() local t = {} ; return t.a.b end))
print(pcall(function() return 1 + {} end))
print(pcall(function() return "abc" + 1 end))
print(pcall(function() return #5 end))
print(pcall(function() return {} < {} end))
print(pcall(function() return 1 < "2" end))
print(pcall(function() undefinedfn() end))
print(pcall(function() local s = "x"; s:nomethod() end))
print(pcall(function() return ("x"):rep(1e10, "y") end))
print(pcall(string.rep))
print(pcall(setmetatable, 1, {}))
print(pcall(ipairs))
print(pcall(assert, false))
print(pcall(assert, nil, "assert message"))
print(pcall(assert, 1, 2, 3))
print(select("#", pcall(error, nil)))
print(xpcall(function() error("handled") end, function(m) return "handler: " .. m end))
print(xpcall(function(a, b) return a + b end, print, 2, 3))
print(xpcall(function() error("tb") end, debug.traceback))
local ok, e = pcall(error, setmetatable({}, { __tostring = function() return "custom error object" end }))
print(ok, tostring(e))
-- error in a __index, in a __gc-free finalizer-less path, rethrow
print(pcall(function() local ok2, e2 = pcall(error, "inner"); error("outer+" .. e2, 0) end))
print(pcall(load, "x ="))
print(load("x ="))
print(load("return 1 +* 2", "=chunk"))
print(load("return ...", "args")(1, 2))
print(type(load(function() return nil end)))
local parts = { "return ", "40 ", "+ 2" }
local i = 0
print(load(function() i = i + 1; return parts[i] end)())
local env = { y = 5 }
print(load("return y", "env chunk", "t", env)())
print(pcall(load("error('from loaded chunk')", "=loaded")))
print(load(string.dump(function() return "dumped" end), "d", "b")())
print(load(string.dump(function() return 1 end), "d", "t"))
print(pcall(string.dump, print))
-- stack overflow is an error, not a crash
local function recurse(n) return 1 + recurse(n + 1) end
local okso, eso = pcall(recurse, 1)
print(okso, (eso:gsub("^.-:%d+: ", "")))
local function deep(n) if n == 0 then return 0 end; return deep(n - 1) + 1 end
print(deep(10000))
print(pcall(string.rep, "x", -1), select("#", pcall(function() end)))
print(tostring(warn) ~= nil, pcall(warn))
