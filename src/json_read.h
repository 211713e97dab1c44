/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — reading JSON fast (internal, not API).
 *
 * fg_json_loadb is json_loadb(text, len, 0, err) for the documents the
 * store hands back: the same value (the same types, keys in the same
 * order, a repeated key's last value) for every text jansson 2.14
 * accepts, and for every text it refuses jansson's own error.  A report
 * of 200,000 runs parses 200,000 stored documents, and jansson reads one
 * byte at a time through a callback; this reads them straight from the
 * buffer.  Where a text holds anything this reader does not settle on its
 * own (a number jansson might refuse, a key with an escape, a depth near
 * jansson's limit, any error at all), it hands the whole text to
 * json_loadb, which decides.  tests/check_json_read.c and
 * tests/fuzz/fuzz_json_read.c hold the two to the same values.
 */
#ifndef FLOPGATE_JSON_READ_H
#define FLOPGATE_JSON_READ_H

#include <stddef.h>
#include <jansson.h>

/* The value of the JSON text[0..len) (an object or an array, as
 * json_loadb without JSON_DECODE_ANY), a new reference; NULL with *err
 * set as json_loadb sets it (err may be NULL). */
json_t *fg_json_loadb(const char *text, size_t len, json_error_t *err);

/* The fast reader alone: the value fg_json_loadb gives, or NULL where it
 * hands the text to jansson (for the tests: which texts it settles). */
json_t *fg_json_read(const char *text, size_t len);

#endif
