/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — run documents kept as LZ4 frames: see doc_frame.h.
 *
 * Why frames, and LZ4: a run's document is about 12 KB of JSON, most of
 * it the same keys and phrases run after run.  Recording writes every
 * byte twice (to the write-ahead log, then to the file), and at hundreds
 * of thousands of runs those bytes, not the work, set recording's pace.
 * An LZ4 frame is about a third of the text, and costs some 700 MB/s to
 * make on this project's benchmark machine, against 250-430 MB/s for
 * zstd (levels 1 to -7, a ratio of 4.5 to 2.7) and 70 MB/s for zlib at
 * level 1 (300 documents of the bench's stream, each on its own: a
 * reader must get one run back without the others).  A frame
 * (rather than a bare block) carries the text's length, and the `lz4`
 * tool reads it, so an auditor needs nothing of flopgate's to read one.
 */
#include "doc_frame.h"

#include <lz4frame.h>
#include <stdlib.h>
#include <string.h>

int fg_frame_pack(fg_jbuf *out, const char *text, size_t len)
{
	LZ4F_preferences_t prefs;
	size_t bound, n;
	char *grown;

	memset(&prefs, 0, sizeof(prefs));
	prefs.frameInfo.contentSize = len;
	prefs.frameInfo.blockSizeID = LZ4F_max64KB;
	bound = LZ4F_compressFrameBound(len, &prefs);
	out->len = 0;
	if (out->failed)
		return -1;
	if (bound > out->cap) {
		if (!(grown = realloc(out->p, bound))) {
			out->failed = 1;
			return -1;
		}
		out->p = grown;
		out->cap = bound;
	}
	n = LZ4F_compressFrame(out->p, out->cap, text, len, &prefs);
	/* With room for the bound, only a failed allocation inside LZ4
	 * makes an error. */
	if (LZ4F_isError(n)) {
		out->failed = 1;
		return -1;
	}
	out->len = n;
	return 0;
}

int fg_frame_unpack(const void *frame, size_t size, char **text,
		    size_t *len)
{
	LZ4F_dctx *d = NULL;
	LZ4F_frameInfo_t info;
	const char *in = frame;
	size_t in_size = size, used = 0, out_size, got = 0, r;
	char *out = NULL;
	int rc = -1;

	*text = NULL;
	*len = 0;
	if (LZ4F_isError(LZ4F_createDecompressionContext(&d, LZ4F_VERSION)))
		return -2;
	r = LZ4F_getFrameInfo(d, &info, in, &in_size);
	/* LZ4 gives back at most about 255 bytes a byte: a frame stating
	 * more cannot hold it, and is refused before the length it states
	 * is allocated.  A frame that states no length is refused unless it
	 * is that of an empty text, its header and the end mark. */
	if (LZ4F_isError(r) || info.contentSize > FG_FRAME_MAX_TEXT ||
	    info.contentSize > 256 * (unsigned long long)size ||
	    (info.contentSize == 0 && size != in_size + 4))
		goto done;
	if (!(out = malloc((size_t)info.contentSize + 1))) {
		rc = -2;
		goto done;
	}
	used = in_size;
	while (r != 0) {
		in_size = size - used;
		out_size = (size_t)info.contentSize - got;
		r = LZ4F_decompress(d, out + got, &out_size, in + used,
				    &in_size, NULL);
		if (LZ4F_isError(r))
			goto done;
		used += in_size;
		got += out_size;
		/* no progress: the frame is cut short */
		if (r != 0 && in_size == 0 && out_size == 0)
			goto done;
	}
	if (used != size || got != (size_t)info.contentSize)
		goto done;
	out[got] = 0;
	*text = out;
	*len = got;
	out = NULL;
	rc = 0;
done:
	free(out);
	LZ4F_freeDecompressionContext(d);
	return rc;
}
