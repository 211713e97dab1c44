/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — SARIF 2.1.0 from the result document.
 *
 * Code-scanning tools read SARIF (OASIS SARIF 2.1.0): one run of the tool
 * "flopgate", a reportingDescriptor per rule id, and one result per
 * finding someone must act on or know about: triggered, near, waived
 * (as a suppressed note) and indeterminate (a figure is missing, so the
 * rule could not be decided).  Clear and not-applicable findings give no
 * result.  Each result points at the run's file and line.  A run's
 * warnings (estimates that disagree, jurisdiction codes that look like a
 * slip, expired waivers) are results of the rule "flopgate.run-warning"
 * at level warning, so that code scanning shows them where it shows the
 * findings.
 *
 * What code scanning keys on (each validated against the OASIS schema in
 * tests/schema/ by the test suite):
 *
 * - Every rule has help (text and Markdown: title, citation, instrument,
 *   where and when it applies, severity, obligations and their due
 *   rules) and a helpUri: its ruleset's source when that is an http(s)
 *   URL, else the ruleset file itself as a file: URI; the tool's own
 *   run-warning rule points at man:flopgate(1).
 * - Every result has partialFingerprints {"flopgate/v1": H}, H the first
 *   32 hex digits of SHA-256("RULESET\nRULE\nRUN-ID") (of
 *   "flopgate.run-warning\nRUN-ID\nTEXT" for a warning): the same finding
 *   of the same run is one alert from one evaluation to the next, however
 *   its figures, file or line move.
 * - The run's automationDetails.id is "CATEGORY/AS-OF" (CATEGORY
 *   "flopgate/check" unless the caller gives one): code scanning takes
 *   what comes before the last '/' as the analysis category, so each day's
 *   upload replaces the previous one instead of piling up beside it.
 * - A file is located by a URI relative to %SRCROOT% (uriBaseId), "./",
 *   "." and empty segments dropped and "dir/.." folded, when it lies under
 *   the source root (the current directory, given by the caller; then
 *   originalUriBaseIds gives it as a file: URI ending in '/'); a file
 *   outside it by an absolute file: URI; standard input by its run id
 *   alone (a logical location).
 */
#include "flopgate/render.h"

#include <stdlib.h>
#include <string.h>
#include "flopgate/hash.h"
#include "render_util.h"

#define SARIF_SCHEMA \
	"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/" \
	"schemas/sarif-schema-2.1.0.json"

/* Sets key to value (stealing it); a NULL value or a failed set marks the
 * build as out of memory, so one check at the end covers every step. */
static void put(json_t *obj, const char *key, json_t *value, int *oom)
{
	if (!value || json_object_set_new(obj, key, value))
		*oom = 1;
}

static void append(json_t *array, json_t *value, int *oom)
{
	if (!value || json_array_append_new(array, value))
		*oom = 1;
}

static void put_str(json_t *obj, const char *key, const char *text, int *oom)
{
	if (text)
		put(obj, key, json_string(text), oom);
}

static void put_num(json_t *obj, const json_t *from, const char *key,
		    int *oom)
{
	double v;

	if (fg_rd_num(&v, from, key))
		put(obj, key, json_real(v), oom);
}

static const char *severity_level(const char *severity)
{
	if (severity && !strcmp(severity, "blocking"))
		return "error";
	if (severity && !strcmp(severity, "info"))
		return "note";
	return "warning";
}

static const char *result_level(const json_t *f)
{
	const char *severity = fg_rd_str(f, "severity");

	switch (fg_rd_outcome(f)) {
	case FG_RD_TRIGGERED:
		return severity_level(severity);
	case FG_RD_WAIVED:
		return "note";
	default: /* near, indeterminate: worth a look, not an error */
		return severity && !strcmp(severity, "info") ? "note" :
		       "warning";
	}
}

/* ---- where a file is ----------------------------------------------------- */

#define SRCROOT "%SRCROOT%"

/* path as the path of a URI (RFC 3986): bytes outside the unreserved and
 * sub-delims sets, '@' and '/' are percent-encoded (':' too, which in the
 * first segment of a relative reference would read as a scheme).  Caller
 * frees; NULL when out of memory. */
static char *uri_encode(const char *prefix, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *s = (const unsigned char *)path;
	size_t n = strlen(prefix);
	char *uri = malloc(n + strlen(path) * 3 + 1), *p;

	if (!uri)
		return NULL;
	memcpy(uri, prefix, n);
	for (p = uri + n; *s; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr("-._~!$&'()*+,;=@/", *s)) {
			*p++ = (char)*s;
		} else {
			*p++ = '%';
			*p++ = hex[*s >> 4];
			*p++ = hex[*s & 15];
		}
	}
	*p = 0;
	return uri;
}

/* path with '\\' read as '/', empty and "." segments dropped and "dir/.."
 * folded: "./a//b/../c" is "a/c".  A relative path keeps the ".." that
 * climb out of it; an absolute one keeps its leading '/' and drops those
 * that would climb above the root.  Lexical, as the repository a code
 * scanner shows is.  Caller frees; NULL when out of memory. */
