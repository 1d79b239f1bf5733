/* lwipdef fixture: built with the library's private include and define. */
#include "lwipdef.h"
#include "lwipdef_private.h"

int lwipdef_fixture(void)
{
	return 10 * LWIPDEF_FIXTURE + LWIPDEF_SECRET;
}
