/* model/world.h: the simulated AWS estate.
 *
 * The world holds the organization, the accounts and what the scenario put in
 * them (roles, users, managed policies, KMS keys, S3 buckets, quotas), the
 * state of every simulated service, and the seeded random streams of its
 * resources.  It never does I/O and never reads a clock: the time, future
 * happenings, audit events and notifications go through the world_host that
 * the simulator plugs in (sim/run.c); tests plug in their own.
 *
 * Iteration order that can reach output is always explicit (sorted arrays),
 * never a hash table's. */
#ifndef CROSSIM_WORLD_H
#define CROSSIM_WORLD_H

#include <cjson/cJSON.h>
#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "model/iam.h"
#include "model/base/json.h"
#include "model/base/rng.h"

typedef struct world world;
typedef struct trail_event trail_event;

/* ---- the host: how the model reaches time, the future and the recorder ---- */
typedef void (*world_fire_fn)(world *w, void *data);
typedef struct world_host {
    void     *self;
    int64_t  (*now)(void *self);
    uint64_t (*schedule)(void *self, int64_t at_us, world_fire_fn fn, void *data,
                         GDestroyNotify free_data);
    bool     (*cancel)(void *self, uint64_t id);
    /* Takes ownership of ev (trail_event_free when done). */
    void     (*emit)(void *self, trail_event *ev);
    /* A happening actors of `account` may wait for ("ram:invitation", ...);
     * payload is borrowed and copied by the host if kept. */
    void     (*notify)(void *self, const char *account, const char *kind,
                       const cJSON *payload);
    /* Calls fn on each record delivered so far to account's log, oldest
     * first (cloudtrail:LookupEvents reads them); NULL when the host keeps
     * none.  false when the log cannot be read. */
    bool     (*each_record)(void *self, const char *account,
                            void (*fn)(void *user, const cJSON *record), void *user);
} world_host;

/* ---- the records of the estate ----------------------------------------------
 * Opaque outside model/: the services read and change them through
 * model/world_int.h; sim/ and the tools only through the functions below. */
typedef struct world_policy world_policy;
typedef struct world_ou world_ou;
typedef struct world_org world_org;
typedef struct world_tag world_tag;
typedef struct world_role world_role;
typedef struct world_user world_user;
typedef struct world_key world_key;
typedef struct world_bucket world_bucket;
typedef struct world_account world_account;
typedef struct principal principal;

typedef enum principal_kind {
    PRINCIPAL_ROLE_SESSION, PRINCIPAL_USER, PRINCIPAL_ROOT, PRINCIPAL_SERVICE
} principal_kind;

/* An account's id and its alias (NULL when it has none). */
const char *world_account_id(const world_account *a);
const char *world_account_alias(const world_account *a);
/* Who a principal is: its ARN (a session, user or root ARN, or a service
 * name) and the account it belongs to. */
const char *principal_arn(const principal *p);
const char *principal_account(const principal *p);
/* Gives role an inline policy (the role owns it). */
void        world_role_add_inline(world_role *r, world_policy *p);