static char *normalise(const char *path)
{
	size_t n = strlen(path), top = 0, fixed = 0, i, len = 0, l;
	const char **seg = malloc((n / 2 + 2) * sizeof(*seg));
	size_t *seg_len = malloc((n / 2 + 2) * sizeof(*seg_len));
	int absolute = path[0] == '/' || path[0] == '\\';
	const char *p, *e;
	char *out = malloc(n + 2);

	if (!seg || !seg_len || !out) {
		free(out);
		out = NULL;
		goto done;
	}
	for (p = path; *p; p = e) {
		while (*p == '/' || *p == '\\')
			p++;
		for (e = p; *e && *e != '/' && *e != '\\'; e++)
			;
		l = (size_t)(e - p);
		if (l == 0 || (l == 1 && p[0] == '.'))
			continue;
		if (l == 2 && p[0] == '.' && p[1] == '.') {
			if (top > fixed) {
				top--;
				continue;
			}
			if (absolute)
				continue;
			fixed++;
		}
		seg[top] = p;
		seg_len[top++] = l;
	}
	if (absolute)
		out[len++] = '/';
	for (i = 0; i < top; i++) {
		if (i)
			out[len++] = '/';
		memcpy(out + len, seg[i], seg_len[i]);
		len += seg_len[i];
	}
	out[len] = 0;
done:
	free(seg);
	free(seg_len);
	return out;
}

/* dir + "/" + path, normalised.  Caller frees; NULL when out of memory. */
static char *join_normalised(const char *dir, const char *path)
{
	size_t a = strlen(dir), b = strlen(path);
	char *joined = malloc(a + b + 2), *out;

	if (!joined)
		return NULL;
	memcpy(joined, dir, a);
	joined[a] = '/';
	memcpy(joined + a + 1, path, b + 1);
	out = normalise(joined);
	free(joined);
	return out;
}

/* The part of the absolute, normalised path under root (normalised too),
 * NULL when it is not under it. */
static const char *under(const char *path, const char *root)
{
	size_t n = strlen(root);

	if (!strcmp(root, "/"))
		return path[1] ? path + 1 : NULL;
	if (strncmp(path, root, n) || path[n] != '/' || !path[n + 1])
		return NULL;
	return path + n + 1;
}

/* Where path is: *uri a reference relative to %SRCROOT% (*relative set)
 * when the file is under srcroot (an absolute directory; anything else
 * counts as not known), or is relative and srcroot is not known; else an
 * absolute file: URI.  Returns 0, or -1 when out of memory. */
static int locate(char **uri, int *relative, const char *path,
		  const char *srcroot)
{
	char *norm = normalise(path), *root = NULL, *abs = NULL;
	const char *rel = NULL;
	int climbs;

	*uri = NULL;
	*relative = 0;
	if (!norm)
		return -1;
	if (srcroot && srcroot[0] != '/')
		srcroot = NULL;
	climbs = !strncmp(norm, "..", 2) && (!norm[2] || norm[2] == '/');
	if (norm[0] != '/' && (!climbs || !srcroot)) {
		rel = norm;
	} else if (srcroot) {
		if (!(root = normalise(srcroot)) ||
		    (norm[0] != '/' && !(abs = join_normalised(root, norm))))
			goto done;
		rel = under(abs ? abs : norm, root);
	}
	if (rel) {
		*uri = uri_encode("", rel);
		*relative = 1;
	} else {
		*uri = uri_encode("file://", abs ? abs : norm);
	}
done:
	free(norm);
	free(root);
	free(abs);
	return *uri ? 0 : -1;
}

/* An artifactLocation for path into obj (under "artifactLocation"). */
static void put_artifact(json_t *obj, const char *path, const char *srcroot,
			 int *oom)
{
	json_t *art = json_object();
	char *uri;
	int relative;

	if (!art || locate(&uri, &relative, path, srcroot) < 0) {
		json_decref(art);
		*oom = 1;
		return;
	}
	put_str(art, "uri", uri, oom);
	if (relative)
		put_str(art, "uriBaseId", SRCROOT, oom);
	free(uri);
	put(obj, "artifactLocation", art, oom);
}

/* Standard input has no file a code scanner could show. */
static int is_stdin(const char *file)
{
	return !strcmp(file, "<stdin>");
}

/* ---- the rules' help ------------------------------------------------------ */

/* A ruleset's documentation: its source when that is a web page, else
 * its file as a file: URI.  Caller frees; NULL when there is none (or
 * out of memory: *oom set). */
static char *help_uri(const json_t *rs, const char *srcroot, int *oom)
{
	const char *source = fg_rd_str(rs, "source"), *file = fg_rd_str(rs,
									"file");
	char *norm, *uri;

	if (source && (!strncmp(source, "https://", 8) ||
		       !strncmp(source, "http://", 7)) && !strpbrk(source, " \t"))
	{
		char *dup = strdup(source);

		if (!dup)
			*oom = 1;
		return dup;
	}
	if (!file || !*file)
		return NULL;
	if (file[0] == '/')
		norm = normalise(file);
	else if (srcroot && srcroot[0] == '/')
		norm = join_normalised(srcroot, file);
	else
		return NULL;
	uri = norm ? uri_encode("file://", norm) : NULL;
	if (!uri)
		*oom = 1;
	free(norm);
	return uri;
}

static void due_rule(FILE *m, const json_t *o)
{
	double days;
	const char *after = fg_rd_str(o, "after"), *c;

	if (!fg_rd_num(&days, o, "days") || !after) {
		fputs("ongoing, no due date", m);
	} else {
		if (days > 0)
			fprintf(m, "due within %.0f days after: ", days);
		else
			fputs("due on: ", m);
		for (c = after; *c; c++)
			fputc(*c == '_' ? ' ' : *c, m);
	}
	if (fg_rd_str(o, "not_before"))
		fprintf(m, ", not before %s", fg_rd_str(o, "not_before"));
}

