/* model/iam.h: the IAM policy language and AWS's evaluation logic.
 *
 * Policy documents are compiled once (iam_policy_compile) into an immutable,
 * reference-counted form.  iam_evaluate answers one request (principal,
 * action, resource, context, policies by layer) the way AWS's documented
 * evaluation logic does, and can write a trace of what each policy
 * contributed.  The library knows no service and no account: the caller
 * (model/authz.c) gathers the policies and the context. */
#ifndef CROSSIM_IAM_H
#define CROSSIM_IAM_H

#include <cjson/cJSON.h>
#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

#define IAM_ERROR (iam_error_quark())
GQuark iam_error_quark(void);
enum { IAM_ERROR_MALFORMED };   /* AWS: MalformedPolicyDocument */

/* ---- compiled policies --------------------------------------------------- */
typedef struct iam_policy iam_policy;

/* Compiles doc (not kept).  NULL with *error (IAM_ERROR_MALFORMED, message
 * naming what is wrong and where: "Statement[1].Effect: ...") when the
 * document is not a valid policy. */
iam_policy *iam_policy_compile(const cJSON *doc, GError **error);
/* A resource-based policy whose principals live with their owner (RAM's
 * share associations): wherever a statement's Principal names
 * {"AWS": IAM_PRINCIPAL_SET}, evaluation asks test(set, entity) with the
 * caller's ARN, its role's ARN (sessions) and its account id, and matches as
 * the same ARN or account id listed in the policy would.  set is borrowed:
 * it must outlive every use of the policy, and may change between uses. */
#define IAM_PRINCIPAL_SET "crossim:principal-set"
typedef bool (*iam_principal_test)(const void *set, const char *entity);
iam_policy *iam_policy_compile_with_set(const cJSON *doc, iam_principal_test test,
                                        const void *set, GError **error);
/* Convenience: parses JSON text first. */
iam_policy *iam_policy_compile_text(const char *text, GError **error);
iam_policy *iam_policy_ref(iam_policy *p);
void        iam_policy_unref(iam_policy *p);          /* NULL-safe */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(iam_policy, iam_policy_unref)
/* A label for traces ("role Admin inline policy-0"); copied. */
void        iam_policy_set_name(iam_policy *p, const char *name);
const char *iam_policy_name(const iam_policy *p);
guint       iam_policy_statements(const iam_policy *p);

/* ---- request context ------------------------------------------------------ */
typedef struct iam_ctx iam_ctx;
iam_ctx *iam_ctx_new(void);
void     iam_ctx_free(iam_ctx *c);                    /* NULL-safe */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(iam_ctx, iam_ctx_free)
/* Keys are case-insensitive, values case-sensitive.  set replaces, add
 * appends a value (multivalued keys such as aws:TagKeys). */
void     iam_ctx_set(iam_ctx *c, const char *key, const char *value);
void     iam_ctx_add(iam_ctx *c, const char *key, const char *value);
/* The values of a key, borrowed until the context next changes; n is 0
 * when the key is absent. */
typedef struct iam_vals { const char *const *v; guint n; } iam_vals;
iam_vals iam_ctx_get(const iam_ctx *c, const char *key);
/* Copies every key of src into dst (replacing). */
void     iam_ctx_merge(iam_ctx *dst, const iam_ctx *src);
/* Keys in sorted order, "key=value[,value]" lines, for traces. */
char    *iam_ctx_describe(const iam_ctx *c);

/* ---- evaluation ---------------------------------------------------------------- */
typedef enum iam_principal_kind {
    IAM_PRINCIPAL_SESSION,   /* an assumed-role session */
    IAM_PRINCIPAL_USER,
    IAM_PRINCIPAL_ROOT,
    IAM_PRINCIPAL_SERVICE    /* "sagemaker.amazonaws.com" */
} iam_principal_kind;

