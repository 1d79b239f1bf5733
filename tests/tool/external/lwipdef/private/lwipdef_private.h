/* Private to lwipdef (library.toml: private_includes): the app must not see it. */
#define LWIPDEF_SECRET 7