static const char *severity_meaning(const char *severity)
{
	if (severity && !strcmp(severity, "blocking"))
		return "a triggered finding fails the gate (a near one too "
		       "with --fail-on near) unless a valid waiver covers it";
	if (severity && !strcmp(severity, "info"))
		return "for information; never fails the gate";
	return "reported; never fails the gate";
}

/* Text (markdown 0) or Markdown (1) help of a rule from its static facts
 * and its ruleset's.  Strings from rulesets are escaped in Markdown. */
static void write_help(FILE *m, const json_t *rule, const json_t *rs,
		       int markdown)
{
	void (*say)(FILE *, const char *) = markdown ? fg_md_text : NULL;
	const char *title = fg_rd_str(rule, "title");
	const char *citation = fg_rd_str(rule, "citation");
	const char *severity = fg_rd_str(rule, "severity");
	const json_t *o, *j;
	size_t i;
	double near;

#define SAY(text) (say ? say(m, (text)) : (void)fputs((text), m))
	fputs(markdown ? "**" : "", m);
	SAY(title ? title : fg_rd_str(rule, "id"));
	fputs(markdown ? "**" : "", m);
	if (citation) {
		fputs(" (", m);
		SAY(citation);
		fputc(')', m);
	}
	if (fg_rd_str(rs, "title")) {
		fputs(", ", m);
		SAY(fg_rd_str(rs, "title"));
	}
	if (fg_rd_str(rs, "version")) {
		fputs(" (", m);
		SAY(fg_rd_str(rs, "version"));
		fputc(')', m);
	}
	fputs(markdown ? "\n\n- Applies to: " : ".\n\nApplies to: ", m);
	json_array_foreach(fg_rd_array(rule, "applies_to"), i, j) {
		fputs(i ? ", " : "", m);
		SAY(json_string_value(j) ? json_string_value(j) : "?");
	}
	if (!json_array_size(fg_rd_array(rule, "applies_to")))
		SAY(fg_rd_str(rule, "jurisdiction") ?
		    fg_rd_str(rule, "jurisdiction") : "everywhere");
	fputs(markdown ? "\n- In force: " : ".\nIn force: ", m);
	if (fg_rd_str(rule, "effective_from"))
		fprintf(m, "from %s", fg_rd_str(rule, "effective_from"));
	if (fg_rd_str(rule, "effective_until"))
		fprintf(m, "%suntil %s", fg_rd_str(rule, "effective_from")
			? " " : "", fg_rd_str(rule, "effective_until"));
	if (!fg_rd_str(rule, "effective_from") &&
	    !fg_rd_str(rule, "effective_until"))
		fputs("always", m);
	fprintf(m, markdown ? "\n- Severity: **%s**: %s" : ".\nSeverity: %s: %s",
		severity ? severity : "warning", severity_meaning(severity));
	if (fg_rd_num(&near, rule, "near"))
		fprintf(m, markdown ? "\n- Near: at %.4g %% of the line or "
			"more, or over it at the high end of the estimate"
			: ".\nNear: at %.4g %% of the line or more, or over it "
			"at the high end of the estimate", near * 100);
	fputs(markdown ? "\n" : ".\n", m);
	if (json_array_size(fg_rd_array(rule, "obligations")))
		fputs(markdown ? "\nObligations when it triggers:\n\n"
			       : "\nObligations when it triggers:\n", m);
	json_array_foreach(fg_rd_array(rule, "obligations"), i, o) {
		fputs("- ", m);
		SAY(fg_rd_str(o, "text") ? fg_rd_str(o, "text")
					 : fg_rd_str(o, "id"));
		if (fg_rd_str(o, "citation")) {
			fputs(" (", m);
			SAY(fg_rd_str(o, "citation"));
			fputc(')', m);
		}
		fputs("; ", m);
		due_rule(m, o);
		if (fg_rd_str(o, "condition")) {
			fputs("; only when ", m);
			SAY(fg_rd_str(o, "condition"));
		}
		fputc('\n', m);
	}
	if (fg_rd_str(rs, "source")) {
		fputs("\nSource: ", m);
		if (markdown && !strncmp(fg_rd_str(rs, "source"), "https://", 8) &&
		    !strpbrk(fg_rd_str(rs, "source"), " <>"))
			fprintf(m, "<%s>", fg_rd_str(rs, "source"));
		else
			SAY(fg_rd_str(rs, "source"));
		fputc('\n', m);
	}
#undef SAY
}

/* {"text", "markdown"} help of a rule. */
static json_t *help_json(const json_t *rule, const json_t *rs, int *oom)
{
	json_t *help = json_object();
	char *text = NULL;
	size_t size = 0;
	FILE *m;
	int markdown;

	if (!help) {
		*oom = 1;
		return NULL;
	}
	for (markdown = 0; markdown < 2; markdown++) {
		text = NULL;
		if (!(m = open_memstream(&text, &size))) {
			*oom = 1;
			break;
		}
		write_help(m, rule, rs, markdown);
		if (fclose(m))
			*oom = 1;
		else
			put_str(help, markdown ? "markdown" : "text", text, oom);
		free(text);
	}
	return help;
}

/* ---- fingerprints --------------------------------------------------------- */