typedef enum iam_res_mode {
    IAM_RES_OPTIONAL,        /* ordinary resource policy (S3, SageMaker, RAM's), or none */
    IAM_RES_KEY_POLICY,      /* KMS key policy: must allow; the account principal delegates */
    IAM_RES_TRUST_POLICY     /* role trust policy: likewise */
} iam_res_mode;

/* A layer of policies that must all be considered together. */
typedef struct iam_layer_set {
    const iam_policy *const *policies;
    size_t                   n;
} iam_layer_set;

typedef struct iam_request {
    iam_principal_kind kind;
    const char   *principal_arn;      /* session/user/root ARN, or the service name */
    const char   *principal_account;  /* NULL for services */
    const char   *role_arn;           /* sessions: the role */
    const char   *action;             /* "sagemaker:DescribeModelCard" */
    const char   *resource;           /* an ARN or "*" */
    const char   *resource_account;   /* owner; NULL = the principal's account */
    const iam_ctx *ctx;               /* may be NULL */
    iam_layer_set identity;           /* identity-based policies */
    const iam_policy *boundary;       /* permissions boundary, or NULL */
    iam_layer_set session;            /* session policies (n = 0: none) */
    const iam_layer_set *scp_levels;  /* root first; every level must allow */
    size_t        n_scp_levels;       /* 0: no SCPs apply */
    const iam_layer_set *rcp_levels;  /* over the resource's account, root first; every
                                         level must allow (RCPFullAWSAccess does) */
    size_t        n_rcp_levels;       /* 0: no RCPs apply */
    iam_layer_set resource_policies;
    iam_res_mode  mode;
} iam_request;

typedef enum iam_effect { IAM_ALLOW, IAM_IMPLICIT_DENY, IAM_EXPLICIT_DENY } iam_effect;

typedef enum iam_layer {
    IAM_LAYER_NONE, IAM_LAYER_SCP, IAM_LAYER_RESOURCE, IAM_LAYER_IDENTITY,
    IAM_LAYER_BOUNDARY, IAM_LAYER_SESSION, IAM_LAYER_RCP
} iam_layer;

typedef struct iam_decision {
    iam_effect        effect;
    iam_layer         layer;       /* the layer that granted, denied, or lacked an Allow */
    const iam_policy *policy;      /* the deciding policy (allow / explicit deny) or NULL */
    int               statement;   /* its statement index, -1 when none */
} iam_decision;

/* Evaluates req.  When trace is non-NULL, appends one line per policy
 * considered and one for the conclusion. */
void  iam_evaluate(const iam_request *req, iam_decision *out, GString *trace);
/* AWS's access-denied message for a denial, e.g. "User: ARN is not
 * authorized to perform: ACTION on resource: RES because no identity-based
 * policy allows the ACTION action".  Owned by the caller. */
char *iam_denied_message(const iam_request *req, const iam_decision *d);
const char *iam_effect_name(iam_effect e);

/* Policy grammar by policy type (IAM's validation): an identity policy, a
 * permissions boundary or an SCP may not name Principal or NotPrincipal in
 * any statement; a resource policy (trust, key, bucket, ...) must in every
 * statement.  NULL when doc keeps the rule, else the message IAM gives. */
typedef enum iam_doc_kind { IAM_DOC_IDENTITY, IAM_DOC_RESOURCE } iam_doc_kind;
const char *iam_doc_principal_rule(const cJSON *doc, iam_doc_kind kind);
const char *iam_layer_name(iam_layer l);
/* The Sid of p's statement i, or NULL when it has none (or no such one). */
const char *iam_policy_sid(const iam_policy *p, int i);
/* What decided d, for a reviewer: "<layer>: <why>", layer as iam_layer_name
 * names it, e.g. "scp: explicit Deny in DenyML, statement 0 (Sid NoML)" or
 * "identity: no statement of the identity-based policies allows it".
 * Owned by the caller. */
char *iam_decision_text(const iam_decision *d);

/* Glob match as IAM does it: '*' any run (crossing '/' and ':'), '?' one
 * character; case-insensitive when fold. */
bool  iam_glob(const char *pattern, const char *text, bool fold);

#endif
