/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: unpacking the LZ4 frames that hold stored run
 * documents (src/doc_frame.h), bytes read from a database file that
 * anyone holding it may have edited.  Bytes either unpack to a
 * NUL-terminated text of the length their frame states, or are refused
 * (never a crash, a read past them or an allocation they cannot fill);
 * and any input packed comes back as it was. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "doc_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fg_jbuf frame = {0};
	char *text;
	size_t len;
	int rc;

	rc = fg_frame_unpack(data, size, &text, &len);
	if (rc == 0) {
		if (text[len] != 0 || len > 256 * size)
			abort();
		free(text);
	} else if ((rc != -1 && rc != -2) || text || len) {
		abort();
	}
	if (fg_frame_pack(&frame, (const char *)data, size) == 0) {
		if (fg_frame_unpack(frame.p, frame.len, &text, &len) != 0 ||
		    len != size || (size && memcmp(text, data, size)))
			abort();
		free(text);
	}
	fg_jw_free(&frame);
	return 0;
}
