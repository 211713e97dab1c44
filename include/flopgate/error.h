/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — errors.
 *
 * Every fallible library call takes an `fg_error *` that the caller owns
 * (it may be NULL when the caller does not care).  On failure the call
 * returns a negative FG_E* code and fills the error with a message and, for
 * input errors, the file, line and column it concerns.  The library never
 * prints and never exits.
 */
#ifndef FLOPGATE_ERROR_H
#define FLOPGATE_ERROR_H

#include "flopgate/export.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
	FG_OK = 0,
	FG_EINPUT = -1,     /* bad input file or value (CLI exit 2) */
	FG_EUSAGE = -2,     /* bad usage: options, arguments (CLI exit 2) */
	FG_ESTORE = -3,     /* database unusable, I/O on the store (CLI exit 3) */
	FG_EINTEGRITY = -4, /* audit chain or stored hash mismatch (CLI exit 3) */
	FG_ENOMEM = -5,     /* out of memory (CLI exit 3) */
	FG_EIO = -6,        /* cannot read or write a file (CLI exit 2) */
	FG_ENOTFOUND = -7   /* a looked-up thing does not exist (CLI exit 2) */
};

typedef struct fg_error {
	int code;           /* one of FG_E*, FG_OK when nothing went wrong */
	char file[512];     /* "" when not about a file */
	int line;           /* 1-based, 0 when unknown */
	int column;         /* 1-based, 0 when unknown */
	char message[1024];
} fg_error;

/* Clears err (NULL-safe). */
FG_API void fg_error_clear(fg_error *err);

/* Fills err (NULL-safe) and returns code, so callers can write
 * `return fg_error_set(err, FG_EINPUT, file, line, col, "...")`.
 * file may be NULL; line/column 0 when unknown. */
FG_API int fg_error_set(fg_error *err, int code, const char *file, int line,
			int column, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Formats err as "FILE:LINE:COL: message" (parts that are unknown are left
 * out) into buf; returns buf. */
FG_API char *fg_error_format(const fg_error *err, char *buf, size_t size);

/* The CLI exit status for an error code: 2 for input and usage, 3 for
 * store, integrity and memory failures. */
FG_API int fg_error_exit_status(int code);

#ifdef __cplusplus
}
#endif

#endif
