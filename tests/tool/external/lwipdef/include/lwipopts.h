/* lwIP options for the lwipdef fixture: no OS, nothing but def.c. */
#ifndef LWIPOPTS_H
#define LWIPOPTS_H
#define NO_SYS 1
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0
#endif
