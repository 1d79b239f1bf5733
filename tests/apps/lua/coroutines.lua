-- coroutine: resume/yield values, wrap, status, errors, close.
local co = coroutine.create(function(a, b)
  print("start", a, b)
  local c = coroutine.yield(a + b)
  print("got", c)
  local d, e = coroutine.yield(c * 2)
  return d + e, "done"
end)
print(coroutine.status(co), coroutine.resume(co, 1, 2))
print(coroutine.status(co), coroutine.resume(co, 10))
print(coroutine.resume(co, 3, 4))
print(coroutine.status(co), coroutine.resume(co))
local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end)
print(gen(), gen(), gen())
local function range(n) return coroutine.wrap(function() for i = 1, n do coroutine.yield(i, i * i) end end) end
for i, sq in range(4) do io.write(i, ":", sq, " ") end
print()
print(coroutine.isyieldable(), coroutine.running() ~= nil, select(2, coroutine.running()))
print(coroutine.resume(coroutine.create(function() return coroutine.isyieldable(), select(2, coroutine.running()) end)))
local bad = coroutine.create(function() error("boom") end)
print(coroutine.resume(bad))
print(coroutine.status(bad), coroutine.close(bad))
local bad2 = coroutine.create(function() error({ code = 7 }) end)
local ok, e = coroutine.resume(bad2)
print(ok, type(e), e.code)
-- yield across pcall (5.4)
local y = coroutine.wrap(function()
  local ok2, v = pcall(function() local r = coroutine.yield("inside pcall"); error("after " .. r, 0) end)
  coroutine.yield(tostring(ok2) .. " " .. v)
  return "end"
end)
print(y(), y("resume"), y())
print(pcall(coroutine.resume, coroutine.running()))
print(pcall(gen))
-- close runs pending to-be-closed variables
local closing = coroutine.create(function()
  local r <close> = setmetatable({}, { __close = function() print("closed by coroutine.close") end })
  coroutine.yield()
end)
coroutine.resume(closing)
print(coroutine.close(closing), coroutine.status(closing))
-- a producer/consumer pipeline
local function producer() return coroutine.create(function() for _, w in ipairs({ "a", "b", "c" }) do coroutine.yield(w) end end) end
local function filter(p) return coroutine.create(function()
  while true do local _, v = coroutine.resume(p); if not v then return end; coroutine.yield(v:upper()) end
end) end
local f = filter(producer())
local out = {}
while true do local _, v = coroutine.resume(f); if not v then break end; out[#out + 1] = v end
print(table.concat(out))
