/* httpreply's connection state and its HTTP half (http.c): parse one
 * request from a connection's input, queue its response. main.c owns the
 * sockets and the event loop. */
#ifndef HTTPREPLY_HTTP_H
#define HTTPREPLY_HTTP_H

#include <stddef.h>
#include <sys/types.h>

#define PAGE_SIZE_BYTES 612

struct conn {
	int fd;
	unsigned events;           /* what epoll waits for now */
	int close_after;           /* close once the response is sent */
	int no_sendfile;           /* sendfile refused this file: read+write */
	size_t in_len;             /* bytes of request data in in[] */
	size_t out_len, out_off;   /* out[out_off..out_len) still to send */
	int file_fd;               /* then the file's [file_off..file_end), or -1 */
	off_t file_off, file_end;
	char in[4096];
	char out[2048];
};

extern const char page[];      /* page.c: the fixed page served at / */

/* If in[] holds a complete request: queues its response (out[] and maybe
 * a file), sets close_after when the connection ends with it, and returns
 * the bytes the request used. 0 while the request is incomplete. */
int http_answer(struct conn *c, const char *docroot);

/* Queues an error response with a short text body and closes after it. */
void http_error(struct conn *c, int status, const char *reason);

#endif
