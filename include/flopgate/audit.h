/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the audit chain, apart from any database: the chain hash
 * and the checkpoint format (src/audit.c specifies them and the canonical
 * entry byte for byte).  An outside auditor re-implements exactly this;
 * the store (store.h) builds and checks its entries with it, and
 * fg_store_verify checks a whole database.
 *
 * Nothing here touches SQLite or a file.  Functions return 0 or a negative
 * FG_E* code; on error the outputs are left untouched unless said.
 */
#ifndef FLOPGATE_AUDIT_H
#define FLOPGATE_AUDIT_H

#include "flopgate/export.h"

#include <stddef.h>
#include <stdint.h>

#include "flopgate/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The origin line of checkpoints (C2SP tlog-checkpoint, line 1). */
#define FG_CHECKPOINT_ORIGIN "flopgate audit log"

/* hash = SHA-256(prev[32] || text[0..length)).  0, or FG_ENOMEM. */
FG_API int fg_audit_chain_hash(const unsigned char prev[32], const char *text,
			       unsigned char out[32]);

/* Parses 64 lower-case hex digits into 32 bytes; -1 when malformed
 * (out may then be partly written). */
FG_API int fg_audit_unhex(const char *hex, unsigned char out[32]);

typedef struct fg_checkpoint {
	char origin[256];
	int64_t size;
	unsigned char hash[32];
} fg_checkpoint;

/* The checkpoint body of a chain of `size` entries whose last hash is
 * head (32 zero bytes for an empty chain):
 *   "flopgate audit log\n<size in decimal>\n<head, standard base64>\n".
 * *text_out is owned by the caller (free()).  0 or FG_ENOMEM. */
FG_API int fg_checkpoint_format(char **text_out, int64_t size,
				const unsigned char head[32]);

/* Parses a checkpoint body (extension lines and a signature block after a
 * blank line are ignored).  FG_EINPUT with a line number when malformed. */
FG_API int fg_checkpoint_parse(fg_checkpoint *out, const char *text,
			       fg_error *err);

#ifdef __cplusplus
}
#endif

#endif
