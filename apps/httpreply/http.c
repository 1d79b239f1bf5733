/* httpreply's HTTP/1.1 half: parse a request line and the headers it
 * needs (Connection), map the target to the fixed page or a file under the
 * document root, and queue the response with its Content-Length.
 * Answers: 200, 400 (malformed), 404 (no such regular file, or a path
 * with a `..` segment), 405 (not GET/HEAD), 431 (headers over 4 KiB,
 * from main.c), 505 (not HTTP/1.x). Errors close the connection. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http.h"

/* The end of the header block (just after CRLFCRLF), or NULL. */
static char *header_end(char *buf, size_t len)
{
	for (size_t i = 3; i < len; i++)
		if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' && buf[i - 3] == '\r')
			return buf + i + 1;
	return NULL;
}

static const char *content_type(const char *path)
{
	static const struct { const char *ext, *type; } types[] = {
		{ ".html", "text/html" }, { ".htm", "text/html" }, { ".txt", "text/plain" },
		{ ".css", "text/css" }, { ".js", "text/javascript" }, { ".json", "application/json" },
		{ ".png", "image/png" }, { ".jpg", "image/jpeg" }, { ".svg", "image/svg+xml" },
	};
	const char *dot = strrchr(path, '.');

	if (dot && !strchr(dot, '/'))
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (!strcasecmp(dot, types[i].ext))
				return types[i].type;
	return "application/octet-stream";
}

/* Queues the status line and headers; 0, or -1 if they do not fit. */
static int head(struct conn *c, int status, const char *reason, const char *type, long long len)
{
	int n = snprintf(c->out + c->out_len, sizeof(c->out) - c->out_len,
			 "HTTP/1.1 %d %s\r\nServer: httpreply\r\nContent-Type: %s\r\n"
			 "Content-Length: %lld\r\nConnection: %s\r\n\r\n",
			 status, reason, type, len, c->close_after ? "close" : "keep-alive");
	if (n < 0 || (size_t)n >= sizeof(c->out) - c->out_len)
		return -1;
	c->out_len += (size_t)n;
	return 0;
}

void http_error(struct conn *c, int status, const char *reason)
{
	char body[64];
	int n = snprintf(body, sizeof(body), "%d %s\n", status, reason);

	c->close_after = 1;
	if (head(c, status, reason, "text/plain", n) == 0 &&
	    (size_t)n <= sizeof(c->out) - c->out_len) {
		memcpy(c->out + c->out_len, body, (size_t)n);
		c->out_len += (size_t)n;
	}
}

/* Does the path have a `..` segment (or is it not absolute)? */
static int escapes(const char *path)
{
	if (path[0] != '/')
		return 1;
	for (const char *p = path; (p = strstr(p, "..")); p += 2)
		if (p[-1] == '/' && (p[2] == '/' || p[2] == '\0'))
			return 1;
	return 0;
}

/* Queues `path` (under docroot) as the body; 404 when it is no regular file. */
static void serve_file(struct conn *c, const char *docroot, const char *path, int is_head)
{
	char full[1024];
	struct stat st;
	int fd;

	if (escapes(path) || snprintf(full, sizeof(full), "%s%s", docroot, path) >= (int)sizeof(full) ||
	    (fd = open(full, O_RDONLY | O_CLOEXEC)) < 0) {
		http_error(c, 404, "Not Found");
		return;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		http_error(c, 404, "Not Found");
		return;
	}
	if (head(c, 200, "OK", content_type(path), (long long)st.st_size) < 0 || is_head) {
		close(fd);
		return;
	}
	c->file_fd = fd;
	c->file_off = 0;
	c->file_end = st.st_size;
	c->no_sendfile = 0;
}

int http_answer(struct conn *c, const char *docroot)
{
	char *end = header_end(c->in, c->in_len);
	if (!end)
		return 0;
	int used = (int)(end - c->in);
	end[-2] = '\0';                         /* the headers as one string */

	/* Request line: METHOD SP TARGET SP HTTP/1.x CRLF */
	char *line_end = strstr(c->in, "\r\n");
	*line_end = '\0';
	char *method = c->in, *target = strchr(method, ' '), *version;
	if (!target || !(version = strchr(target + 1, ' '))) {
		http_error(c, 400, "Bad Request");
		return used;
	}
	*target++ = '\0';
	*version++ = '\0';
	if (strncmp(version, "HTTP/1.", 7) || !version[7] || version[8]) {
		http_error(c, 505, "HTTP Version Not Supported");
		return used;
	}
	int http10 = version[7] == '0';
	int is_head = !strcmp(method, "HEAD");
	if (!is_head && strcmp(method, "GET")) {
		http_error(c, 405, "Method Not Allowed");
		return used;
	}

	/* Connection: HTTP/1.1 keeps it unless "close", HTTP/1.0 closes it
	 * unless "keep-alive". Other headers do not change the answer. */
	c->close_after = http10;
	for (char *h = line_end + 2; *h; ) {
		char *next = strstr(h, "\r\n");
		if (next)
			*next = '\0';
		if (!strncasecmp(h, "Connection:", 11)) {
			const char *v = h + 11 + strspn(h + 11, " \t");
			if (!strncasecmp(v, "close", 5))
				c->close_after = 1;
			else if (!strncasecmp(v, "keep-alive", 10))
				c->close_after = 0;
		}
		if (!next)
			break;
		h = next + 2;
	}

	char *query = strchr(target, '?');
	if (query)
		*query = '\0';
	if (!strcmp(target, "/")) {
		if (head(c, 200, "OK", "text/html", PAGE_SIZE_BYTES) == 0 && !is_head) {
			memcpy(c->out + c->out_len, page, PAGE_SIZE_BYTES);
			c->out_len += PAGE_SIZE_BYTES;
		}
	} else {
		serve_file(c, docroot, target, is_head);
	}
	return used;
}
