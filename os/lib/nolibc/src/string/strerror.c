/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * strerror: one packed string, each entry the error number as one byte and
 * its message, NUL-terminated; a pointer table would cost 8 bytes an entry.
 * Numbers without an entry give "Unknown error".
 */
#include <string.h>
#include <errno.h>


static const char msgs[] =
	"\001" "Operation not permitted\0"
	"\002" "No such file or directory\0"
	"\003" "No such process\0"
	"\004" "Interrupted system call\0"
	"\005" "I/O error\0"
	"\006" "No such device or address\0"
	"\007" "Argument list too long\0"
	"\010" "Exec format error\0"
	"\011" "Bad file descriptor\0"
	"\012" "No child processes\0"
	"\013" "Resource temporarily unavailable\0"
	"\014" "Out of memory\0"
	"\015" "Permission denied\0"
	"\016" "Bad address\0"
	"\020" "Device or resource busy\0"
	"\021" "File exists\0"
	"\022" "Cross-device link\0"
	"\023" "No such device\0"
	"\024" "Not a directory\0"
	"\025" "Is a directory\0"
	"\026" "Invalid argument\0"
	"\027" "Too many open files in system\0"
	"\030" "Too many open files\0"
	"\031" "Not a terminal\0"
	"\032" "Text file busy\0"
	"\033" "File too large\0"
	"\034" "No space left on device\0"
	"\035" "Illegal seek\0"
	"\036" "Read-only file system\0"
	"\037" "Too many links\0"
	"\040" "Broken pipe\0"
	"\041" "Argument out of domain\0"
	"\042" "Result out of range\0"
	"\043" "Resource deadlock would occur\0"
	"\044" "File name too long\0"
	"\045" "No locks available\0"
	"\046" "Function not implemented\0"
	"\047" "Directory not empty\0"
	"\050" "Too many levels of symbolic links\0"
	"\075" "No data available\0"
	"\076" "Timer expired\0"
	"\107" "Protocol error\0"
	"\112" "Bad message\0"
	"\113" "Value too large for data type\0"
	"\124" "Illegal byte sequence\0"
	"\130" "Not a socket\0"
	"\131" "Destination address required\0"
	"\132" "Message too long\0"
	"\133" "Wrong protocol type for socket\0"
	"\134" "Protocol not available\0"
	"\135" "Protocol not supported\0"
	"\137" "Operation not supported\0"
	"\141" "Address family not supported\0"
	"\142" "Address in use\0"
	"\143" "Address not available\0"
	"\144" "Network is down\0"
	"\145" "Network unreachable\0"
	"\146" "Connection reset by network\0"
	"\147" "Connection aborted\0"
	"\150" "Connection reset by peer\0"
	"\151" "No buffer space available\0"
	"\152" "Socket is connected\0"
	"\153" "Socket not connected\0"
	"\154" "Cannot send after socket shutdown\0"
	"\156" "Connection timed out\0"
	"\157" "Connection refused\0"
	"\160" "Host is down\0"
	"\161" "Host is unreachable\0"
	"\162" "Operation already in progress\0"
	"\163" "Operation in progress\0"
	"\172" "Disk quota exceeded\0"
	"\175" "Operation canceled\0"
	"\0";

char *strerror(int errnum)
{
	const char *p = msgs;

	if (errnum == 0)
		return (char *)"Success";
	while (*p) {
		if ((unsigned char)*p == errnum)
			return (char *)p + 1;
		p += strlen(p) + 1;
	}
	return (char *)"Unknown error";
}
