/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the whole public API in one include.
 *
 *   #include <flopgate.h>
 *   cc prog.c $(pkg-config --cflags --libs flopgate)
 *
 * Each module also has its own header under flopgate/ (flopgate/run.h,
 * flopgate/rules.h, ...) for a program that needs only part of it.  What
 * is not declared in these headers is not API.  Every header is usable
 * from C++ (extern "C") and includes nothing but the C library's headers:
 * the result document is handed out as JSON text, never as a value of
 * the JSON library the library uses inside.
 *
 * The pipeline, in the order data flows through it:
 *   flopgate/yaml.h        the YAML loader every file goes through
 *   flopgate/suggest.h     "did you mean": what an unknown name meant
 *   flopgate/quantity.h    numbers, units, dates and their formatting
 *   flopgate/exact.h       exact figures (rationals) for legal lines
 *   flopgate/figure.h      figures for people, and relations that hold
 *                          as printed
 *   flopgate/hardware.h    the accelerator catalog
 *   flopgate/run.h         run files: one training run's model
 *   flopgate/jurisdiction.h  jurisdiction codes and their coverage
 *   flopgate/rules.h       rulesets: legal lines as data
 *   flopgate/waiver.h      accepted findings
 *   flopgate/estimate.h    training compute per phase, with ranges
 *   flopgate/evaluate.h    findings of runs against rules
 *   flopgate/result.h      the JSON result document
 *   flopgate/source.h      the run files a command reads
 *   flopgate/sink.h        where each run's result goes, run by run
 *   flopgate/output.h      outputs that appear whole or not at all
 *   flopgate/render.h      text, JSON, Markdown, JUnit and SARIF renderers
 *   flopgate/audit.h       the audit chain, apart from any database
 *   flopgate/store.h       the SQLite store and its audit chain
 *   flopgate/check.h       the pipeline: sources to sinks, run by run;
 *                          fg_check_json, the JSON document in one call
 *   flopgate/note.h        signed checkpoints (C2SP signed notes)
 *   flopgate/hash.h        SHA-256
 *   flopgate/error.h       the error every call reports through
 *   flopgate/export.h      FG_API: what the shared library exports
 *
 * FLOPGATE_VERSION is the version of the headers; flopgate --version
 * prints the program's.
 */
#ifndef FLOPGATE_H
#define FLOPGATE_H

#define FLOPGATE_VERSION "0.1.0"

#include "flopgate/export.h"
#include "flopgate/error.h"
#include "flopgate/yaml.h"
#include "flopgate/suggest.h"
#include "flopgate/quantity.h"
#include "flopgate/exact.h"
#include "flopgate/figure.h"
#include "flopgate/hardware.h"
#include "flopgate/run.h"
#include "flopgate/jurisdiction.h"
#include "flopgate/rules.h"
#include "flopgate/waiver.h"
#include "flopgate/estimate.h"
#include "flopgate/evaluate.h"
#include "flopgate/result.h"
#include "flopgate/source.h"
#include "flopgate/sink.h"
#include "flopgate/output.h"
#include "flopgate/render.h"
#include "flopgate/audit.h"
#include "flopgate/store.h"
#include "flopgate/check.h"
#include "flopgate/report.h"
#include "flopgate/note.h"
#include "flopgate/hash.h"

#endif
