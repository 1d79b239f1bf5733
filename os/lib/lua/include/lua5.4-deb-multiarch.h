/* What debian/rules writes at configure time and Debian's luaconf.h
 * (0002-lua-modules-paths.patch) includes: the Debian multiarch triplet,
 * which names one folder of the C-module search path (package.cpath).
 * An image loads no C modules (no dlopen), so the path only has to read
 * as Debian's does. */
#ifndef _LUA_DEB_MULTIARCH_
#define _LUA_DEB_MULTIARCH_
#if defined(__x86_64__)
#define DEB_HOST_MULTIARCH "x86_64-linux-gnu"
#elif defined(__aarch64__)
#define DEB_HOST_MULTIARCH "aarch64-linux-gnu"
#else
#error "lua5.4-deb-multiarch.h: no Debian multiarch triplet for this architecture"
#endif
#endif