/* {"flopgate/v1": the first 32 hex digits of SHA-256("A\nB\nC")}. */
static json_t *fingerprints(const char *a, const char *b, const char *c,
			    int *oom)
{
	char *text = NULL, hex[65];
	size_t size = 0;
	FILE *m = open_memstream(&text, &size);
	json_t *fp = NULL;

	if (m) {
		fprintf(m, "%s\n%s\n%s", a ? a : "", b ? b : "", c ? c : "");
		if (!fclose(m) && fg_sha256_hex(text, size, hex) == 0) {
			hex[32] = 0;
			fp = json_pack("{s:s}", "flopgate/v1", hex);
		}
		free(text);
	}
	if (!fp)
		*oom = 1;
	return fp;
}

static const json_t *find_ruleset(const json_t *doc, const char *id)
{
	json_t *rs;
	size_t i;

	json_array_foreach(fg_rd_array(doc, "rulesets"), i, rs)
		if (id && fg_rd_str(rs, "id") && !strcmp(fg_rd_str(rs, "id"), id))
			return rs;
	return NULL;
}

static json_t *text_object(const char *text, int *oom)
{
	json_t *o = json_object();

	if (!o) {
		*oom = 1;
		return NULL;
	}
	put_str(o, "text", text, oom);
	return o;
}

/* The reportingDescriptor of f's rule: its static facts from rule_facts
 * (the document's rulesets[].rules[] entry; f itself in a document
 * recorded before those existed), its help and where to read more. */
static json_t *descriptor(const json_t *doc, const json_t *f,
			  const json_t *rule_facts, const char *srcroot,
			  int *oom)
{
	const json_t *rule = rule_facts ? rule_facts : f;
	const char *id = fg_rd_str(f, "rule"), *title = fg_rd_str(rule, "title");
	const char *citation = fg_rd_str(rule, "citation");
	const char *severity = fg_rd_str(rule, "severity");
	const json_t *rs = find_ruleset(doc, fg_rd_str(f, "ruleset"));
	json_t *d = json_object(), *config = json_object();
	json_t *props = json_object(), *tags = json_array();
	char *full = NULL, *uri;
	size_t size = 0;
	FILE *m;

	if (!d || !config || !props || !tags) {
		*oom = 1;
		json_decref(d);
		json_decref(config);
		json_decref(props);
		json_decref(tags);
		return NULL;
	}
	put_str(d, "id", id, oom);
	put(d, "shortDescription", text_object(title ? title : id, oom), oom);
	if ((m = open_memstream(&full, &size))) {
		fprintf(m, "%s", title ? title : id);
		if (citation)
			fprintf(m, " (%s)", citation);
		if (fg_rd_str(rs, "title"))
			fprintf(m, ", %s", fg_rd_str(rs, "title"));
		if (!fclose(m))
			put(d, "fullDescription", text_object(full, oom), oom);
		free(full);
	}
	put(d, "help", help_json(rule, rs, oom), oom);
	if ((uri = help_uri(rs, srcroot, oom)))
		put_str(d, "helpUri", uri, oom);
	else
		put_str(d, "helpUri", "man:flopgate-rules(5)", oom);
	free(uri);
	put_str(config, "level", severity_level(severity), oom);
	put(d, "defaultConfiguration", config, oom);
	put_str(props, "citation", citation, oom);
	put_str(props, "jurisdiction", fg_rd_str(rule, "jurisdiction"), oom);
	put_str(props, "ruleset", fg_rd_str(f, "ruleset"), oom);
	put_str(props, "severity", severity, oom);
	append(tags, json_string("compliance"), oom);
	if (fg_rd_str(rule, "jurisdiction"))
		append(tags, json_string(fg_rd_str(rule, "jurisdiction")), oom);
	put(props, "tags", tags, oom);
	put(d, "properties", props, oom);
	return d;
}

static json_t *location(const json_t *run, const char *srcroot, int *oom)
{
	const char *file = fg_rd_str(run, "file");
	json_t *loc = json_object(), *physical, *region, *logical;
	double line;

	if (!loc) {
		*oom = 1;
		return NULL;
	}
	if (file && *file && !is_stdin(file)) {
		physical = json_object();
		put(loc, "physicalLocation", physical, oom);
		if (physical)
			put_artifact(physical, file, srcroot, oom);
		if (physical && fg_rd_num(&line, run, "line") && line >= 1) {
			region = json_object();
			put(physical, "region", region, oom);
			if (region)
				put(region, "startLine",
				    json_integer((json_int_t)line), oom);
		}
	}
	/* The run id says which run of a many-run file this is. */
	logical = json_object();
	if (logical) {
		put_str(logical, "fullyQualifiedName", fg_rd_str(run, "id"),
			oom);
		put_str(logical, "kind", "object", oom);
	}
	put(loc, "logicalLocations", json_array(), oom);
	append(json_object_get(loc, "logicalLocations"), logical, oom);
	return loc;
}

