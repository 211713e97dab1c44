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
 */
#include "flopgate/render.h"

#include <stdlib.h>
#include <string.h>
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

/* A relative path as a URI reference (RFC 3986): bytes outside the
 * unreserved, sub-delims, ':', '@' and '/' sets are percent-encoded;
 * backslashes become '/'; an absolute path gets "file://".  Caller frees;
 * NULL when out of memory. */
static char *path_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *s = (const unsigned char *)path;
	char *uri, *p;

	if (!(uri = malloc(strlen(path) * 3 + 8)))
		return NULL;
	p = uri;
	if (path[0] == '/') {
		memcpy(p, "file://", 7);
		p += 7;
	}
	for (; *s; s++) {
		if (*s == '\\')
			*p++ = '/';
		else if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			 (*s >= '0' && *s <= '9') ||
			 strchr("-._~!$&'()*+,;=:@/", *s))
			*p++ = (char)*s;
		else {
			*p++ = '%';
			*p++ = hex[*s >> 4];
			*p++ = hex[*s & 15];
		}
	}
	*p = 0;
	return uri;
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

static json_t *descriptor(const json_t *doc, const json_t *f, int *oom)
{
	const char *rule = fg_rd_str(f, "rule"), *title = fg_rd_str(f, "title");
	const char *citation = fg_rd_str(f, "citation"), *source;
	const json_t *rs = find_ruleset(doc, fg_rd_str(f, "ruleset"));
	json_t *d = json_object(), *config = json_object();
	json_t *props = json_object(), *tags = json_array();
	char *full = NULL;
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
	put_str(d, "id", rule, oom);
	put(d, "shortDescription", text_object(title ? title : rule, oom), oom);
	if ((m = open_memstream(&full, &size))) {
		fprintf(m, "%s", title ? title : rule);
		if (citation)
			fprintf(m, " (%s)", citation);
		if (fg_rd_str(rs, "title"))
			fprintf(m, ", %s", fg_rd_str(rs, "title"));
		if (!fclose(m))
			put(d, "fullDescription", text_object(full, oom), oom);
		free(full);
	}
	source = fg_rd_str(rs, "source");
	if (source && (!strncmp(source, "https://", 8) ||
		       !strncmp(source, "http://", 7)))
		put_str(d, "helpUri", source, oom);
	put_str(config, "level",
		severity_level(fg_rd_str(f, "severity")), oom);
	put(d, "defaultConfiguration", config, oom);
	put_str(props, "citation", citation, oom);
	put_str(props, "jurisdiction", fg_rd_str(f, "jurisdiction"), oom);
	put_str(props, "ruleset", fg_rd_str(f, "ruleset"), oom);
	put_str(props, "severity", fg_rd_str(f, "severity"), oom);
	append(tags, json_string("compliance"), oom);
	if (fg_rd_str(f, "jurisdiction"))
		append(tags, json_string(fg_rd_str(f, "jurisdiction")), oom);
	put(props, "tags", tags, oom);
	put(d, "properties", props, oom);
	return d;
}

static json_t *location(const json_t *run, int *oom)
{
	const char *file = fg_rd_str(run, "file");
	json_t *loc = json_object(), *physical, *artifact, *region, *logical;
	char *uri;
	double line;

	if (!loc) {
		*oom = 1;
		return NULL;
	}
	if (file && *file) {
		physical = json_object();
		artifact = json_object();
		put(loc, "physicalLocation", physical, oom);
		put(physical ? physical : loc, "artifactLocation", artifact,
		    oom);
		if (!(uri = path_uri(file)))
			*oom = 1;
		else if (artifact)
			put_str(artifact, "uri", uri, oom);
		free(uri);
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
		      int *oom)
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
	append(locations, location(run, oom), oom);
	put(r, "locations", locations, oom);
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
	put_str(config, "level", "warning", oom);
	put(d, "defaultConfiguration", config, oom);
	return d;
}

static json_t *warning_result(const json_t *run, const char *text,
			      size_t rule_index, int *oom)
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
	append(locations, location(run, oom), oom);
	put(r, "locations", locations, oom);
	return r;
}

