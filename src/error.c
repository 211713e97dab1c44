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
