/* The page httpreply serves at `/`: 612 bytes, the size of nginx's
 * default index.html (our own text, padded to that size). */
#include "http.h"

const char page[] =
	"<!DOCTYPE html>\n"
	"<html>\n"
	"<head>\n"
	"<title>Welcome to httpreply!</title>\n"
	"<style>\n"
	"    body {\n"
	"        width: 35em;\n"
	"        margin: 0 auto;\n"
	"        font-family: Tahoma, Verdana, Arial, sans-serif;\n"
	"    }\n"
	"</style>\n"
	"</head>\n"
	"<body>\n"
	"<h1>Welcome to httpreply!</h1>\n"
	"<p>If you see this page, the httpreply web server is running in a\n"
	"uniforge unikernel (or as a Linux program, to compare with one).</p>\n"
	"\n"
	"<p>This page is 612 bytes long, the size of nginx's default page, so\n"
	"that benchmarks serve the same amount of data as nginx would. Other\n"
	"paths are files, too.</p>\n"
	"\n"
	"<p><em>Thank you for trying uniforge.</em></p>\n"
	"</body>\n"
	"</html>\n";

_Static_assert(sizeof(page) - 1 == PAGE_SIZE_BYTES, "the page must be 612 bytes");