static json_t *result(const json_t *run, const json_t *f, size_t rule_index,
		      const char *srcroot, int *oom)
{
	json_t *r = json_object(), *locations = json_array();
	json_t *props = json_object(), *dues = json_array(), *o, *suppression;
	json_t *waiver = json_object_get(f, "waiver");
	char *message = fg_rd_finding_message(run, f);
	size_t i;

	if (!r || !locations || !props || !dues || !message) {
		*oom = 1;
		json_decref(r);
		json_decref(locations);
		json_decref(props);
		json_decref(dues);
		free(message);
		return NULL;
	}
	put_str(r, "ruleId", fg_rd_str(f, "rule"), oom);
	put(r, "ruleIndex", json_integer((json_int_t)rule_index), oom);
	put_str(r, "level", result_level(f), oom);
	put(r, "message", text_object(message, oom), oom);
	free(message);
	append(locations, location(run, srcroot, oom), oom);
	put(r, "locations", locations, oom);
	put(r, "partialFingerprints", fingerprints(fg_rd_str(f, "ruleset"),
		fg_rd_str(f, "rule"), fg_rd_str(run, "id"), oom), oom);
	if (fg_rd_outcome(f) == FG_RD_WAIVED) {
		/* SARIF §3.35: an accepted, externally recorded suppression. */
		json_t *list = json_array();

		suppression = json_object();
		if (suppression) {
			put_str(suppression, "kind", "external", oom);
			put_str(suppression, "status", "accepted", oom);
			put_str(suppression, "justification",
				fg_rd_str(waiver, "reason"), oom);
		}
		append(list ? list : r, suppression, oom);
		put(r, "suppressions", list, oom);
	}
	put_str(props, "run", fg_rd_str(run, "id"), oom);
	put_str(props, "outcome", fg_rd_str(f, "outcome"), oom);
	put_str(props, "metric", fg_rd_str(f, "metric"), oom);
	put_str(props, "op", fg_rd_str(f, "op"), oom);
	put_num(props, f, "threshold", oom);
	put_num(props, f, "value", oom);
	put_str(props, "relation", fg_rd_str(f, "relation"), oom);
	put_num(props, f, "low", oom);
	put_num(props, f, "high", oom);
	put_num(props, f, "headroom", oom);
	put_str(props, "known_since", fg_rd_str(f, "known_since"), oom);
	json_array_foreach(fg_rd_array(f, "obligations"), i, o) {
		json_t *due = json_object();

		if (due) {
			put_str(due, "id", fg_rd_str(o, "id"), oom);
			put_str(due, "due", fg_rd_str(o, "due"), oom);
			if (json_is_boolean(json_object_get(o, "overdue")))
				put(due, "overdue",
				    json_boolean(json_is_true(
					    json_object_get(o, "overdue"))),
				    oom);
			if (json_is_boolean(json_object_get(o, "owed")))
				put(due, "owed",
				    json_boolean(json_is_true(
					    json_object_get(o, "owed"))),
				    oom);
		}
		append(dues, due, oom);
	}
	put(props, "obligations", dues, oom);
	put(props, "gate_fails",
	    json_boolean(json_is_true(json_object_get(f, "gate_fails"))), oom);
	put(r, "properties", props, oom);
	return r;
}

#define RUN_WARNING "flopgate.run-warning"
#define WARNING_HELP \
	"A warning about a run file that decides no outcome but may hide a " \
	"mistake: estimates of one phase that disagree by more than the 30 % " \
	"margin the Commission's GPAI guidelines allow, a jurisdiction code " \
	"one edit from one the rules cover (CA beside US-CA), a waiver that " \
	"has expired.  Check the run file at the line shown; the warning " \
	"goes away once the file says what was meant."

static json_t *warning_descriptor(int *oom)
{
	json_t *d = json_object(), *config = json_object();

	if (!d || !config) {
		*oom = 1;
		json_decref(d);
		json_decref(config);
		return NULL;
	}
	put_str(d, "id", RUN_WARNING, oom);
	put(d, "shortDescription",
	    text_object("Something in a run file to check", oom), oom);
	put(d, "fullDescription",
	    text_object("A warning about a run file: estimates that disagree "
			"by more than the 30 % margin, a jurisdiction code "
			"that looks like a slip for one the rules cover, an "
			"expired waiver.", oom), oom);
	put(d, "help", json_pack("{s:s, s:s}", "text", WARNING_HELP,
				 "markdown", WARNING_HELP), oom);
	put_str(d, "helpUri", "man:flopgate(1)", oom);
	put_str(config, "level", "warning", oom);
	put(d, "defaultConfiguration", config, oom);
	return d;
}

static json_t *warning_result(const json_t *run, const char *text,
			      size_t rule_index, const char *srcroot,
			      int *oom)
{
	json_t *r = json_object(), *locations = json_array();
	char *message = NULL;
	size_t size = 0;
	FILE *m;

	if (!r || !locations || !(m = open_memstream(&message, &size))) {
		*oom = 1;
		json_decref(r);
		json_decref(locations);
		return NULL;
	}
	fprintf(m, "run %s: %s", fg_rd_str(run, "id") ? fg_rd_str(run, "id")
						      : "?", text);
	if (fclose(m))
		*oom = 1;
	put_str(r, "ruleId", RUN_WARNING, oom);
	put(r, "ruleIndex", json_integer((json_int_t)rule_index), oom);
	put_str(r, "level", "warning", oom);
	put(r, "message", text_object(message ? message : text, oom), oom);
	free(message);
	append(locations, location(run, srcroot, oom), oom);
	put(r, "locations", locations, oom);
	put(r, "partialFingerprints", fingerprints(RUN_WARNING,
		fg_rd_str(run, "id"), text, oom), oom);
	return r;
}

