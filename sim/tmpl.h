/* sim/tmpl.h: ${...} references in scenario inputs.
 *
 * A string may hold references: ${name.Field}, ${name.list[0].Field},
 * ${i} (the copy number of a counted actor), ${region}, ${accounts.ALIAS}
 * (an account id), ${scenario}.  A string that is exactly one reference
 * takes the referenced JSON value as is (object, list, number); otherwise the
 * value is written into the string as text. */
#ifndef CROSSIM_TMPL_H
#define CROSSIM_TMPL_H

#include <cjson/cJSON.h>
#include <glib.h>
#include <stdbool.h>

/* Resolves the reference text (between "${" and "}") to a borrowed JSON value
 * (or a value kept alive by the resolver until the call ends); NULL if none. */
typedef const cJSON *(*tmpl_lookup_fn)(void *user, const char *ref);

/* Returns a new tree with every reference replaced.  On an unresolved
 * reference returns NULL and sets *missing to its text (owned). */
cJSON *tmpl_expand(const cJSON *t, tmpl_lookup_fn lookup, void *user, char **missing);
/* The same for one string; a new string, or NULL with *missing. */
char  *tmpl_expand_string(const char *s, tmpl_lookup_fn lookup, void *user, char **missing);

/* Follows a path such as "list[0].Field" (dots and [n]) inside v; borrowed. */
const cJSON *tmpl_path(const cJSON *v, const char *path);

/* Calls fn(user, ref) for each outermost reference of s, in order, with
 * its text between "${" and its own "}" (which may hold references:
 * "inv-${i}.Arn"); IAM policy variables (${aws:username}) are skipped.
 * Returns how deeply references nest in s (0: none); deeper than
 * max_depth, fn is not called at all (expanding such a string costs memory
 * quadratic in its length). */
int    tmpl_each_ref(const char *s, int max_depth, void (*fn)(void *user, const char *ref),
                     void *user);

#endif
