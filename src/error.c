/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — errors (see include/flopgate/error.h). */
#include "flopgate/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void fg_error_clear(fg_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

/* Messages quote what the input said (keys, values, ids), and they end up
 * on a terminal: control characters (C0, DEL, and C1 such as the 8-bit
 * CSI) become '?', so a file cannot move the cursor, recolour or retitle
 * the terminal of whoever checks it, and a message stays on one line. */
static void defuse(char *s)
{
	unsigned char *r = (unsigned char *)s, *w = r;

	while (*r) {
		if (r[0] == 0xC2 && r[1] >= 0x80 && r[1] <= 0x9F) {
			*w++ = '?';
			r += 2;
		} else if (*r < 0x20 || *r == 0x7F) {
			*w++ = '?';
			r++;
		} else {
			*w++ = *r++;
		}
	}
	*w = 0;
}

int fg_error_set(fg_error *err, int code, const char *file, int line,
		 int column, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	err->line = line;
	err->column = column;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	defuse(err->message);
	defuse(err->file);
	return code;
}

char *fg_error_format(const fg_error *err, char *buf, size_t size)
{
	if (!size)
		return buf;
	if (!err || !err->code) {
		snprintf(buf, size, "no error");
	} else if (err->file[0] && err->line > 0 && err->column > 0) {
		snprintf(buf, size, "%s:%d:%d: %s", err->file, err->line,
			 err->column, err->message);
	} else if (err->file[0] && err->line > 0) {
		snprintf(buf, size, "%s:%d: %s", err->file, err->line,
			 err->message);
	} else if (err->file[0]) {
		snprintf(buf, size, "%s: %s", err->file, err->message);
	} else {
		snprintf(buf, size, "%s", err->message);
	}
	return buf;
}

int fg_error_exit_status(int code)
{
	switch (code) {
	case FG_OK:
		return 0;
	case FG_ESTORE:
	case FG_EINTEGRITY:
	case FG_ENOMEM:
		return 3;
	default:
		return 2;
	}
}