static int reported(const json_t *f)
{
	int outcome = fg_rd_outcome(f);

	return outcome == FG_RD_TRIGGERED || outcome == FG_RD_NEAR ||
	       outcome == FG_RD_WAIVED || outcome == FG_RD_INDETERMINATE;
}

/* SARIF is one object whose rules come before its results: streamed, the
 * results go to a spool as they come and the head is written at the end,
 * when every rule and warning is known.  The bytes are those jansson's
 * json_dumpf(JSON_INDENT(2) | JSON_PRESERVE_ORDER) gives the whole
 * object. */
typedef struct sarif_state {
	fg_rd_facts facts;
	json_t *index;      /* rule id -> its descriptor's index */
	json_t *rules;      /* descriptors, in the order rules are met */
	FILE *results;      /* results, dumped at their depth */
	size_t result_count;
	FILE *warnings;     /* one line a warning: {"id","file","line","text"} */
	size_t warning_count;
	fg_ci_options ci;   /* its strings borrowed */
} sarif_state;

static void state_free(sarif_state *st)
{
	fg_rd_facts_free(&st->facts);
	json_decref(st->index);
	json_decref(st->rules);
	if (st->results)
		fclose(st->results);
	if (st->warnings)
		fclose(st->warnings);
	memset(st, 0, sizeof(*st));
}

static int state_open(sarif_state *st, const json_t *head,
		      const fg_ci_options *ci, fg_error *err)
{
	int rc;

	memset(st, 0, sizeof(*st));
	if (ci)
		st->ci = *ci;
	if (fg_rd_facts_init(&st->facts, head) ||
	    !(st->index = json_object()) || !(st->rules = json_array()))
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	if ((rc = fg_spool_open(&st->results, err)) < 0 ||
	    (rc = fg_spool_open(&st->warnings, err)) < 0)
		return rc;
	return 0;
}

/* A result inside runs[0].results: four levels deep. */
static void put_result(sarif_state *st, json_t *result, int *oom)
{
	if (!result) {
		*oom = 1;
		return;
	}
	fputs(st->result_count++ ? ",\n        " : "\n        ", st->results);
	if (fg_rd_dump(st->results, result, 4) < 0)
		*oom = 1;
	json_decref(result);
}

static int state_run(sarif_state *st, const json_t *doc,
		     const json_t *lean, fg_error *err)
{
	const json_t *run = lean;
	json_t *f, *at, *w, *joined;
	size_t j;
	int oom = 0;

	/* a finding is joined to its rule's facts only when it is used: the
	 * first of its rule (the descriptor) or reported (a result) */
	json_array_foreach(fg_rd_array(run, "findings"), j, f) {
		const char *rule = fg_rd_str(f, "rule");
		int first = !json_object_get(st->index, rule);

		if (!first && !reported(f))
			continue;
		if (!(joined = fg_rd_join_finding(&st->facts, run, f))) {
			oom = 1;
			break;
		}
		if (first) {
			put(st->index, rule, json_integer((json_int_t)
				json_array_size(st->rules)), &oom);
			append(st->rules, descriptor(doc, joined,
				json_object_get(st->facts.rules, rule),
				st->ci.srcroot, &oom), &oom);
		}
		if (reported(joined)) {
			at = json_object_get(st->index, rule);
			put_result(st, result(run, joined,
					      (size_t)json_integer_value(at),
					      st->ci.srcroot, &oom), &oom);
		}
		json_decref(joined);
	}
	/* warnings come after every finding: kept aside, with what their
	 * location needs */
	json_array_foreach(fg_rd_array(run, "warnings"), j, f) {
		if (!json_string_value(f))
			continue;
		w = json_pack("{s:s?, s:s?, s:O?, s:s}", "id",
			      fg_rd_str(run, "id"), "file",
			      fg_rd_str(run, "file"), "line",
			      json_object_get(run, "line"), "text",
			      json_string_value(f));
		if (!w || json_dumpf(w, st->warnings, JSON_COMPACT |
				     JSON_ENSURE_ASCII) ||
		    fputc('\n', st->warnings) == EOF)
			oom = 1;
		json_decref(w);
		st->warning_count++;
	}
	if (oom)
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory building SARIF");
	if (ferror(st->results) || ferror(st->warnings))
		return fg_error_set(err, FG_EIO, NULL, 0, 0, "cannot write a "
				    "temporary file");
	return 0;
}

/* The warnings' results, now that the warning rule's index is known. */
static int state_warnings(sarif_state *st, fg_error *err)
{
	char *line = NULL;
	size_t cap = 0, at;
	json_t *w;
	int oom = 0;

	if (!st->warning_count)
		return 0;
	at = json_array_size(st->rules);
	append(st->rules, warning_descriptor(&oom), &oom);
	if (fflush(st->warnings) || fseek(st->warnings, 0, SEEK_SET))
		return fg_error_set(err, FG_EIO, NULL, 0, 0, "cannot read a "
				    "temporary file back");
	while (!oom && getline(&line, &cap, st->warnings) > 0) {
		if (!(w = json_loads(line, 0, NULL))) {
			oom = 1;
			break;
		}
		put_result(st, warning_result(w, fg_rd_str(w, "text"), at,
					      st->ci.srcroot, &oom), &oom);
		json_decref(w);
	}
	free(line);
	return oom ? fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				  "out of memory building SARIF") : 0;
}

