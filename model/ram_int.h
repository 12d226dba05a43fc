/* model/ram_int.h: what model/ram.c (shares, invitations, their
 * lifecycles and operations) and model/ram_policy.c (created-from-policy
 * shares, promotion, and the resource policies RAM writes) share: the
 * state's types and the helpers both use.  Internal to RAM. */
#ifndef CROSSIM_RAM_INT_H
#define CROSSIM_RAM_INT_H

#include "model/ram.h"
#include "model/base/enumx.h"
#include "model/world_int.h"
#include "model/api_aux.h"

/* The lifecycles, as RAM names them in its answers. */
#define SHARE_STATUS_MAP(X) X(SHARE_PENDING, "PENDING") X(SHARE_ACTIVE, "ACTIVE") \
    X(SHARE_FAILED, "FAILED") X(SHARE_DELETING, "DELETING") X(SHARE_DELETED, "DELETED")
#define FEATURE_SET_MAP(X) X(FS_CREATED_FROM_POLICY, "CREATED_FROM_POLICY") \
    X(FS_PROMOTING_TO_STANDARD, "PROMOTING_TO_STANDARD") X(FS_STANDARD, "STANDARD")
#define ASSOC_STATUS_MAP(X) X(AS_ASSOCIATING, "ASSOCIATING") X(AS_ASSOCIATED, "ASSOCIATED") \
    X(AS_FAILED, "FAILED") X(AS_DISASSOCIATING, "DISASSOCIATING") \
    X(AS_DISASSOCIATED, "DISASSOCIATED")
#define INV_STATUS_MAP(X) X(INV_PENDING, "PENDING") X(INV_ACCEPTED, "ACCEPTED") \
    X(INV_REJECTED, "REJECTED") X(INV_EXPIRED, "EXPIRED")

typedef enum share_status { SHARE_STATUS_MAP(ENUMX_ID) } share_status;
typedef enum feature_set { FEATURE_SET_MAP(ENUMX_ID) } feature_set;
typedef enum assoc_status { ASSOC_STATUS_MAP(ENUMX_ID) } assoc_status;
typedef enum inv_status { INV_STATUS_MAP(ENUMX_ID) } inv_status;

static const char *const share_status_names[] = { SHARE_STATUS_MAP(ENUMX_NAME) };
static const char *const feature_set_names[] = { FEATURE_SET_MAP(ENUMX_NAME) };
static const char *const assoc_status_names[] = { ASSOC_STATUS_MAP(ENUMX_NAME) };
static const char *const inv_status_names[] = { INV_STATUS_MAP(ENUMX_NAME) };

typedef struct perm {
    char      *arn, *name, *type, *ptype, *owner;
    feature_set feature_set;
    GPtrArray *actions;            /* char* */
    bool       is_default;
    int64_t    created;
} perm;

typedef struct share share;

typedef struct assoc {
    share   *sh;                   /* the share it belongs to (borrowed) */
    char    *entity;               /* account id, ARN of org/OU/role/user, or resource ARN */
    char    *account;              /* principals: the account that must accept (or NULL) */
    char    *type;                 /* resources: RAM type */
    bool     principal, external;
    assoc_status status;
    char    *message;
    int64_t  created, updated;
} assoc;

struct share {
    char      *arn, *name, *owner;
    share_status status;
    feature_set feature_set;
    bool       allow_external;
    int64_t    created, updated;
    GPtrArray *tags;               /* world_tag* */
    GPtrArray *resources, *principals;   /* assoc* */
    GHashTable *res_idx, *prin_idx;      /* entity -> assoc* of the lists above */
    GPtrArray *perms;              /* perm* (borrowed), one per type */
    char      *policy_resource;    /* CREATED_FROM_POLICY: the resource */
    guint64    seq;                /* creation order, for listings built from indexes */
    guint64    gen;                /* bumped by every change but a non-org principal's status */
    bool       has_org;            /* an org or OU principal was ever associated */
    GHashTable *pcache;            /* resource arn -> policy_cache*, see ram_resource_policies */
};

typedef struct invitation {
    char    *arn, *share_arn, *share_name, *sender, *receiver, *receiver_arn;
    inv_status status;
    bool     counted;              /* PENDING and in the sender's count */
    int64_t  created;
    uint64_t expiry;               /* the pending expiry event, 0 once answered */
} invitation;

/* Every list is in creation order; the hash tables index them so that no
 * call scans every share or invitation (S1).  Lists reached through an
 * index are sorted by share seq before they reach output. */
typedef struct ram_state {
    GPtrArray  *shares;            /* share*, owned */
    GPtrArray  *invitations;       /* invitation*, owned */
    GPtrArray  *perms;             /* perm*, owned: AWS managed first */
    GHashTable *share_by_arn;      /* arn -> share* */
    GHashTable *inv_by_arn;        /* arn -> invitation* */
    GHashTable *by_owner;          /* account -> GPtrArray of share*, creation order */
    GHashTable *by_account;        /* principal's account -> GPtrArray of share* (may repeat) */
    GHashTable *by_resource;       /* resource arn -> GPtrArray of share* that ever held it */
    GHashTable *inv_by_receiver;   /* account -> GPtrArray of invitation* */
    GHashTable *pending;           /* sender -> PENDING invitations it sent (GUINT_TO_POINTER) */
    GHashTable *owned;             /* owner -> shares not DELETED (GUINT_TO_POINTER) */
    GPtrArray  *org_shares;        /* share* with an org or OU principal */
    GHashTable *org_by_resource;   /* resource arn -> GPtrArray of org_shares holding it */
    guint64     next_seq;
    uint64_t    generation;        /* organization-wide changes (org sharing turned on) */
} ram_state;

typedef struct policy_cache { guint64 sgen, ggen; GPtrArray *policies; } policy_cache;

/* What a settle event completes: the share's creation, deletion or
 * promotion, or one association's (dis)association. */
typedef enum settle_to {
    TO_ACTIVE, TO_DELETED, TO_STANDARD, TO_ASSOCIATED, TO_DISASSOCIATED
} settle_to;

/* Shared helpers (model/ram.c unless noted). */
bool ram__authorize(api_call *c, const char *action, const char *resource, const share *s);
perm *ram__find_perm(world *w, const char *arn);
void ram__perm_free(gpointer p);
ram_state *ram__state(world *w);
cJSON *ram__perm_summary(world *w, const perm *p);
void ram__touch(share *s);
share *ram__new_share(api_call *c, const char *name, bool allow_external,
                      feature_set feature);
void ram__share_register(world *w, share *s, share_status status);
void ram__share_set_status(world *w, share *s, share_status status);
GPtrArray *ram__shares_naming(world *w, const char *account, const char *resource);
assoc *ram__find_assoc(const share *s, const char *entity, bool is_principal);
void ram__assoc_add(world *w, share *s, assoc *a);
bool ram__add_principal(api_call *c, share *s, const char *p);
void ram__settle_later(world *w, const share *s, const char *entity, bool is_principal,
                       settle_to to);
bool ram__visible_to(world *w, const share *s, const char *account);
share *ram__owned_share(api_call *c, const char *arn);
void ram__disassociate_all(world *w, share *s, GPtrArray *list);
/* model/ram_policy.c: the promotion operations. */
bool ram__promote_permission(api_call *c);
bool ram__promote_share(api_call *c);

#endif
