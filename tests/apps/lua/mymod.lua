-- A pure-Lua module the suite requires through package.path ("./?.lua").
local M = {}
function M.greet(who) return "hello, " .. who end
return M
