-- The Lua suite (tests/apps/test_lua.py): run by the host's lua5.4 and by
-- the guest's lua, from the folder holding these files, as
--   lua suite.lua HOSTTIME [--uniforge]
-- Everything before the "== uniforge only ==" line must be byte-identical
-- on both. It prints only deterministic facts: no addresses, no pairs()
-- order over string keys (the string hash has a random seed), no clock
-- readings, no NaN signs (x86 and arm64 differ), no transcendental
-- results at full precision (libm's last bit may differ), and only valid
-- UTF-8 (`uniforge run` decodes the guest's output as UTF-8: other bytes
-- are printed as numbers).
local host_time = assert(math.tointeger(tonumber(arg[1])), "usage: suite.lua HOSTTIME [--uniforge]")

local topics = { "strings", "tables", "coroutines", "maths", "files", "times", "errors", "syntax", "utf8s", "cstack" }
for _, name in ipairs(topics) do
  print("== " .. name)
  local chunk = assert(loadfile(name .. ".lua"))
  chunk(host_time)
end
print("== end")

-- What only the unikernel shows (no processes, no dynamic loader): checked
-- by the test against fixed expectations, not against the host.
if arg[2] == "--uniforge" then
  print("== uniforge only ==")
  print("popen", io.popen("ls"))
  print("execute", os.execute("ls"))
  print("cmodule", pcall(require, "cmod"))
  print("HOME", os.getenv("HOME"))
end
