/* model/api.h: the operation table and the path of one API call.
 *
 * A call is "service:Operation" plus an input object with the real AWS
 * member names.  api_invoke validates the input against the service model
 * (model/shapes), runs the operation's handler, and hands the recorder one
 * trail_event naming the accounts that receive a copy.  Handlers authorise
 * through api_authorize (model/authz.c, the IAM engine), never directly.
 *
 * Errors are values: an AWS error code (static string) and a message. */
#ifndef CROSSIM_API_H
#define CROSSIM_API_H

#include <cjson/cJSON.h>
#include <glib.h>
#include <stdbool.h>

#include "model/trail.h"
#include "model/world.h"

typedef struct api_error {
    const char *code;        /* static, e.g. "AccessDeniedException"; NULL = ok */
    char       *message;     /* owned */
} api_error;

void api_error_set(api_error *e, const char *code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
void api_error_clear(api_error *e);

/* ---- one call in flight ----------------------------------------------------- */
typedef enum api_recipients {
    API_TO_CALLER,              /* only the caller's account (CR7) */
    API_TO_CALLER_AND_OWNER     /* caller, and each other account owning a resource (L2) */
} api_recipients;

typedef struct api_op api_op;

typedef struct api_call {
    world           *w;
    const api_op    *op;
    const principal *caller;
    const cJSON     *input;         /* borrowed; never NULL ({} when none) */
    cJSON           *output;        /* set by the handler; owned by the call */
    api_error        err;
    int64_t          now;
    rng             *rng;           /* the caller's stream, for generated ids */
    cJSON           *resources;     /* [{ARN, accountId, type}] touched */
    GPtrArray       *extra_recipients;   /* char*, beyond the rule of the op */
    bool             no_owner_copy;      /* handler says: owner gets no copy */
    cJSON           *request_params;     /* override of input in the record */
    cJSON           *response_elements;  /* override of output in the record */
    cJSON           *additional_data;
    int              denied_layer;       /* iam_layer of the last denial (api_authorize) */
    char            *decision;           /* owned: what decided the last denial,
                                            iam_decision_text's form; or NULL */
    const char      *invoked_by;         /* "sagemaker.amazonaws.com" when a service
                                            calls on a principal's behalf */
    const char      *data_type;          /* set by the handler for a data event
                                            (eventCategory Data, managementEvent false):
                                            the resource type a trail selects it by,
                                            "AWS::S3::Object"; NULL: a management event */
} api_call;

typedef bool (*api_handler_fn)(api_call *c);   /* false: c->err is set */

/* CloudTrail's readOnly for an operation.  A read-only call's record has
 * no responseElements, except where CloudTrail records them anyway. */
typedef enum api_access {
    API_WRITES = 0,              /* false in the tables */
    API_READS = 1,               /* true */
    API_READS_LOGGED             /* readOnly, and responseElements recorded (sts:AssumeRole) */
} api_access;

struct api_op {
    const char     *action;      /* "ram:CreateResourceShare" (also the IAM action) */
    api_handler_fn  fn;
    api_access      read_only;
    api_recipients  recipients;
};

/* Service tallies for the run summary ({"pipelines": {...}}: each
 * service's stats under its stats_key), or NULL when none has any. */
cJSON        *api_service_stats(world *w);
/* The i-th action crossim simulates, in table order; NULL past the last. */
const char   *api_action(guint i);
/* The handler for an action, or NULL. */
const api_op *api_lookup(const char *action);
/* The event source of a service's records ("cleanrooms-ml.amazonaws.com"), or NULL. */
const char   *api_event_source(const char *prefix);
/* The shared, parsed service models. */
const struct shapes *api_shapes(void);
/* Every kind of happening the services send with world_notify, which
 * actors may wait for ("ram:invitation", ...); NULL-terminated, static. */
const char *const *api_happening_kinds(void);

/* Runs a call as caller at the world's current time.  The record is emitted
 * to the host.  Returns true on success, with *output (owned by the caller,
 * may be NULL) set; false with err set.  A NULL rng uses a world stream. */
bool api_invoke(world *w, const principal *caller, const char *action,
                const cJSON *input, rng *r, cJSON **output, api_error *err);

/* api_invoke for a request that came over the wire (crossim serve): the
 * record's requestID is the one the answer carries (36 characters). */
bool api_invoke_request(world *w, const principal *caller, const char *action,
                        const cJSON *input, const char *request_id, cJSON **output,
                        api_error *err);

/* The same call made by a service on the principal's behalf (forward access:
 * SageMaker decrypting a card with the caller's rights).  The record shows
 * the caller with invokedBy = service and sourceIPAddress = service, and
 * handlers see c->invoked_by (KMS then sets kms:ViaService and friends). */
bool api_invoke_via(world *w, const principal *caller, const char *service,
                    const char *action, const cJSON *input, rng *r, cJSON **output,
                    api_error *err);

/* ---- helpers for handlers -------------------------------------------------- */
const char *api_str(const cJSON *obj, const char *member);     /* NULL if absent */
/* Adds member = simulated time t as ISO 8601 text ("2026-01-05T09:00:00Z"). */
void        api_add_time(world *w, cJSON *obj, const char *member, int64_t t);
bool        api_bool(const cJSON *obj, const char *member, bool dflt);
double      api_num(const cJSON *obj, const char *member, double dflt);
/* Records a resource touched by the call (for `resources` and recipients). */
void        api_resource(api_call *c, const char *arn, const char *account,
                         const char *type);
/* Account id of an ARN ("arn:aws:svc:region:ACCOUNT:..."); a new string, or NULL
 * when the field is not a 12-digit account id. */
char       *api_arn_account(const char *arn);
/* The same into out (NUL-terminated; "" and false when none), no allocation. */
bool        api_arn_account_in(const char *arn, char out[13]);

/* Authorises the caller for action on resource (an ARN or "*"), owned by
 * resource_account (NULL: the caller's), with the resource-side policies
 * (iam_policy*, borrowed; may be NULL) and extra context (may be NULL).
 * On a deny sets c->err to the service's access-denied code and AWS's
 * message, and returns false. */
typedef enum api_resource_mode {
    API_RES_OPTIONAL,        /* ordinary resource policy, or none */
    API_RES_KEY_POLICY,      /* KMS: the key policy is the root of access */
    API_RES_TRUST_POLICY     /* sts:AssumeRole: the role's trust policy */
} api_resource_mode;
bool api_authorize(api_call *c, const char *action, const char *resource,
                   const char *resource_account, GPtrArray *resource_policies,
                   api_resource_mode mode, const iam_ctx *extra);
/* A permission a service keeps beside policies (KMS grants).  allows says
 * whether one names the caller for action: API_GRANT_CALLER (the caller's
 * own identity), API_GRANT_ACCOUNT (its account root: its IAM policies must
 * allow too, as for a key policy naming the account), or API_GRANT_NONE. */
typedef enum api_grant_match { API_GRANT_NONE, API_GRANT_CALLER, API_GRANT_ACCOUNT } api_grant_match;
typedef struct api_grant_fn {
    api_grant_match (*allows)(api_call *c, const void *subject, const void *extra,
                              const char *action);
    const void *subject, *extra;
} api_grant_fn;
/* As api_authorize; a grant may allow what the resource-side and identity
 * policies leave implicitly denied, never an explicit deny nor what an SCP,
 * RCP or boundary leaves out. */
bool api_authorize_granted(api_call *c, const char *action, const char *resource,
                           const char *resource_account, GPtrArray *resource_policies,
                           api_resource_mode mode, const iam_ctx *extra,
                           const api_grant_fn *grant);
/* The same decision outside any call, for `crossim explain`: fills *d,
 * appends the context and the trace to trace, sets *message to AWS's denial
 * message (NULL when allowed).  Returns true when allowed. */
bool api_explain(world *w, const principal *caller, const char *action, const char *resource,
                 const char *resource_account, GPtrArray *resource_policies,
                 api_resource_mode mode, const iam_ctx *extra, iam_decision *d,
                 GString *trace, char **message);
/* As api_explain, and with grants a grant of the resource's service (KMS)
 * may allow what the policies leave implicitly denied, as in a call;
 * ectx: the request's encryption context for grant constraints (may be
 * NULL). */
bool api_explain_granted(world *w, const principal *caller, const char *action,
                         const char *resource, const char *resource_account,
                         GPtrArray *resource_policies, api_resource_mode mode,
                         const iam_ctx *extra, const cJSON *ectx, bool grants, iam_decision *d,
                         GString *trace, char **message);
/* The access-denied error code of a service ("AccessDenied" for query/xml
 * services, "AccessDeniedException" for JSON ones). */
const char *api_denied_code(const char *prefix);

/* Emits a service event (eventType AwsServiceEvent) to the given accounts. */
void api_service_event(world *w, const char *source, const char *name,
                       cJSON *details /* taken */, cJSON *resources /* taken */,
                       const char *const *accounts, size_t n_accounts);

#endif