static json_t *tool_json(const json_t *doc, json_t *rules, int *oom)
{
	json_t *tool = json_object(), *driver = json_object();

	if (!tool || !driver) {
		*oom = 1;
		json_decref(tool);
		json_decref(driver);
		return NULL;
	}
	put(tool, "driver", driver, oom);
	put_str(driver, "name", "flopgate", oom);
	put_str(driver, "version", fg_rd_str(doc, "flopgate") ?
		fg_rd_str(doc, "flopgate") : FG_VERSION, oom);
	put(driver, "rules", json_incref(rules), oom);
	return tool;
}

static json_t *properties_json(const json_t *doc, const json_t *gate,
			       int *oom)
{
	json_t *props = json_object(), *at;

	if (!props) {
		*oom = 1;
		return NULL;
	}
	put_str(props, "as_of", fg_rd_str(doc, "as_of"), oom);
	if ((at = json_object_get(doc, "evaluation_id")) && json_is_number(at))
		put(props, "evaluation_id", json_deep_copy(at), oom);
	if (json_is_object(gate))
		put(props, "gate", json_deep_copy(gate), oom);
	return props;
}

/* {"id": "CATEGORY/AS-OF"}: code scanning's category is what comes
 * before the last '/'. */
static json_t *automation_json(const fg_ci_options *ci, const char *as_of,
			       int *oom)
{
	const char *category = ci->category && *ci->category ? ci->category
							     : "flopgate/check";
	size_t n = strlen(category);
	json_t *a = json_pack("{s:s++}", "id", category,
			      n && category[n - 1] == '/' ? "" : "/",
			      as_of ? as_of : "");

	if (!a)
		*oom = 1;
	return a;
}

/* {"%SRCROOT%": {"uri": "file:///the/source/root/"}}, or NULL when the
 * source root is not known. */
static json_t *base_ids_json(const fg_ci_options *ci, int *oom)
{
	char *root, *uri = NULL;
	json_t *ids = NULL;
	size_t n;

	if (!ci->srcroot || ci->srcroot[0] != '/')
		return NULL;
	if ((root = normalise(ci->srcroot)) &&
	    (uri = uri_encode("file://", root))) {
		n = strlen(uri);
		ids = json_pack("{s:{s:s+}}", SRCROOT, "uri", uri,
				uri[n - 1] == '/' ? "" : "/");
	}
	free(root);
	free(uri);
	if (!ids)
		*oom = 1;
	return ids;
}

/* The whole log: head, the spooled results, properties. */
static int state_write(sarif_state *st, FILE *out, const json_t *doc,
		       const json_t *gate, fg_error *err)
{
	json_t *schema = json_string(SARIF_SCHEMA), *tool, *props, *automation;
	json_t *bases;
	int rc, oom = 0;

	if ((rc = state_warnings(st, err)) < 0) {
		json_decref(schema);
		return rc;
	}
	tool = tool_json(doc, st->rules, &oom);
	props = properties_json(doc, gate, &oom);
	automation = automation_json(&st->ci, fg_rd_str(doc, "as_of"), &oom);
	bases = base_ids_json(&st->ci, &oom);
	if (oom || !schema) {
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				  "out of memory building SARIF");
		goto done;
	}
	fputs("{\n  \"$schema\": ", out);
	fg_rd_dump(out, schema, 1);
	fputs(",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n"
	      "      \"tool\": ", out);
	if (fg_rd_dump(out, tool, 3) < 0)
		oom = 1;
	fputs(",\n      \"automationDetails\": ", out);
	if (fg_rd_dump(out, automation, 3) < 0)
		oom = 1;
	if (bases) {
		fputs(",\n      \"originalUriBaseIds\": ", out);
		if (fg_rd_dump(out, bases, 3) < 0)
			oom = 1;
	}
	fputs(",\n      \"results\": [", out);
	if (st->result_count) {
		if ((rc = fg_spool_copy(st->results, out, err)) < 0)
			goto done;
		fputs("\n      ]", out);
	} else {
		fputc(']', out);
	}
	fputs(",\n      \"properties\": ", out);
	if (fg_rd_dump(out, props, 3) < 0)
		oom = 1;
	fputs("\n    }\n  ]\n}\n", out);
	rc = oom ? fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory "
				"building SARIF")
	   : fflush(out) || ferror(out)
		? fg_error_set(err, FG_EIO, NULL, 0, 0, "cannot write the "
			       "SARIF report") : 0;
done:
	json_decref(schema);
	json_decref(tool);
	json_decref(props);
	json_decref(automation);
	json_decref(bases);
	return rc;
}

int fg_render_sarif(FILE *out, const json_t *doc, fg_error *err)
{
	static const fg_ci_options none;
	sarif_state st;
	json_t *run;
	size_t i;
	int rc;

	if ((rc = fg_rd_check_doc(doc, err)))
		return rc;
	if ((rc = state_open(&st, doc, &none, err)) == 0) {
		json_array_foreach(fg_rd_array(doc, "runs"), i, run)
			if ((rc = state_run(&st, doc, run, err)) < 0)
				break;
		if (rc == 0)
			rc = state_write(&st, out, doc,
					 json_object_get(doc, "gate"), err);
	}
	state_free(&st);
	return rc;
}

/* ---- as a sink -------------------------------------------------------------- */

typedef struct sarif_sink {
	fg_output *out;
	sarif_state st;
	int error_log;      /* on failure, publish a log of the error */
	const json_t *head;
	fg_ci_options ci;   /* its strings borrowed */
} sarif_sink;

