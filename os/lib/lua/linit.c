/* Which standard libraries the interpreter opens: luaL_openlibs, in place
 * of Lua's src/linit.c (which Lua's own comment says to copy and edit for
 * another set). The set is Kconfig's (Config.uk): library.toml defines
 * CONFIG_LIBLUA_<LIB>=1 for each library chosen (a standalone library
 * sees no uk/config.h). The base library is always opened, and the order
 * is linit.c's, so the global table and package.loaded look as with
 * Debian's lua5.4. */
#define linit_c
#define LUA_LIB

#include "lprefix.h"

#include <stddef.h>

#include "lua.h"
#include "lualib.h"
#include "lauxlib.h"

static const luaL_Reg loadedlibs[] = {
	{LUA_GNAME, luaopen_base},
#if CONFIG_LIBLUA_PACKAGE
	{LUA_LOADLIBNAME, luaopen_package},
#endif
#if CONFIG_LIBLUA_COROUTINE
	{LUA_COLIBNAME, luaopen_coroutine},
#endif
#if CONFIG_LIBLUA_TABLE
	{LUA_TABLIBNAME, luaopen_table},
#endif
#if CONFIG_LIBLUA_IO
	{LUA_IOLIBNAME, luaopen_io},
#endif
#if CONFIG_LIBLUA_OS
	{LUA_OSLIBNAME, luaopen_os},
#endif
#if CONFIG_LIBLUA_STRING
	{LUA_STRLIBNAME, luaopen_string},
#endif
#if CONFIG_LIBLUA_MATH
	{LUA_MATHLIBNAME, luaopen_math},
#endif
#if CONFIG_LIBLUA_UTF8
	{LUA_UTF8LIBNAME, luaopen_utf8},
#endif
#if CONFIG_LIBLUA_DEBUG
	{LUA_DBLIBNAME, luaopen_debug},
#endif
	{NULL, NULL}
};

/* Opens every library of loadedlibs and sets its global (lua.c calls it
 * once, before running anything). */
LUALIB_API void luaL_openlibs(lua_State *L)
{
	const luaL_Reg *lib;

	for (lib = loadedlibs; lib->func; lib++) {
		luaL_requiref(L, lib->name, lib->func, 1);
		lua_pop(L, 1);
	}
}
