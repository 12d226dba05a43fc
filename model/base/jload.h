/* model/base/jload.h: checking JSON input as it is loaded, for the scenario
 * format (sim/scenario) and for the model's own loaders (model/estate and the
 * services' account keys).
 *
 * A loader reports each problem through its report callback with the node
 * and the JSON path ("accounts.111111111111.roles.Admin.trust"); the caller
 * turns that into "file:line:col: path: message".  Nothing here stops at the
 * first problem: every check reports and carries on, so one pass finds all
 * of them (up to max_errors, past which problems are counted, not sent). */
#ifndef CROSSIM_JLOAD_H
#define CROSSIM_JLOAD_H

#include <cjson/cJSON.h>
#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef void (*jload_report_fn)(void *user, const cJSON *node, bool at_key, const char *path,
                                const char *message);

typedef struct jload {
    jload_report_fn report;
    void           *user;
    int             n_errors;     /* problems found so far */
    int             max_errors;   /* 0: no limit */
} jload;

void         jload_err(jload *l, const cJSON *node, bool at_key, const char *path,
                       const char *fmt, ...) G_GNUC_PRINTF(5, 6);
/* "path.key" ("key" at the top), "path[i]": new strings. */
char        *jload_sub(const char *path, const char *key);
char        *jload_idx(const char *path, int i);
/* "a string", "an object", ... for messages. */
const char  *jload_type_name(const cJSON *v);
const cJSON *jload_member(const cJSON *obj, const char *key);
/* Unknown keys are problems, with the nearest known key suggested;
 * duplicate keys too.  known is NULL-terminated. */
void         jload_check_keys(jload *l, const cJSON *obj, const char *path,
                              const char *const *known);
/* Members of a type: NULL (and a report) when present with another type,
 * or absent and required. */
const char  *jload_str(jload *l, const cJSON *obj, const char *key, const char *path,
                       bool required);
const cJSON *jload_obj(jload *l, const cJSON *obj, const char *key, const char *path,
                       bool required);
const cJSON *jload_list(jload *l, const cJSON *obj, const char *key, const char *path);
/* A duration member ("90s", "10m"), at most DUR_MAX_US: true and *out set
 * when present and valid. */
bool         jload_dur(jload *l, const cJSON *obj, const char *key, const char *path,
                       int64_t *out);
/* The candidate nearest to word (case-insensitive edit distance, at most
 * max(2, len/4)), as a new string; NULL when none is near. */
char        *jload_suggest(const char *word, const char *const *candidates, gsize n);

#endif
