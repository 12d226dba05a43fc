/* model/world_int.h: the records of the estate, as the model's modules see
 * them (world.h declares them opaque).  Only model/ and the white-box unit
 * tests include this; tests/scenarios/layout.t keeps sim/ out. */
#ifndef CROSSIM_WORLD_INT_H
#define CROSSIM_WORLD_INT_H

#include "model/world.h"
#include "model/base/enumx.h"

/* ---- organization ---------------------------------------------------------- */
struct world_policy {        /* a named, compiled policy with its source */
    char       *name;
    char       *arn;                 /* managed policies and SCPs; NULL inline */
    cJSON      *doc;                 /* the document as written; read-only */
    iam_policy *compiled;
    bool        shared_doc;          /* doc belongs to the world's cache (world_policy_share) */
};

struct world_ou {
    char      *id;                   /* "r-xxxx" for the root, "ou-xxxx-yyyyyyyy" */
    char      *name;
    char      *parent_id;            /* NULL for the root */
    GPtrArray *scps;                 /* world_policy* (borrowed from org->scps) */
    GPtrArray *rcps;                 /* RCPs attached here (borrowed), NULL: none */
};

struct world_org {
    char       *id;                  /* o-xxxxxxxxxx */
    char       *arn;
    char       *management;          /* account id */
    char       *root_id;
    GPtrArray  *ous;                 /* world_ou*, root first, then scenario order */
    GPtrArray  *scps;                /* world_policy*, FullAWSAccess first */
    GPtrArray  *rcps;                /* world_policy*, RCPFullAWSAccess first; NULL: the
                                        resource control policy type is not enabled */
    bool        ram_sharing;         /* EnableSharingWithAwsOrganization done */
};

/* ---- accounts and principals ------------------------------------------------ */
struct world_tag { char *key; char *value; };

struct world_role {
    char          *name, *path, *arn, *id;   /* id: "AROA..." */
    char          *account;
    world_policy  *trust;                    /* AssumeRolePolicyDocument; read it through
                                                world_role_trust (NULL here: the default) */
    bool           trust_default;            /* the account's own principals may assume it,
                                                made on first use (most roles never need it) */
    GPtrArray     *inline_policies;          /* world_policy*, owned */
    GPtrArray     *managed;                  /* world_policy*, borrowed */
    world_policy  *boundary;                 /* borrowed or NULL */
    GPtrArray     *tags;                     /* world_tag*, in insertion order */
    int64_t        created_us;
    int            max_session_s;
};

struct world_user {
    char          *name, *path, *arn, *id;   /* id: "AIDA..." */
    char          *account;
    GPtrArray     *inline_policies, *managed, *tags;
    world_policy  *boundary;
    int64_t        created_us;
};

/* A KMS key's KeyState, as KMS names it. */
#define KEY_STATE_MAP(X) X(KEY_ENABLED, "Enabled") X(KEY_DISABLED, "Disabled") \
    X(KEY_PENDING_DELETION, "PendingDeletion") X(KEY_UNAVAILABLE, "Unavailable")
typedef enum key_state { KEY_STATE_MAP(ENUMX_ID) } key_state;

struct world_key {
    char          *id, *arn, *account, *name;  /* name: the scenario's label */
    world_policy  *policy;
    key_state      state;
    int64_t        created_us;
};

struct world_bucket {
    char          *name, *account;
    world_policy  *policy;                     /* NULL: none */
    GHashTable    *objects;                    /* key -> cJSON* metadata, owned */
    int64_t        created_us;
};

struct world_account {
    char        *id, *alias;
    char        *ou_id;                        /* parent in the org, NULL outside */
    GPtrArray   *scps;                         /* world_policy* attached directly */
    GPtrArray   *rcps;                         /* RCPs attached directly, NULL: none */
    GPtrArray   *roles, *users, *keys;         /* owned, scenario order */
    GPtrArray   *managed_policies;             /* world_policy*, owned */
    GHashTable  *quotas;                       /* name -> gint64* overrides; NULL: none */
    GPtrArray   *identity_center_regions;      /* char*, for SageMaker SSO domains */
    char        *org_path;                     /* "o-x/r-x/ou-x/" once asked (authz), or NULL */
};

/* Who makes a call.  Immutable once made; owned by whoever made it. */
struct principal {
    principal_kind kind;
    char          *arn;            /* session/user/root ARN, or the service name */
    char          *account;        /* the account the identity belongs to */
    char          *principal_id;   /* AROA...:session, AIDA..., account id */
    char          *access_key_id;  /* ASIA... / AKIA... ; "" for services */
    char          *session_name;   /* sessions */
    world_role    *role;           /* sessions: borrowed */
    world_user    *user;           /* users: borrowed */
    char          *source_ip;      /* "198.51.100.7" style; may be NULL */
    char          *source_vpc;     /* when calling through an endpoint */
    char          *source_vpce;
    char          *user_agent;
    int64_t        session_start_us;
};

#endif
