/* The Kconfig values the host harness of ukdebug is built with. */
#define CONFIG_LIBUKDEBUG 1
#define CONFIG_LIBUKDEBUG_PRINT_LEVEL 3
#define CONFIG_LIBUKDEBUG_ENABLE_ASSERT 1
