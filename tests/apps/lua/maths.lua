-- math: integers and floats, conversions, division, random with a seed.
print(1, 1.0, -0.0, 3 / 2, 4 / 2, 7 // 2, -7 // 2, 7.0 // 2, -7.5 // 2, 7 % 3, -7 % 3, 7 % -3, 5.5 % 2)
print(math.type(1), math.type(1.0), math.type("1"), math.tointeger(3.0), math.tointeger(3.5), math.tointeger("8"))
print(math.maxinteger, math.mininteger, math.maxinteger + 1 == math.mininteger, math.mininteger // -1)
print(1 // 0.0, -1 // 0.0, 1 / 0, -1 / 0, math.huge, -math.huge, 0/0 ~= 0/0)
print(pcall(function() return 1 // 0 end))
print(pcall(function() return 1 % 0 end))
print(3 & 5, 3 | 5, 3 ~ 5, ~0, 1 << 62, 1 << 63, 1 << 64, -1 >> 1, 2.0 << 1, pcall(function() return 1.5 | 0 end))
print(2^10, 2^0.5 == math.sqrt(2), 10 // 3 * 3 + 10 % 3, 2^53 + 1 == 2^53)
print(math.floor(3.7), math.ceil(3.2), math.floor(-3.5), math.ceil(-3.5), math.floor(2^62), math.abs(-4), math.abs(math.mininteger))
print(math.max(1, 5, 3), math.min(2.5, -1, 7), math.max(1, 2.0), math.fmod(7, 3), math.fmod(-7, 3), math.fmod(7.5, 2), math.fmod(-6, 4))
print(pcall(math.fmod, 1, 0))
print(math.modf(3.7), math.modf(-3.7), math.modf(math.huge), math.ult(1, -1), math.sqrt(16), math.sqrt(2) * math.sqrt(2) == 2)
print(string.format("%.10f %.10f %.10f %.10f", math.sin(1), math.cos(1), math.tan(1), math.atan(1, 2)))
print(string.format("%.10f %.10f %.10f %.10f", math.exp(1), math.log(10), math.log(8, 2), math.log(100, 10)))
print(string.format("%.10f %.10f %.10f", math.asin(0.5), math.acos(0.5), math.pi), math.log(1), math.exp(0))
print(8 // 3, 8.0 // 3, -8 // 3, 8 % -3.0, 1e15, 1e16, 123456789012, 2^63, -2^63 == math.mininteger, 0x7fffffffffffffff, 0xffffffffffffffff)
print(3 == 3.0, 1 < 1.5, math.maxinteger < math.huge, math.maxinteger + 0.0 == 2^63, math.mininteger <= -2^63)
print(string.format("%.17g %.17g %.17g", 0.1, 1/3, 2/3), 0.1 + 0.2 == 0.3, 0.1 + 0.2, 100 * 1.1)
print(tostring(1e300 * 1e10), -(0/0) ~= -(0/0), math.floor(-0.0), 1/(-0.0))
-- math.random: in 5.4, randomseed(n) makes the sequence (xoshiro256**)
-- fixed on every platform; without a seed it is random at start-up.
math.randomseed(42)
local r = {}
for i = 1, 6 do r[i] = math.random(1, 100) end
print(table.concat(r, " "))
print(math.random(0), math.random(10), string.format("%.17g", math.random()))
math.randomseed(42)
print(math.random(1, 100) == r[1], math.random(math.mininteger, math.maxinteger))
math.randomseed(1, 2)
print(math.random(1000000), math.random(3, 3), pcall(math.random, 2, 1))
print(pcall(math.random, 1, 2, 3))
local hits = {}
math.randomseed(123)
for _ = 1, 10000 do local v = math.random(6); hits[v] = (hits[v] or 0) + 1 end
print(table.concat(hits, " "))
local fsum = 0
for _ = 1, 1000 do local x = math.random(); assert(x >= 0 and x < 1); fsum = fsum + x end
print(string.format("%.12f", fsum))
