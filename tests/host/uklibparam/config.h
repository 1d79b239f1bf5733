/* The Kconfig values the host harness of uklibparam is built with. */
#define CONFIG_LIBUKDEBUG 1
#define CONFIG_LIBUKDEBUG_PRINT_LEVEL 3
#define CONFIG_LIBUKLIBPARAM 1