static int reported(const json_t *f)
{
	int outcome = fg_rd_outcome(f);

	return outcome == FG_RD_TRIGGERED || outcome == FG_RD_NEAR ||
	       outcome == FG_RD_WAIVED || outcome == FG_RD_INDETERMINATE;
}

static json_t *build(const json_t *doc, int *oom)
{
	json_t *sarif = json_object(), *runs = json_array();
	json_t *sarif_run = json_object(), *tool = json_object();
	json_t *driver = json_object(), *rules = json_array();
	json_t *results = json_array(), *index = json_object(), *props;
	json_t *run, *f, *at;
	size_t i, j;

	if (!sarif || !runs || !sarif_run || !tool || !driver || !rules ||
	    !results || !index) {
		*oom = 1;
		json_decref(sarif);
		json_decref(runs);
		json_decref(sarif_run);
		json_decref(tool);
		json_decref(driver);
		json_decref(rules);
		json_decref(results);
		json_decref(index);
		return NULL;
	}
	put_str(sarif, "$schema", SARIF_SCHEMA, oom);
	put_str(sarif, "version", "2.1.0", oom);
	put(sarif, "runs", runs, oom);
	append(runs, sarif_run, oom);
	put(sarif_run, "tool", tool, oom);
	put(tool, "driver", driver, oom);
	put_str(driver, "name", "flopgate", oom);
	put_str(driver, "version", fg_rd_str(doc, "flopgate") ?
		fg_rd_str(doc, "flopgate") : FG_VERSION, oom);
	put(driver, "rules", rules, oom);

	json_array_foreach(fg_rd_array(doc, "runs"), i, run)
		json_array_foreach(fg_rd_array(run, "findings"), j, f) {
			const char *rule = fg_rd_str(f, "rule");

			if (!json_object_get(index, rule)) {
				put(index, rule,
				    json_integer((json_int_t)
						 json_array_size(rules)), oom);
				append(rules, descriptor(doc, f, oom), oom);
			}
			if (!reported(f))
				continue;
			at = json_object_get(index, rule);
			append(results,
			       result(run, f, (size_t)json_integer_value(at),
				      oom), oom);
		}
	json_array_foreach(fg_rd_array(doc, "runs"), i, run)
		json_array_foreach(fg_rd_array(run, "warnings"), j, f) {
			if (!json_string_value(f))
				continue;
			if (!json_object_get(index, RUN_WARNING)) {
				put(index, RUN_WARNING,
				    json_integer((json_int_t)
						 json_array_size(rules)), oom);
				append(rules, warning_descriptor(oom), oom);
			}
			at = json_object_get(index, RUN_WARNING);
			append(results,
			       warning_result(run, json_string_value(f),
					      (size_t)json_integer_value(at),
					      oom), oom);
		}
	put(sarif_run, "results", results, oom);
	if ((props = json_object())) {
		put_str(props, "as_of", fg_rd_str(doc, "as_of"), oom);
		if ((at = json_object_get(doc, "evaluation_id")) &&
		    json_is_number(at))
			put(props, "evaluation_id", json_deep_copy(at), oom);
		if ((at = json_object_get(doc, "gate")) && json_is_object(at))
			put(props, "gate", json_deep_copy(at), oom);
	}
	put(sarif_run, "properties", props, oom);
	json_decref(index);
	return sarif;
}

int fg_render_sarif(FILE *out, const json_t *doc, fg_error *err)
{
	json_t *sarif;
	int rc, oom = 0;

	if ((rc = fg_rd_check_doc(doc, err)))
		return rc;
	sarif = build(doc, &oom);
	if (oom || !sarif) {
		json_decref(sarif);
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory building SARIF");
	}
	rc = json_dumpf(sarif, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
			JSON_REAL_PRECISION(17));
	json_decref(sarif);
	if (rc || fputc('\n', out) == EOF || fflush(out) || ferror(out))
		return fg_error_set(err, FG_EIO, NULL, 0, 0,
				    "cannot write the SARIF report");
	return 0;
}
