/* lwIP's port header for the lwipdef fixture: types come from the
 * freestanding headers and nolibc; diagnostics are off. */
#ifndef LWIP_ARCH_CC_H
#define LWIP_ARCH_CC_H
#define LWIP_PLATFORM_DIAG(x) do { } while (0)
#define LWIP_PLATFORM_ASSERT(x) do { } while (0)
#define LWIP_NO_CTYPE_H 1
#endif
