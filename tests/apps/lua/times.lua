-- os.time, os.date, os.clock, os.difftime, os.getenv: deterministic facts
-- only (TZ unset in the guest and TZ=UTC on the host: both UTC).
local host_time = ...
local t0 = 1700000000
print(os.date("!%Y-%m-%d %H:%M:%S", t0), os.date("%Y-%m-%d %H:%M:%S", t0))
print(os.date("!%c|%x|%X|%D|%T|%R|%r|%F|%e|%p", t0))
print(os.date("!%a %A %b %B %h %j %U %W %w %u %V %G %g %y %C %I %M %S %n%t%%", 86400 * 3))
print(os.date("!%Ey %EY %Od %OH", t0), pcall(os.date, "%Q"), pcall(os.date, "%E"))
print(os.date("!%Y-%m-%d", 0), os.date("!%Y-%m-%d %H:%M", -86400 * 365), os.date("!%Y", 2^33))
local d = os.date("!*t", t0)
print(d.year, d.month, d.day, d.hour, d.min, d.sec, d.wday, d.yday, d.isdst)
d = os.date("*t", t0)
print(d.year, d.month, d.day, d.hour, d.min, d.sec, d.wday, d.yday, d.isdst)
print(os.time({ year = 2000, month = 1, day = 1, hour = 0 }), os.time({ year = 2024, month = 2, day = 29, hour = 12, min = 30, sec = 15 }))
print(os.time({ year = 2023, month = 14, day = 1, hour = 0 }), os.time({ year = 2024, month = 3, day = 0 }), os.time({ year = 1969, month = 12, day = 31, hour = 23, min = 59, sec = 58 }))
local norm = { year = 2021, month = 2, day = 31, hour = 25, min = 61, sec = -1 }
local tn = os.time(norm)
print(tn, norm.year, norm.month, norm.day, norm.hour, norm.min, norm.sec, norm.yday, norm.wday)
print(os.time({ year = 2038, month = 1, day = 19, hour = 3, min = 14, sec = 8 }), os.time({ year = 3000, month = 1, day = 1 }))
print(pcall(os.time, { year = 2000 }), pcall(os.time, { year = 2000, month = "x", day = 1 }))
print(pcall(os.date, "*t", 2^62))
print(os.difftime(t0 + 90, t0), pcall(os.difftime, t0), math.type(os.difftime(1, 0)))
print(os.date("!%H:%M", os.time({ year = 2020, month = 6, day = 15, hour = 8, min = 5 })))
-- the clocks: now, not before the host's reading minus slack, monotone
local now = os.time()
print("os.time integer", math.type(now))
print("os.time near the host's", now >= host_time - 5 and now <= host_time + 600)
print("os.date now ok", os.date("!%Y", now) == os.date("!*t", now).year .. "", #os.date() > 0)
local c1 = os.clock()
print("os.clock >= 0", c1 >= 0, math.type(c1))
local c2, spins = c1, 0
while c2 == c1 and spins < 1e8 do spins = spins + 1; c2 = os.clock() end
print("os.clock advances", c2 > c1)
local c3 = os.clock()
print("os.clock monotone", c3 >= c2)
-- the environment
print(os.getenv("LUA_SUITE_VAR"), os.getenv("LUA_SUITE_UNSET"), os.getenv("TZ") == nil or os.getenv("TZ") == "UTC")
print(os.setlocale(), os.setlocale("C"), os.setlocale(nil, "numeric"), os.setlocale("C", "all"))
