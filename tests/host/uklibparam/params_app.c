/* Parameters of the application (built with __LIBNAME__="app"). */
#include <uk/libparam.h>

static bool verbose;
static int level = 3;
static const char *name = "world";
static char *greeting;
UK_LIB_PARAM(verbose, bool);
UK_LIB_PARAM(level, int);
UK_LIB_PARAM(name, string);
UK_LIB_PARAM_STR(greeting);
