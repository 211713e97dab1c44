/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — what the shared library exports.
 *
 * libflopgate.so is built with -fvisibility=hidden: a function or object
 * is exported only when its declaration in these headers carries FG_API,
 * so the library's own helpers stay its own and the ABI is exactly what
 * the headers declare (tests/cli/test_exports.sh holds the two lists to
 * each other).  A program may define FG_API itself (empty) before
 * including a header, for a compiler without GCC's attributes.
 */
#ifndef FLOPGATE_EXPORT_H
#define FLOPGATE_EXPORT_H

#ifndef FG_API
#if defined(__GNUC__) && __GNUC__ >= 4
#define FG_API __attribute__((visibility("default")))
#else
#define FG_API
#endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* (FG_API is all this header defines.) */

#ifdef __cplusplus
}
#endif

#endif
