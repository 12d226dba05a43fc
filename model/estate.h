/* model/estate.h: the estate a scenario declares, loaded into the world.
 *
 * An account body is {"alias", "quotas", and each service's keys}; the
 * estate checks the keys against that union, loads the quotas, and hands
 * the body to every service that declared account keys, in the order of
 * model/services.c.  Top-level keys a service owns ("organization",
 * "jobs") go to that service's configure.  Problems go to the jload with
 * their JSON paths; nothing stops at the first. */
#ifndef CROSSIM_ESTATE_H
#define CROSSIM_ESTATE_H

#include <cjson/cJSON.h>
#include <glib.h>

#include "model/base/jload.h"
#include "model/world.h"

/* The keys of an account body, NULL-terminated (static). */
const char *const *estate_account_keys(void);
void               estate_load_account(world *w, world_account *a, const cJSON *body,
                                       const char *path, jload *l);
/* The top-level scenario keys services own ("organization", "jobs"),
 * NULL-terminated (static). */
const char *const *estate_scenario_keys(void);
/* Runs each service's configure on the member of root it owns, when present,
 * then every service's check. */
void               estate_configure(world *w, const cJSON *root, jload *l);

/* Helpers for the services' loaders. */
/* doc compiled as a policy named name (world_policy_share); NULL and a
 * report (MalformedPolicyDocument: ...) when it is not one, or breaks the
 * grammar of its kind (an identity policy naming a Principal, a resource
 * policy statement naming none). */
world_policy      *estate_policy(world *w, jload *l, const cJSON *doc, const char *path,
                                 const char *name, const char *arn, iam_doc_kind kind);
/* Tags {"key": "value"} into out (world_tag*). */
void               estate_tags(jload *l, const cJSON *tags, const char *path, GPtrArray *out);
/* A report function (infra_report_fn's shape) that forwards to the jload
 * passed as its user pointer, for loaders written against a callback. */
void               estate_forward(void *jl, const cJSON *node, bool at_key, const char *path,
                                  const char *msg);

/* Whether region is an AWS region name ("us-west-2", "us-gov-west-1"). */
bool               estate_region_valid(const char *region);
/* The ARN a scenario means by {account, role | user | neither (root)};
 * account is put in as given (it may be a template such as
 * "${accounts.t-${i}}"). */
char              *estate_principal_arn(const char *account, const char *role,
                                        const char *user);

#endif
