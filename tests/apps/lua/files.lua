-- io and the files of os: write and read back in the root filesystem,
-- io.lines, read formats, seek, modes, errors, remove/rename, tmpfile.
local name = "io_scratch.txt"
local f = assert(io.open(name, "w"))
print(io.type(f), io.type(io.stdout), io.type(42))
print(f:write("line one\n", "line two\n", 3, " ", 4.5, "\n", "0x10 12.5e1 nan\n") == f)
print(f:seek("cur"), f:seek("set", 5), f:seek("end"))
f:close()
print(io.type(f), pcall(f.write, f, "x"))
for l in io.lines(name) do io.write("[", l, "]") end
print()
for l in io.lines(name, "L") do io.write(l) end
for a, b in io.lines(name, 4, 2) do io.write(a, "|", b, " ") break end
print()
f = assert(io.open(name))
print(f:read("l"), f:read("L"), f:read("n", "n"), f:read("n", "n", "n"))
print(f:read("l"), f:read("a"), f:read("a"), f:read("l"), f:read(0))
f:close()
f = assert(io.open(name, "a+"))
f:write("appended\n")
f:seek("set", 0)
print(f:read("l"), #f:read("a"))
f:close()
f = assert(io.open(name, "rb"))
print(f:read(4), f:read(0), f:seek("cur"), f:seek("set", 1000) and f:read(1))
f:close()
f = assert(io.open(name, "r+"))
f:write("LINE")
f:close()
print(io.open(name):read("l"))
f = assert(io.open(name, "w"))
print(f:setvbuf("full", 1024), f:setvbuf("no"), f:setvbuf("line"))
for i = 1, 1000 do f:write(string.format("%04d\n", i)) end
f:close()
local n, total = 0, 0
for l in io.lines(name) do n = n + 1; total = total + tonumber(l) end
print("lines", n, total)
-- a data file that came with the root filesystem
for l in io.lines("data.txt") do print("data:", l) end
print(io.open("no_such_file"))
print(pcall(io.open, name, "rw"))
print(pcall(io.lines, "no_such_file"))
print(os.rename(name, "renamed.txt"), io.open(name), io.open("renamed.txt") ~= nil)
print(os.remove("renamed.txt"), os.remove("renamed.txt"))
print(os.rename("nothing_here", "x"))
-- temporary files in /tmp
local t = io.tmpfile()
print(io.type(t), t:write("tmp data") == t, t:seek("set"), t:read("a"))
t:close()
local tn = os.tmpname()
print(tn:sub(1, 9), #tn, io.open(tn) ~= nil, os.remove(tn))
-- io.output/io.input redirection
local out = io.output()
io.output(name)
io.write("via io.output\n")
io.close()
io.output(out)
io.input(name)
print(io.read("l"), io.read("l"))
io.close(io.input())
io.input(io.stdin)
print(os.remove(name))
-- a directory is not a file
print(io.open(".", "w"))