static int sarif_begin(void *self, fg_check_info *info, fg_error *err)
{
	sarif_sink *s = self;

	s->head = info->head;
	return state_open(&s->st, info->head, &s->ci, err);
}

static int sarif_run(void *self, const fg_check_info *info,
		     const fg_check_result *r, fg_error *err)
{
	return state_run(&((sarif_sink *)self)->st, info->head,
			 fg_check_result_document(r), err);
}

static int sarif_end(void *self, const fg_check_info *info,
		     const fg_check_summary *sum, fg_error *err)
{
	sarif_sink *s = self;
	json_t *gate = json_pack("{s:s, s:b, s:I}", "fail_on",
				 fg_fail_on_name(info->fail_on), "passed",
				 sum->gate_passed, "failures",
				 (json_int_t)sum->gate_failures);
	int rc;

	if (!gate)
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	rc = state_write(&s->st, fg_output_stream(s->out), info->head, gate,
			 err);
	json_decref(gate);
	return rc;
}

static int sarif_commit(void *self, fg_error *err)
{
	return fg_output_commit(((sarif_sink *)self)->out, err);
}

/* Bad input still gives code scanning a log to show (SARIF §3.20.21
 * toolExecutionNotifications): the error, at its file, line and column. */
static json_t *error_log(const fg_error *why, const json_t *head,
			 const fg_ci_options *ci, int *oom)
{
	json_t *log = json_object(), *runs = json_array(), *run = json_object();
	json_t *invocations = json_array(), *inv = json_object();
	json_t *notes = json_array(), *note = json_object();
	json_t *rules = json_array(), *tool, *locations, *loc, *phys;
	json_t *region, *bases;

	if (!log || !runs || !run || !invocations || !inv || !notes ||
	    !note || !rules) {
		*oom = 1;
		json_decref(log);
		json_decref(runs);
		json_decref(run);
		json_decref(invocations);
		json_decref(inv);
		json_decref(notes);
		json_decref(note);
		json_decref(rules);
		return NULL;
	}
	put_str(log, "$schema", SARIF_SCHEMA, oom);
	put_str(log, "version", "2.1.0", oom);
	put(log, "runs", runs, oom);
	append(runs, run, oom);
	tool = tool_json(NULL, rules, oom);
	json_decref(rules);
	put(run, "tool", tool, oom);
	put(run, "automationDetails", automation_json(ci, fg_rd_str(head,
		"as_of"), oom), oom);
	if ((bases = base_ids_json(ci, oom)))
		put(run, "originalUriBaseIds", bases, oom);
	put(run, "invocations", invocations, oom);
	append(invocations, inv, oom);
	put(inv, "executionSuccessful", json_false(), oom);
	put(inv, "exitCode", json_integer(fg_error_exit_status(why->code)),
	    oom);
	put(inv, "toolExecutionNotifications", notes, oom);
	append(notes, note, oom);
	put_str(note, "level", "error", oom);
	put(note, "message", text_object(why->message, oom), oom);
	if (why->file[0] && !is_stdin(why->file)) {
		locations = json_array();
		loc = json_object();
		phys = json_object();
		put(note, "locations", locations, oom);
		append(locations ? locations : note, loc, oom);
		put(loc ? loc : note, "physicalLocation", phys, oom);
		if (phys)
			put_artifact(phys, why->file, ci->srcroot, oom);
		if (why->line > 0 && phys) {
			region = json_object();
			put(phys, "region", region, oom);
			if (region) {
				put(region, "startLine",
				    json_integer(why->line), oom);
				if (why->column > 0)
					put(region, "startColumn",
					    json_integer(why->column), oom);
			}
		}
	}
	put(run, "results", json_array(), oom);
	return log;
}

static void sarif_abort(void *self, const fg_error *why)
{
	sarif_sink *s = self;
	fg_output *fresh = NULL;
	json_t *log;
	int oom = 0;

	if (!s->error_log || !why || why->code == FG_OK)
		return;
	/* what was written so far goes; the log of the error takes its
	 * place */
	if (fg_output_open(&fresh, fg_output_name(s->out), NULL) < 0)
		return;
	fg_output_free(s->out);
	s->out = fresh;
	log = error_log(why, s->head, &s->ci, &oom);
	if (log && !oom &&
	    json_dumpf(log, fg_output_stream(s->out), JSON_INDENT(2) |
		       JSON_PRESERVE_ORDER) == 0 &&
	    fputc('\n', fg_output_stream(s->out)) != EOF)
		fg_output_commit(s->out, NULL);
	json_decref(log);
}

static void sarif_free(void *self)
{
	sarif_sink *s = self;

	state_free(&s->st);
	fg_output_free(s->out);
	free(s);
}

static const fg_sink_ops sarif_ops = {
	sarif_begin, sarif_run, sarif_end, sarif_commit, sarif_abort,
	sarif_free, 0
};

fg_sink *fg_render_sarif_sink_with(fg_output *out, int error_log,
				   const fg_ci_options *opt)
{
	sarif_sink *s = calloc(1, sizeof(*s));

	if (!s) {
		fg_output_free(out);
		return NULL;
	}
	s->out = out;
	s->error_log = error_log;
	if (opt)
		s->ci = *opt;
	return fg_sink_new(&sarif_ops, s);
}

fg_sink *fg_render_sarif_sink(fg_output *out, int error_log)
{
	return fg_render_sarif_sink_with(out, error_log, NULL);
}
