/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — sentences from a printf format (see src/format.h). */
#include "format.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* Copies len bytes of s to buf at *n, as far as size allows (one byte is
 * kept for the terminator), and counts them all. */
static void put(char *buf, size_t size, size_t *n, const char *s,
		size_t len)
{
	if (*n + 1 < size)
		memcpy(buf + *n, s, len < size - 1 - *n ? len : size - 1 - *n);
	*n += len;
}

int fg_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	const char *p, *s;
	size_t n = 0;

	/* anything but %s and %% goes to vsnprintf, before an argument
	 * is taken */
	for (p = fmt; (p = strchr(p, '%')); p += 2)
		if (p[1] != 's' && p[1] != '%')
			return vsnprintf(buf, size, fmt, ap);
	for (p = fmt; *p;) {
		if (*p != '%') {
			s = strchr(p, '%');
			if (!s)
				s = p + strlen(p);
			put(buf, size, &n, p, (size_t)(s - p));
			p = s;
			continue;
		}
		if (p[1] == '%') {
			put(buf, size, &n, "%", 1);
		} else {
			s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";   /* as glibc writes it */
			put(buf, size, &n, s, strlen(s));
		}
		p += 2;
	}
	if (size)
		buf[n < size ? n : size - 1] = 0;
	return n > INT_MAX ? -1 : (int)n;
}

int fg_format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fg_vformat(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
