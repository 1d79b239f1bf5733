/* Parameters of a pretend "ukalloc" library (built with __LIBNAME__="ukalloc"). */
#include <uk/libparam.h>

static unsigned int heap_kb = 256;
static long offset = -1;
static unsigned long mask = 0xff;
UK_LIB_PARAM(heap_kb, uint);
UK_LIB_PARAM(offset, long);
UK_LIB_PARAM(mask, ulong);
