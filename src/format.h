/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — sentences from a printf format (src/format.c).  Internal. */
#ifndef FG_FORMAT_H
#define FG_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* vsnprintf's contract (the length the whole text takes, buf always
 * terminated when size > 0, a negative value on error), and its output;
 * a format whose only conversions are %s and %% is written without
 * vsnprintf, which is most of the cost of a short sentence. */
int fg_vformat(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* fg_vformat with its arguments in line, as snprintf. */
int fg_format(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
