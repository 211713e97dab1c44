/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — `check --format json` in one call (fg_check_json in
 * include/flopgate/check.h): the pipeline wired as the command line wires
 * it, with the JSON renderer writing into memory.  The document is the
 * renderer's, byte for byte what the command prints, so a binding sees
 * exactly what a shell script sees.
 *
 * The rules directory a request leaves out is the one compiled in
 * (FG_RULESDIR, from the Makefile's rulesdir); no environment is read. */
#include "flopgate/check.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "flopgate/render.h"

#ifndef FG_RULESDIR
#define FG_RULESDIR "/usr/local/share/flopgate/rules"
#endif

const char *fg_rules_default_dir(void)
{
	return FG_RULESDIR;
}

void fg_free(void *p)
{
	free(p);
}

/* Everything one call owns, released at its one exit. */
typedef struct call {
	fg_ruleset_set *set;
	fg_catalog *catalog;
	fg_waiver_list *waivers;
	fg_sources *sources;
	fg_store *store;
	fg_sink *sinks[2];
	size_t nsinks;
	char *catalog_path;
} call;

static int nomem(fg_error *err)
{
	return fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
}

/* The options of req, checked, into *co. */
static int options_of(fg_check_options *co, const fg_check_request *req,
		      fg_error *err)
{
	memset(co, 0, sizeof(*co));
	co->estimate_only = req->estimate_only;
	co->actor = req->actor;
	co->as_of = fg_date_today();
	if (req->as_of && fg_date_parse(&co->as_of, req->as_of))
		return fg_error_set(err, FG_EUSAGE, NULL, 0, 0, "as_of `%s` "
				    "is not a date (YYYY-MM-DD)", req->as_of);
	if (req->fail_on && fg_fail_on_parse(&co->fail_on, req->fail_on))
		return fg_error_set(err, FG_EUSAGE, NULL, 0, 0, "fail_on is "
				    "triggered, near or never, not `%s`",
				    req->fail_on);
	return 0;
}

/* The rulesets, the catalog and the waivers of req. */
static int load_inputs(call *c, const fg_check_request *req,
		       const char *rules_dir, fg_error *err)
{
	size_t i, n;
	int rc;

	if (!(c->set = fg_ruleset_set_new()))
		return nomem(err);
	if (req->nrules == 0 &&
	    (rc = fg_ruleset_set_add_path_flags(c->set, rules_dir,
						FG_RULESET_SKIP_TESTS, NULL,
						err)) < 0)
		return rc;
	for (i = 0; i < req->nrules; i++)
		if ((rc = fg_ruleset_set_add_path_flags(c->set, req->rules[i],
							FG_RULESET_SKIP_TESTS,
							NULL, err)) < 0)
			return rc;
	if (!req->catalog) {
		n = strlen(rules_dir) + sizeof("/hardware.yaml");
		if (!(c->catalog_path = malloc(n)))
			return nomem(err);
		snprintf(c->catalog_path, n, "%s/hardware.yaml", rules_dir);
	}
	if ((rc = fg_catalog_load(&c->catalog, req->catalog ? req->catalog
					       : c->catalog_path, err)) < 0)
		return rc;
	if (req->waivers && !req->estimate_only &&
	    ((rc = fg_waiver_list_load(&c->waivers, req->waivers, err)) < 0 ||
	     (rc = fg_waiver_list_check_rules(c->waivers, c->set, err)) < 0))
		return rc;
	return 0;
}

/* The recorder first, when asked for; an existing database is also the
 * history deadlines are read from, a missing one is created only once
 * the first run went through (as `check` does). */
static int open_recorder(call *c, const char *path, fg_error *err)
{
	int rc;

	if (!path)
		return 0;
	if (access(path, F_OK) == 0 &&
	    (rc = fg_store_open(&c->store, path, FG_STORE_CREATE, err)) < 0)
		return rc;
	if (!(c->sinks[c->nsinks] = c->store ? fg_check_recorder(c->store)
					     : fg_check_recorder_at(path)))
		return nomem(err);
	c->nsinks++;
	return 0;
}

int fg_check_json(char **json_out, const char *const *paths, size_t npaths,
		  const fg_check_request *req, fg_error *err)
{
	static const fg_check_request defaults;
	call c;
	fg_check_options co;
	fg_check_summary summary;
	fg_output *out = NULL;
	char *json = NULL;
	size_t i;
	int rc;

	*json_out = NULL;
	memset(&c, 0, sizeof(c));
	if (!req)
		req = &defaults;
	if (npaths == 0) {
		rc = fg_error_set(err, FG_EUSAGE, NULL, 0, 0, "no run files "
				  "given");
		goto done;
	}
	if ((rc = options_of(&co, req, err)) < 0 ||
	    (rc = load_inputs(&c, req, req->rules_dir ? req->rules_dir
				       : fg_rules_default_dir(), err)) < 0)
		goto done;
	if (!(c.sources = fg_sources_new())) {
		rc = nomem(err);
		goto done;
	}
	for (i = 0; i < npaths; i++)
		if ((rc = fg_sources_add(c.sources, paths[i], err)) < 0)
			goto done;
	if (!req->estimate_only &&
	    (rc = open_recorder(&c, req->record, err)) < 0)
		goto done;
	if ((rc = fg_output_open_memory(&out, &json, NULL, err)) < 0)
		goto done;
	/* the sink owns out from here, even when it cannot be made */
	if (!(c.sinks[c.nsinks] = fg_render_json_sink(out))) {
		rc = nomem(err);
		goto done;
	}
	c.nsinks++;
	co.waivers = c.waivers;
	co.history = c.store;
	if ((rc = fg_check(&summary, c.sources, c.catalog, c.set, &co,
			   c.sinks, c.nsinks, err)) < 0)
		goto done;
	*json_out = json;
	json = NULL;
done:
	for (i = 0; i < c.nsinks; i++)
		fg_sink_free(c.sinks[i]);
	free(json);
	fg_store_free(c.store);
	fg_sources_free(c.sources);
	fg_waiver_list_free(c.waivers);
	fg_catalog_free(c.catalog);
	fg_ruleset_set_free(c.set);
	free(c.catalog_path);
	return rc;
}