void       principal_free(principal *p);
principal *principal_copy(const principal *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(principal, principal_free)

/* True when s is a 12-digit AWS account id. */
bool       world_is_account_id(const char *s);

/* ---- the world ------------------------------------------------------------- */
world *world_new(uint64_t seed, const char *region, int64_t start_epoch_s);
void   world_free(world *w);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(world, world_free)

/* Copies host; NULL: none (world_now is then 0). */
void        world_set_host(world *w, const world_host *host);
const char *world_region(const world *w);
uint64_t    world_seed(const world *w);
int64_t     world_now(const world *w);
/* Unix seconds of simulated time t (microseconds since start), and the ISO
 * text "YYYY-MM-DDTHH:MM:SSZ" (out: 21 bytes). */
int64_t     world_epoch_s(const world *w, int64_t t_us);
void        world_iso_time(const world *w, int64_t t_us, char out[21]);
uint64_t    world_schedule(world *w, int64_t at_us, world_fire_fn fn, void *data,
                           GDestroyNotify free_data);
bool        world_cancel(world *w, uint64_t id);
void        world_emit(world *w, trail_event *ev);
void        world_notify(world *w, const char *account, const char *kind,
                         const cJSON *payload);
/* The host's each_record; false (and no call of fn) without a host that
 * keeps records or when a log cannot be read. */
bool        world_each_record(world *w, const char *account,
                              void (*fn)(void *user, const cJSON *record), void *user);
/* One call's effects commit only when it succeeds.  Between begin and end,
 * world_notify holds its notifications and world_schedule remembers the
 * timers it sets; world_call_end(w, true) sends the notifications (to the
 * host, or to the enclosing call when calls nest), world_call_end(w, false)
 * drops them and cancels the timers.  api_invoke brackets every handler. */
void        world_call_begin(world *w);
void        world_call_end(world *w, bool commit);
/* The random stream named `name`, made on first use; owned by the world. */
rng        *world_rng(world *w, const char *name);

/* Accounts: added by the scenario loader; listed in ascending id order. */
world_account *world_add_account(world *w, const char *id, const char *alias);
world_account *world_account_get(const world *w, const char *id_or_alias);
GPtrArray     *world_accounts(const world *w);    /* borrowed, sorted by id */

world_org     *world_org_get(const world *w);     /* NULL outside an organization */
world_org     *world_set_org(world *w, const char *id, const char *management);
world_ou      *world_ou_get(const world *w, const char *id_or_name);
/* True when both accounts are in this world's organization. */
bool           world_same_org(const world *w, const char *a, const char *b);

world_role    *world_role_get(const world *w, const char *account, const char *name);
world_role    *world_role_by_arn(const world *w, const char *arn);
world_user    *world_user_by_arn(const world *w, const char *arn);
world_key     *world_key_get(const world *w, const char *id_arn_or_alias,
                             const char *caller_account);
world_bucket  *world_bucket_get(const world *w, const char *name);
world_bucket  *world_add_bucket(world *w, const char *account, const char *name);
/* The buckets account owns, in name order (a new array; borrowed buckets). */
GPtrArray     *world_buckets_of(const world *w, const char *account);
world_policy  *world_managed_policy(const world *w, const char *arn);

/* The account-wide quota `name` (an override from the scenario, else dflt). */
int64_t        world_quota(const world *w, const char *account, const char *name,
                           int64_t dflt);

/* Policy helpers: compile doc (copied) into a new world_policy; NULL and
 * *error set when the document is malformed. */
world_policy  *world_policy_new(const char *name, const char *arn, const cJSON *doc,
                                GError **error);
void           world_policy_free(world_policy *p);
/* As world_policy_new, but a document already given under the same name in
 * this world is not compiled or stored again: the new policy shares the
 * first one's document and compiled form (both read-only), so ten thousand
 * accounts of one template hold one copy (S1). */
world_policy  *world_policy_share(world *w, const char *name, const char *arn,
                                  const cJSON *doc, GError **error);
/* Sets account's override of quota `name`. */
void           world_set_quota(world *w, world_account *a, const char *name, int64_t value);

/* Principals from an ARN as a scenario names them: a role ARN (a session
 * named session_name), an assumed-role session ARN, a user ARN, an account
 * root ARN.  NULL and *error set when nothing in the world matches. */
principal     *world_principal_for(world *w, const char *arn, const char *session_name,
                                   GError **error);
/* Where a principal's calls come from; NULL members keep the defaults
 * (source 203.0.113.10, the aws CLI's user agent, no VPC endpoint). */
typedef struct principal_origin {
    const char *source_ip, *source_vpc, *source_vpce, *user_agent;
} principal_origin;
/* world_principal_for, calling from origin (NULL: the defaults). */
principal     *world_principal_from(world *w, const char *arn, const char *session_name,
                                    const principal_origin *origin, GError **error);
/* Whether arn names a principal world_principal_for would make (no draws);
 * false with *error set as it sets it. */
bool           world_principal_known(world *w, const char *arn, GError **error);
/* The identity of a service acting on its own behalf ("sagemaker.amazonaws.com"). */
principal     *world_service_principal(const char *service);

/* Appends the principal's userIdentity object as CloudTrail writes it, as
 * JSON text (printed as cJSON prints), with invokedBy last when not NULL. */
void           world_user_identity_append(GString *o, const world *w, const principal *p,
                                          const char *invoked_by);
/* Its "type": "AssumedRole", "IAMUser", "Root" or "AWSService" (a literal). */
const char    *world_identity_type(const principal *p);

/* Builders for the scenario loader and for IAM operations.  Names are
 * unique per account (case-insensitively, as IAM has them); the caller checks.
 * The role takes trust (may be NULL: trusts nobody). */
world_role    *world_add_role(world *w, world_account *a, const char *name,
                              const char *path, world_policy *trust /* taken */);
/* The role's trust policy (its AssumeRolePolicyDocument), the default one
 * made on first use; NULL: trusts nobody. */
const world_policy *world_role_trust(const world_role *r);
/* Takes r out of its account (lookups no longer find it).  Its memory
 * stays until world_free: sessions made from it may still be in use. */
void           world_remove_role(world *w, world_role *r);
world_user    *world_add_user(world *w, world_account *a, const char *name,
                              const char *path);
world_key     *world_add_key(world *w, world_account *a, const char *label,
                             world_policy *policy /* taken, may be NULL */);
void           world_tags_set(GPtrArray *tags, const char *key, const char *value);
const char    *world_tags_get(const GPtrArray *tags, const char *key);
void           world_tags_remove(GPtrArray *tags, const char *key);

/* The SCP levels above an account: root, then each OU down to the account's
 * parent, then the account itself; each level a GPtrArray of world_policy*.
 * Empty for the management account and for accounts outside the org
 * (SCPs never apply to them).  A new array of borrowed arrays. */
GPtrArray     *world_scp_levels(const world *w, const char *account);
/* The resource control policies over resources of account, root first:
 * one GPtrArray of world_policy* a level, RCPFullAWSAccess first in each
 * (new, free with g_ptr_array_unref).  Empty outside the organization, for
 * the management account, or when the scenario enables no RCPs. */
GPtrArray     *world_rcp_levels(const world *w, const char *account);

/* The resources services created, by ARN: who owns them and, for types RAM
 * can share, the RAM resource type ("sagemaker:ModelCard").  Services add
 * and remove; RAM and cross-account lookups read. */
void           world_resource_add(world *w, const char *arn, const char *owner,
                                  const char *ram_type);
void           world_resource_remove(world *w, const char *arn);
const char    *world_resource_owner(const world *w, const char *arn);
const char    *world_resource_type(const world *w, const char *arn);

/* Service state slots, created on first use by the service module. */
typedef struct world_slot { void *state; GDestroyNotify free_state; } world_slot;
void          *world_service_state(world *w, const char *service);
void           world_set_service_state(world *w, const char *service, void *state,
                                       GDestroyNotify free_state);

#endif
