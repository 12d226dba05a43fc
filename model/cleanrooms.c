/* model/cleanrooms.c: AWS Clean Rooms collaborations, memberships and
 * configured audience model associations (SPEC CR5, CR9).
 *
 * Owns the service state slot "cleanrooms": collaborations by id, each with
 * its members (the creator first, then the request's order) and their
 * abilities; memberships by id; configured audience model associations by
 * id.  A member is INVITED until its account calls CreateMembership (the
 * creator too, as in AWS), then ACTIVE; DeleteMember (by the creator) makes
 * it REMOVED, DeleteMembership (by the member) LEFT; DeleteCollaboration
 * removes the collaboration and marks every membership COLLABORATION_DELETED.
 *
 * Clean Rooms authorises its calls on the caller's own side (identity
 * policies): a collaboration is shared by its members, so a member reaches
 * one created in another account through membership, not through a resource
 * policy.  Non-members get AccessDeniedException (GetCollaboration declares
 * no not-found error) or ResourceNotFoundException where the operation
 * declares it.
 *
 * CreateConfiguredAudienceModelAssociation with manageResourcePolicies=true
 * writes the CAM's resource policy (CR5): a statement with Sid
 * "Clean-Rooms-<association id>" that lets the collaboration's other members
 * call cleanrooms-ml:StartAudienceGenerationJob on the CAM and on the owner's
 * audience-generation-job/ARNs, under a cleanrooms-ml:CollaborationId
 * condition.  It does so through a real PutConfiguredAudienceModelPolicy
 * call made with the caller's rights (api_invoke_via, invokedBy
 * cleanrooms.amazonaws.com), so the caller needs that permission and the
 * call is in the owner's log; deleting the association takes the statement
 * out the same way.
 *
 * AWS's default quotas apply (collaborations per account, invited members
 * per collaboration, memberships per account, associations per membership:
 * ServiceQuotaExceededException), each overridable as an account quota.
 *
 * Every listing is sorted (creation time, then id); no hash order reaches
 * output. */
#include "model/cleanrooms.h"
#include "model/world_int.h"
#include "model/base/enumx.h"
#include "model/api_aux.h"
#include "model/service.h"

#include <string.h>

#include "model/cleanrooms_ml.h"

#define CR_SLOT "cleanrooms"
#define CR_SERVICE "cleanrooms.amazonaws.com"

/* AWS Clean Rooms quotas (user guide, "AWS Clean Rooms quotas"); each is
 * adjustable in AWS, so an account quota of the same name overrides it. */
#define Q_COLLABS "cleanrooms:collaborations-per-account"
#define Q_COLLABS_DEFAULT 10
#define Q_MEMBERS "cleanrooms:members-per-collaboration"
#define Q_MEMBERS_DEFAULT 5
#define Q_MEMBERSHIPS "cleanrooms:memberships-per-account"
#define Q_MEMBERSHIPS_DEFAULT 100
#define Q_CAMAS "cleanrooms:audience-model-associations-per-membership"
#define Q_CAMAS_DEFAULT 5

/* A member's status in a collaboration, and a membership's, as Clean Rooms
 * names them. */
#define MEMBER_STATUS_MAP(X) X(MEMBER_INVITED, "INVITED") X(MEMBER_ACTIVE, "ACTIVE") \
    X(MEMBER_LEFT, "LEFT") X(MEMBER_REMOVED, "REMOVED")
#define MEMBERSHIP_STATUS_MAP(X) X(MS_ACTIVE, "ACTIVE") X(MS_REMOVED, "REMOVED") \
    X(MS_COLLABORATION_DELETED, "COLLABORATION_DELETED")
typedef enum member_status { MEMBER_STATUS_MAP(ENUMX_ID) } member_status;
typedef enum membership_status { MEMBERSHIP_STATUS_MAP(ENUMX_ID) } membership_status;
static const char *const MEMBER_NAMES[] = { MEMBER_STATUS_MAP(ENUMX_NAME) };
static const char *const MS_NAMES[] = { MEMBERSHIP_STATUS_MAP(ENUMX_NAME) };

typedef struct cr_member {
    char    *account, *display_name;
    cJSON   *abilities;          /* ["CAN_QUERY", ...] */
    cJSON   *ml_abilities;       /* MLMemberAbilities or NULL */
    member_status status;
    char    *membership_id;      /* NULL until CreateMembership */
    int64_t  created_us, updated_us;
} cr_member;

typedef struct cr_collab {
    char      *id, *arn, *name, *description, *creator, *creator_display;
    char      *query_log_status, *job_log_status, *analytics_engine;
    GPtrArray *members;          /* cr_member*, owned; creator first */
    int64_t    created_us, updated_us;
} cr_collab;

typedef struct cr_membership {
    char    *id, *arn, *account, *collab_id;
    membership_status status;
    char    *query_log_status, *job_log_status;
    int64_t  created_us, updated_us;
} cr_membership;

typedef struct cr_cama {
    char    *id, *arn, *account, *membership_id, *collab_id, *cam_arn, *name, *description;
    bool     manage;
    int64_t  created_us, updated_us;
} cr_cama;

typedef struct cr_state {
    GHashTable *collabs;         /* id -> cr_collab* (owned) */
    GHashTable *memberships;     /* id -> cr_membership* (owned) */
    GHashTable *camas;           /* id -> cr_cama* (owned) */
} cr_state;

/* ---- state ----------------------------------------------------------------------------- */

static void member_free(gpointer p)
{
    cr_member *m = p;
    g_free(m->account); g_free(m->display_name); g_free(m->membership_id);
    cJSON_Delete(m->abilities);
    cJSON_Delete(m->ml_abilities);
    g_free(m);
}

static void collab_free(gpointer p)
{
    cr_collab *c = p;
    g_free(c->id); g_free(c->arn); g_free(c->name); g_free(c->description);
    g_free(c->creator); g_free(c->creator_display);
    g_free(c->query_log_status); g_free(c->job_log_status); g_free(c->analytics_engine);
    g_ptr_array_unref(c->members);
    g_free(c);
}

static void membership_free(gpointer p)
{
    cr_membership *m = p;
    g_free(m->id); g_free(m->arn); g_free(m->account); g_free(m->collab_id);
    g_free(m->query_log_status); g_free(m->job_log_status);
    g_free(m);
}

static void cama_free(gpointer p)
{
    cr_cama *a = p;
    g_free(a->id); g_free(a->arn); g_free(a->account); g_free(a->membership_id);
    g_free(a->collab_id); g_free(a->cam_arn); g_free(a->name); g_free(a->description);
    g_free(a);
}

static void state_free(gpointer p)
{
    cr_state *s = p;
    g_hash_table_unref(s->camas);
    g_hash_table_unref(s->memberships);
    g_hash_table_unref(s->collabs);
    g_free(s);
}

static cr_state *state_of(world *w)
{
    cr_state *s = world_service_state(w, CR_SLOT);
    if (!s) {
        s = g_new0(cr_state, 1);
        s->collabs = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, collab_free);
        s->memberships = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, membership_free);
        s->camas = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, cama_free);
        world_set_service_state(w, CR_SLOT, s, state_free);
    }
    return s;
}

static cr_member *member_of(const cr_collab *co, const char *account)
{
    for (guint i = 0; co && i < co->members->len; i++) {
        cr_member *m = co->members->pdata[i];
        if (strcmp(m->account, account) == 0)
            return m;
    }
    return NULL;
}

const char *cleanrooms_member_status(world *w, const char *collab_id, const char *account)
{
    const cr_collab *co = collab_id ? g_hash_table_lookup(state_of(w)->collabs, collab_id) : NULL;
    if (!co)
        return NULL;
    const cr_member *m = member_of(co, account);
    return m ? MEMBER_NAMES[m->status] : "";
}

/* ---- helpers ----------------------------------------------------------------------------- */

static bool over_quota(api_call *c, const char *quota, int64_t dflt, int64_t used,
                       int64_t more, const char *what)
{
    int64_t limit = world_quota(c->w, c->caller->account, quota, dflt);
    if (used + more <= limit)
        return false;
    api_error_set(&c->err, "ServiceQuotaExceededException",
                  "Request would exceed the quota of %" G_GINT64_FORMAT " %s (%s); %"
                  G_GINT64_FORMAT " in use", limit, what, quota, used);
    return true;
}

static void set_str(char **field, const char *v)
{
    g_free(*field);
    *field = g_strdup(v);
}

/* Clean Rooms authorises on the caller's side (see the top of the file). */
static bool authorize(api_call *c, const char *action, const char *resource)
{
    return api_authorize(c, action, resource ? resource : "*", c->caller->account, NULL,
                         API_RES_OPTIONAL, NULL);
}

/* Clean Rooms' (and Clean Rooms ML's) paging: maxResults (default 100), nextToken. */
static const api_paging CR_PAGING = {
    .token = "nextToken", .max = "maxResults", .dflt = 100,
    .bad_code = "ValidationException", .bad_fmt = "Invalid nextToken: %s" };

bool cleanrooms_page(api_call *c, guint n, guint *first, guint *count)
{
    return api_page(c, &CR_PAGING, n, first, count);
}

void cleanrooms_page_token(api_call *c, guint first, guint count, guint n)
{
    api_page_token(&CR_PAGING, c->output, first, count, n);
}

static cr_membership *membership_get(world *w, const char *id)
{
    return g_hash_table_lookup(state_of(w)->memberships, id);
}

static char *membership_arn(world *w, const char *account, const char *id)
{
    return g_strdup_printf("arn:aws:cleanrooms:%s:%s:membership/%s", world_region(w), account, id);
}

/* ---- collaborations ------------------------------------------------------------------------ */

static cr_member *member_new(const char *account, const char *display, const cJSON *abilities,
                             const cJSON *ml, int64_t now)
{
    cr_member *m = g_new0(cr_member, 1);
    m->account = g_strdup(account);
    m->display_name = g_strdup(display);
    m->abilities = abilities ? cJSON_Duplicate(abilities, 1) : cJSON_CreateArray();
    m->ml_abilities = ml ? cJSON_Duplicate(ml, 1) : NULL;
    m->status = MEMBER_INVITED;
    m->created_us = m->updated_us = now;
    return m;
}

static cJSON *collab_json(api_call *c, const cr_collab *co, bool summary)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", co->id);
    cJSON_AddStringToObject(o, "arn", co->arn);
    cJSON_AddStringToObject(o, "name", co->name);
    if (!summary && co->description)
        cJSON_AddStringToObject(o, "description", co->description);
    cJSON_AddStringToObject(o, "creatorAccountId", co->creator);
    cJSON_AddStringToObject(o, "creatorDisplayName", co->creator_display);
    api_add_time(c->w, o, "createTime", co->created_us);
    api_add_time(c->w, o, "updateTime", co->updated_us);
    const cr_member *me = member_of(co, c->caller->account);
    cJSON_AddStringToObject(o, "memberStatus", MEMBER_NAMES[me ? me->status : MEMBER_INVITED]);
    if (me && me->membership_id) {
        g_autofree char *marn = membership_arn(c->w, me->account, me->membership_id);
        cJSON_AddStringToObject(o, "membershipId", me->membership_id);
        cJSON_AddStringToObject(o, "membershipArn", marn);
    }
    if (!summary) {
        cJSON_AddStringToObject(o, "queryLogStatus", co->query_log_status);
        if (co->job_log_status)
            cJSON_AddStringToObject(o, "jobLogStatus", co->job_log_status);
    }
    if (co->analytics_engine)
        cJSON_AddStringToObject(o, "analyticsEngine", co->analytics_engine);
    return o;
}

static bool create_collaboration(api_call *c)
{
    const char *me = c->caller->account;
    if (!authorize(c, "cleanrooms:CreateCollaboration", NULL))
        return false;
    const cJSON *members = cJSON_GetObjectItemCaseSensitive(c->input, "members"), *m;
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    g_hash_table_add(seen, (gpointer)me);
    cJSON_ArrayForEach(m, members) {
        const char *acct = api_str(m, "accountId");
        if (!world_is_account_id(acct)) {
            api_error_set(&c->err, "ValidationException", "Invalid member account id: %s", acct);
            return false;
        }
        if (!g_hash_table_add(seen, (gpointer)acct)) {
            api_error_set(&c->err, "ValidationException",
                          "Account %s appears more than once among the collaboration's members "
                          "(the creator is a member already)", acct);
            return false;
        }
    }
    int64_t mine = 0;
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, state_of(c->w)->collabs);
    while (g_hash_table_iter_next(&it, NULL, &v))
        mine += strcmp(((cr_collab *)v)->creator, me) == 0;
    if (over_quota(c, Q_COLLABS, Q_COLLABS_DEFAULT, mine, 1, "collaborations created per account") ||
        over_quota(c, Q_MEMBERS, Q_MEMBERS_DEFAULT, 0, cJSON_GetArraySize(members),
                   "members invited per collaboration"))
        return false;
    char id[37];
    rng_uuid(c->rng, id);
    cr_collab *co = g_new0(cr_collab, 1);
    co->id = g_strdup(id);
    co->arn = g_strdup_printf("arn:aws:cleanrooms:%s:%s:collaboration/%s", world_region(c->w), me, id);
    co->name = g_strdup(api_str(c->input, "name"));
    co->description = g_strdup(api_str(c->input, "description"));
    co->creator = g_strdup(me);
    co->creator_display = g_strdup(api_str(c->input, "creatorDisplayName"));
    co->query_log_status = g_strdup(api_str(c->input, "queryLogStatus"));
    co->job_log_status = g_strdup(api_str(c->input, "jobLogStatus"));
    co->analytics_engine = g_strdup(api_str(c->input, "analyticsEngine"));
    co->created_us = co->updated_us = c->now;
    co->members = g_ptr_array_new_with_free_func(member_free);
    g_ptr_array_add(co->members,
                    member_new(me, co->creator_display,
                               cJSON_GetObjectItemCaseSensitive(c->input, "creatorMemberAbilities"),
                               cJSON_GetObjectItemCaseSensitive(c->input, "creatorMLMemberAbilities"),
                               c->now));
    cJSON_ArrayForEach(m, members)
        g_ptr_array_add(co->members,
                        member_new(api_str(m, "accountId"), api_str(m, "displayName"),
                                   cJSON_GetObjectItemCaseSensitive(m, "memberAbilities"),
                                   cJSON_GetObjectItemCaseSensitive(m, "mlMemberAbilities"), c->now));
    g_hash_table_insert(state_of(c->w)->collabs, co->id, co);
    world_resource_add(c->w, co->arn, me, NULL);
    c->output = cJSON_CreateObject();
    cJSON_AddItemToObject(c->output, "collaboration", collab_json(c, co, false));
    /* Invited accounts may wait for their invitation. */
    for (guint i = 1; i < co->members->len; i++)
        world_notify(c->w, ((cr_member *)co->members->pdata[i])->account,
                     "cleanrooms:invitation", cJSON_GetObjectItemCaseSensitive(c->output,
                                                                               "collaboration"));
    return true;
}

/* The collaboration the caller may see: it exists and the caller is a member
 * of it (any status).  Otherwise sets code (AccessDeniedException, or
 * ResourceNotFoundException when not_found is true) and returns NULL. */
static cr_collab *visible_collab(api_call *c, const char *id, bool not_found)
{
    cr_collab *co = g_hash_table_lookup(state_of(c->w)->collabs, id);
    if (!co || !member_of(co, c->caller->account)) {
        if (not_found)
            api_error_set(&c->err, "ResourceNotFoundException",
                          "Collaboration %s not found", id);
        else
            api_error_set(&c->err, "AccessDeniedException",
                          "Account %s is not a member of collaboration %s", c->caller->account, id);
        return NULL;
    }
    return co;
}

static bool get_collaboration(api_call *c)
{
    const char *id = api_str(c->input, "collaborationIdentifier");
    if (!authorize(c, "cleanrooms:GetCollaboration", NULL))
        return false;
    cr_collab *co = visible_collab(c, id, false);
    if (!co)
        return false;
    c->output = cJSON_CreateObject();
    cJSON_AddItemToObject(c->output, "collaboration", collab_json(c, co, false));
    return true;
}

static gint cmp_collab(gconstpointer a, gconstpointer b)
{
    const cr_collab *x = *(cr_collab *const *)a, *y = *(cr_collab *const *)b;
    if (x->created_us != y->created_us)
        return x->created_us < y->created_us ? -1 : 1;
    return strcmp(x->id, y->id);
}

static bool list_collaborations(api_call *c)
{
    if (!authorize(c, "cleanrooms:ListCollaborations", NULL))
        return false;
    const char *want = api_str(c->input, "memberStatus");
    g_autoptr(GPtrArray) rows = g_ptr_array_new();
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, state_of(c->w)->collabs);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        const cr_member *m = member_of(v, c->caller->account);
        if (m && (!want || strcmp(MEMBER_NAMES[m->status], want) == 0))
            g_ptr_array_add(rows, v);
    }
    g_ptr_array_sort(rows, cmp_collab);
    guint first, count;
    if (!cleanrooms_page(c, rows->len, &first, &count))
        return false;
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "collaborationList");
    for (guint i = first; i < first + count; i++)
        cJSON_AddItemToArray(list, collab_json(c, rows->pdata[i], true));
    cleanrooms_page_token(c, first, count, rows->len);
    return true;
}

static bool list_members(api_call *c)
{
    const char *id = api_str(c->input, "collaborationIdentifier");
    if (!authorize(c, "cleanrooms:ListMembers", NULL))
        return false;
    cr_collab *co = visible_collab(c, id, true);
    if (!co)
        return false;
    guint first, count;
    if (!cleanrooms_page(c, co->members->len, &first, &count))
        return false;
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "memberSummaries");
    for (guint i = first; i < first + count; i++) {
        const cr_member *m = co->members->pdata[i];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "accountId", m->account);
        cJSON_AddStringToObject(e, "status", MEMBER_NAMES[m->status]);
        cJSON_AddStringToObject(e, "displayName", m->display_name);
        cJSON_AddItemToObject(e, "abilities", cJSON_Duplicate(m->abilities, 1));
        if (m->ml_abilities)
            cJSON_AddItemToObject(e, "mlAbilities", cJSON_Duplicate(m->ml_abilities, 1));
        api_add_time(c->w, e, "createTime", m->created_us);
        api_add_time(c->w, e, "updateTime", m->updated_us);
        if (m->membership_id) {
            g_autofree char *marn = membership_arn(c->w, m->account, m->membership_id);
            cJSON_AddStringToObject(e, "membershipId", m->membership_id);
            cJSON_AddStringToObject(e, "membershipArn", marn);
        }
        cJSON *pay = cJSON_AddObjectToObject(e, "paymentConfiguration");
        cJSON *qc = cJSON_AddObjectToObject(pay, "queryCompute");
        cJSON_AddBoolToObject(qc, "isResponsible", strcmp(m->account, co->creator) == 0);
        cJSON_AddItemToArray(list, e);
    }
    cleanrooms_page_token(c, first, count, co->members->len);
    return true;
}

static void membership_set_status(world *w, const cr_member *m, membership_status status,
                                  int64_t now)
{
    cr_membership *ms = m->membership_id ? membership_get(w, m->membership_id) : NULL;
    if (ms) {
        ms->status = status;
        ms->updated_us = now;
    }
}

static bool delete_member(api_call *c)
{
    const char *id = api_str(c->input, "collaborationIdentifier");
    const char *acct = api_str(c->input, "accountId");
    if (!authorize(c, "cleanrooms:DeleteMember", NULL))
        return false;
    cr_collab *co = visible_collab(c, id, true);
    if (!co)
        return false;
    if (strcmp(co->creator, c->caller->account) != 0) {
        api_error_set(&c->err, "AccessDeniedException",
                      "Only the collaboration creator can remove members");
        return false;
    }
    cr_member *m = member_of(co, acct);
    if (!m) {
        api_error_set(&c->err, "ResourceNotFoundException",
                      "Member %s not found in collaboration %s", acct, id);
        return false;
    }
    if (strcmp(acct, co->creator) == 0) {
        api_error_set(&c->err, "ValidationException",
                      "The collaboration creator cannot be removed; delete the collaboration");
        return false;
    }
    if (m->status == MEMBER_REMOVED || m->status == MEMBER_LEFT) {
        api_error_set(&c->err, "ConflictException", "Member %s is already %s", acct, MEMBER_NAMES[m->status]);
        return false;
    }
    m->status = MEMBER_REMOVED;
    m->updated_us = c->now;
    membership_set_status(c->w, m, MS_REMOVED, c->now);
    c->output = cJSON_CreateObject();
    return true;
}

static bool delete_collaboration(api_call *c)
{
    const char *id = api_str(c->input, "collaborationIdentifier");
    if (!authorize(c, "cleanrooms:DeleteCollaboration", NULL))
        return false;
    cr_collab *co = visible_collab(c, id, false);
    if (!co)
        return false;
    if (strcmp(co->creator, c->caller->account) != 0) {
        api_error_set(&c->err, "AccessDeniedException",
                      "Only the collaboration creator can delete the collaboration");
        return false;
    }
    for (guint i = 0; i < co->members->len; i++)
        membership_set_status(c->w, co->members->pdata[i], MS_COLLABORATION_DELETED, c->now);
    world_resource_remove(c->w, co->arn);
    g_hash_table_remove(state_of(c->w)->collabs, id);
    c->output = cJSON_CreateObject();
    return true;
}

/* ---- memberships ------------------------------------------------------------------------- */

static cJSON *membership_json(api_call *c, const cr_membership *ms, bool summary)
{
    const cr_collab *co = g_hash_table_lookup(state_of(c->w)->collabs, ms->collab_id);
    const cr_member *m = member_of(co, ms->account);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", ms->id);
    cJSON_AddStringToObject(o, "arn", ms->arn);
    g_autofree char *carn = co ? NULL
        : g_strdup_printf("arn:aws:cleanrooms:%s:%s:collaboration/%s", world_region(c->w),
                          ms->account, ms->collab_id);
    cJSON_AddStringToObject(o, "collaborationArn", co ? co->arn : carn);
    cJSON_AddStringToObject(o, "collaborationId", ms->collab_id);
    cJSON_AddStringToObject(o, "collaborationCreatorAccountId", co ? co->creator : "");
    cJSON_AddStringToObject(o, "collaborationCreatorDisplayName", co ? co->creator_display : "");
    cJSON_AddStringToObject(o, "collaborationName", co ? co->name : "");
    api_add_time(c->w, o, "createTime", ms->created_us);
    api_add_time(c->w, o, "updateTime", ms->updated_us);
    cJSON_AddStringToObject(o, "status", MS_NAMES[ms->status]);
    cJSON_AddItemToObject(o, "memberAbilities",
                          m ? cJSON_Duplicate(m->abilities, 1) : cJSON_CreateArray());
    if (m && m->ml_abilities)
        cJSON_AddItemToObject(o, "mlMemberAbilities", cJSON_Duplicate(m->ml_abilities, 1));
    if (!summary) {
        cJSON_AddStringToObject(o, "queryLogStatus", ms->query_log_status);
        if (ms->job_log_status)
            cJSON_AddStringToObject(o, "jobLogStatus", ms->job_log_status);
    }
    cJSON *pay = cJSON_AddObjectToObject(o, "paymentConfiguration");
    cJSON *qc = cJSON_AddObjectToObject(pay, "queryCompute");
    cJSON_AddBoolToObject(qc, "isResponsible", co && strcmp(co->creator, ms->account) == 0);
    return o;
}

static bool create_membership(api_call *c)
{
    const char *id = api_str(c->input, "collaborationIdentifier");
    if (!authorize(c, "cleanrooms:CreateMembership", NULL))
        return false;
    cr_collab *co = visible_collab(c, id, true);
    if (!co)
        return false;
    cr_member *m = member_of(co, c->caller->account);
    if (m->status != MEMBER_INVITED) {
        api_error_set(&c->err, "ConflictException",
                      "Account %s cannot join collaboration %s: its member status is %s",
                      m->account, id, MEMBER_NAMES[m->status]);
        return false;
    }
    int64_t held = 0;
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, state_of(c->w)->memberships);
    while (g_hash_table_iter_next(&it, NULL, &v))
        held += strcmp(((cr_membership *)v)->account, c->caller->account) == 0;
    if (over_quota(c, Q_MEMBERSHIPS, Q_MEMBERSHIPS_DEFAULT, held, 1, "memberships per account"))
        return false;
    char mid[37];
    rng_uuid(c->rng, mid);
    cr_membership *ms = g_new0(cr_membership, 1);
    ms->id = g_strdup(mid);
    ms->arn = membership_arn(c->w, c->caller->account, mid);
    ms->account = g_strdup(c->caller->account);
    ms->collab_id = g_strdup(id);
    ms->status = MS_ACTIVE;
    ms->query_log_status = g_strdup(api_str(c->input, "queryLogStatus"));
    ms->job_log_status = g_strdup(api_str(c->input, "jobLogStatus"));
    ms->created_us = ms->updated_us = c->now;
    g_hash_table_insert(state_of(c->w)->memberships, ms->id, ms);
    world_resource_add(c->w, ms->arn, ms->account, NULL);
    m->status = MEMBER_ACTIVE;
    set_str(&m->membership_id, mid);
    m->updated_us = c->now;
    c->output = cJSON_CreateObject();
    cJSON_AddItemToObject(c->output, "membership", membership_json(c, ms, false));
    return true;
}

/* The caller's own membership, or NULL with ResourceNotFoundException. */
static cr_membership *own_membership(api_call *c, const char *id)
{
    cr_membership *ms = membership_get(c->w, id);
    if (!ms || strcmp(ms->account, c->caller->account) != 0) {
        api_error_set(&c->err, "ResourceNotFoundException", "Membership %s not found", id);
        return NULL;
    }
    return ms;
}

static bool get_membership(api_call *c)
{
    const char *id = api_str(c->input, "membershipIdentifier");
    if (!authorize(c, "cleanrooms:GetMembership", NULL))
        return false;
    cr_membership *ms = own_membership(c, id);
    if (!ms)
        return false;
    c->output = cJSON_CreateObject();
    cJSON_AddItemToObject(c->output, "membership", membership_json(c, ms, false));
    return true;
}

static gint cmp_membership(gconstpointer a, gconstpointer b)
{
    const cr_membership *x = *(cr_membership *const *)a, *y = *(cr_membership *const *)b;
    if (x->created_us != y->created_us)
        return x->created_us < y->created_us ? -1 : 1;
    return strcmp(x->id, y->id);
}

static bool list_memberships(api_call *c)
{
    if (!authorize(c, "cleanrooms:ListMemberships", NULL))
        return false;
    const char *want = api_str(c->input, "status");
    g_autoptr(GPtrArray) rows = g_ptr_array_new();
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, state_of(c->w)->memberships);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        const cr_membership *ms = v;
        if (strcmp(ms->account, c->caller->account) == 0 && (!want || strcmp(MS_NAMES[ms->status], want) == 0))
            g_ptr_array_add(rows, v);
    }
    g_ptr_array_sort(rows, cmp_membership);
    guint first, count;
    if (!cleanrooms_page(c, rows->len, &first, &count))
        return false;
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "membershipSummaries");
    for (guint i = first; i < first + count; i++)
        cJSON_AddItemToArray(list, membership_json(c, rows->pdata[i], true));
    cleanrooms_page_token(c, first, count, rows->len);
    return true;
}

static bool delete_membership(api_call *c)
{
    const char *id = api_str(c->input, "membershipIdentifier");
    if (!authorize(c, "cleanrooms:DeleteMembership", NULL))
        return false;
    cr_membership *ms = own_membership(c, id);
    if (!ms)
        return false;
    cr_collab *co = g_hash_table_lookup(state_of(c->w)->collabs, ms->collab_id);
    if (co && strcmp(co->creator, ms->account) == 0) {
        api_error_set(&c->err, "ConflictException",
                      "The collaboration creator cannot leave; delete the collaboration instead");
        return false;
    }
    cr_member *m = member_of(co, ms->account);
    if (m && m->status == MEMBER_ACTIVE) {
        m->status = MEMBER_LEFT;
        m->updated_us = c->now;
    }
    world_resource_remove(c->w, ms->arn);
    g_hash_table_remove(state_of(c->w)->memberships, id);
    c->output = cJSON_CreateObject();
    return true;
}

/* ---- configured audience model associations ------------------------------------------------ */

static cJSON *cama_json(api_call *c, const cr_cama *a, bool summary)
{
    const cr_membership *ms = membership_get(c->w, a->membership_id);
    const cr_collab *co = g_hash_table_lookup(state_of(c->w)->collabs, a->collab_id);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", a->id);
    cJSON_AddStringToObject(o, "arn", a->arn);
    cJSON_AddStringToObject(o, "configuredAudienceModelArn", a->cam_arn);
    cJSON_AddStringToObject(o, "membershipId", a->membership_id);
    cJSON_AddStringToObject(o, "membershipArn", ms ? ms->arn : "");
    cJSON_AddStringToObject(o, "collaborationId", a->collab_id);
    cJSON_AddStringToObject(o, "collaborationArn", co ? co->arn : "");
    cJSON_AddStringToObject(o, "name", a->name);
    if (!summary)
        cJSON_AddBoolToObject(o, "manageResourcePolicies", a->manage);
    if (a->description)
        cJSON_AddStringToObject(o, "description", a->description);
    api_add_time(c->w, o, "createTime", a->created_us);
    api_add_time(c->w, o, "updateTime", a->updated_us);
    return o;
}

/* The CAM policy with the association's managed statement put in (stmt
 * non-NULL) or taken out (stmt NULL).  A new document. */
static cJSON *policy_with(const char *current, const char *sid, cJSON *stmt /* taken */)
{
    cJSON *doc = current ? cJSON_Parse(current) : NULL;
    if (!cJSON_IsObject(doc)) {
        cJSON_Delete(doc);
        doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "Version", "2012-10-17");
    }
    cJSON *stmts = cJSON_GetObjectItemCaseSensitive(doc, "Statement");
    if (cJSON_IsObject(stmts)) {
        cJSON *one = cJSON_DetachItemViaPointer(doc, stmts);
        stmts = cJSON_AddArrayToObject(doc, "Statement");
        cJSON_AddItemToArray(stmts, one);
    } else if (!cJSON_IsArray(stmts)) {
        cJSON_DeleteItemFromObjectCaseSensitive(doc, "Statement");
        stmts = cJSON_AddArrayToObject(doc, "Statement");
    }
    for (int i = cJSON_GetArraySize(stmts) - 1; i >= 0; i--)
        if (g_strcmp0(api_str(cJSON_GetArrayItem(stmts, i), "Sid"), sid) == 0)
            cJSON_DeleteItemFromArray(stmts, i);
    if (stmt)
        cJSON_AddItemToArray(stmts, stmt);
    return doc;
}

/* Writes (or, with allow = false, takes out) the managed statement of a
 * through PutConfiguredAudienceModelPolicy (or DeleteConfiguredAudienceModelPolicy
 * when nothing is left) made with the caller's rights.  Sets c->err on failure. */
static bool manage_policy(api_call *c, const cr_cama *a, const cr_collab *co, bool allow)
{
    g_autofree char *sid = g_strdup_printf("Clean-Rooms-%s", a->id);
    cJSON *stmt = NULL;
    if (allow) {
        stmt = cJSON_CreateObject();
        cJSON_AddStringToObject(stmt, "Sid", sid);
        cJSON_AddStringToObject(stmt, "Effect", "Allow");
        cJSON *aws = cJSON_AddArrayToObject(cJSON_AddObjectToObject(stmt, "Principal"), "AWS");
        for (guint i = 0; co && i < co->members->len; i++) {
            const cr_member *m = co->members->pdata[i];
            if (strcmp(m->account, a->account) != 0 && m->status != MEMBER_REMOVED &&
                m->status != MEMBER_LEFT)
                cJSON_AddItemToArray(aws, cJSON_CreateString(m->account));
        }
        if (cJSON_GetArraySize(aws) == 0) {
            cJSON_Delete(stmt);
            return true;        /* no one to grant */
        }
        cJSON *act = cJSON_AddArrayToObject(stmt, "Action");
        cJSON_AddItemToArray(act, cJSON_CreateString("cleanrooms-ml:StartAudienceGenerationJob"));
        cJSON *res = cJSON_AddArrayToObject(stmt, "Resource");
        cJSON_AddItemToArray(res, cJSON_CreateString(a->cam_arn));
        g_autofree char *jobs = g_strdup_printf("arn:aws:cleanrooms-ml:%s:%s:audience-generation-job/*",
                                                world_region(c->w), a->account);
        cJSON_AddItemToArray(res, cJSON_CreateString(jobs));
        cJSON *cond = cJSON_AddObjectToObject(cJSON_AddObjectToObject(stmt, "Condition"),
                                              "StringEquals");
        cJSON_AddStringToObject(cond, "cleanrooms-ml:CollaborationId", a->collab_id);
    }
    const char *current = cleanrooms_ml_cam_policy(c->w, a->cam_arn);
    if (!allow && !current)
        return true;
    g_autoptr(cJSON) doc = policy_with(current, sid, stmt);
    g_autoptr(cJSON) in = cJSON_CreateObject();
    cJSON_AddStringToObject(in, "configuredAudienceModelArn", a->cam_arn);
    const char *action = "cleanrooms-ml:PutConfiguredAudienceModelPolicy";
    if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "Statement")) == 0) {
        action = "cleanrooms-ml:DeleteConfiguredAudienceModelPolicy";
    } else {
        char *text = cJSON_PrintUnformatted(doc);
        cJSON_AddStringToObject(in, "configuredAudienceModelPolicy", text);
        cJSON_free(text);
        if (current) {
            g_autofree char *h = cleanrooms_ml_policy_hash(current);
            cJSON_AddStringToObject(in, "previousPolicyHash", h);
        } else {
            cJSON_AddStringToObject(in, "policyExistenceCondition", "POLICY_MUST_NOT_EXIST");
        }
    }
    api_error e = { 0 };
    if (api_invoke_via(c->w, c->caller, CR_SERVICE, action, in, c->rng, NULL, &e))
        return true;
    /* The inner message may quote the whole policy: keep its start only. */
    g_autofree char *inner = g_strdup(e.message ? e.message : "");
    if (strlen(inner) > 300)
        strcpy(inner + 297, "...");
    api_error_set(&c->err, g_strcmp0(e.code, "AccessDeniedException") == 0
                               ? "AccessDeniedException" : "ValidationException",
                  "Clean Rooms could not update the resource policy of %s with the caller's "
                  "permissions: %s: %s", a->cam_arn, e.code ? e.code : "Error", inner);
    api_error_clear(&e);
    return false;
}

static bool create_cama(api_call *c)
{
    const char *mid = api_str(c->input, "membershipIdentifier");
    const char *cam = api_str(c->input, "configuredAudienceModelArn");
    const char *name = api_str(c->input, "configuredAudienceModelAssociationName");
    g_autofree char *marn = membership_arn(c->w, c->caller->account, mid);
    if (!authorize(c, "cleanrooms:CreateConfiguredAudienceModelAssociation", marn))
        return false;
    cr_membership *ms = own_membership(c, mid);
    if (!ms)
        return false;
    if (ms->status != MS_ACTIVE) {
        api_error_set(&c->err, "ValidationException", "Membership %s is %s, not ACTIVE", mid,
                      MS_NAMES[ms->status]);
        return false;
    }
    g_autofree char *cam_owner = api_arn_account(cam);
    if (g_strcmp0(cam_owner, c->caller->account) != 0 || !cleanrooms_ml_cam_exists(c->w, cam)) {
        api_error_set(&c->err, "ResourceNotFoundException",
                      "Configured audience model %s not found in account %s", cam,
                      c->caller->account);
        return false;
    }
    cr_state *s = state_of(c->w);
    int64_t held = 0;
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, s->camas);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        const cr_cama *o = v;
        held += strcmp(o->membership_id, mid) == 0;
        if (strcmp(o->membership_id, mid) == 0 &&
            (strcmp(o->name, name) == 0 || strcmp(o->cam_arn, cam) == 0)) {
            api_error_set(&c->err, "ConflictException",
                          "Membership %s already has an association named %s or for %s", mid,
                          name, cam);
            return false;
        }
    }
    if (over_quota(c, Q_CAMAS, Q_CAMAS_DEFAULT, held, 1,
                   "configured audience model associations per membership"))
        return false;
    char id[37];
    rng_uuid(c->rng, id);
    cr_cama *a = g_new0(cr_cama, 1);
    a->id = g_strdup(id);
    a->arn = g_strdup_printf("%s/configuredaudiencemodelassociation/%s", marn, id);
    a->account = g_strdup(c->caller->account);
    a->membership_id = g_strdup(mid);
    a->collab_id = g_strdup(ms->collab_id);
    a->cam_arn = g_strdup(cam);
    a->name = g_strdup(name);
    a->description = g_strdup(api_str(c->input, "description"));
    a->manage = api_bool(c->input, "manageResourcePolicies", false);
    a->created_us = a->updated_us = c->now;
    const cr_collab *co = g_hash_table_lookup(s->collabs, a->collab_id);
    if (a->manage && !manage_policy(c, a, co, true)) {
        cama_free(a);
        return false;
    }
    g_hash_table_insert(s->camas, a->id, a);
    c->output = cJSON_CreateObject();
    cJSON_AddItemToObject(c->output, "configuredAudienceModelAssociation", cama_json(c, a, false));
    return true;
}

static cr_cama *own_cama(api_call *c, const char *mid, const char *id)
{
    cr_cama *a = g_hash_table_lookup(state_of(c->w)->camas, id);
    if (!a || strcmp(a->membership_id, mid) != 0 || strcmp(a->account, c->caller->account) != 0) {
        api_error_set(&c->err, "ResourceNotFoundException",
                      "Configured audience model association %s not found", id);
        return NULL;
    }
    return a;
}

static bool get_cama(api_call *c)
{
    const char *mid = api_str(c->input, "membershipIdentifier");
    const char *id = api_str(c->input, "configuredAudienceModelAssociationIdentifier");
    g_autofree char *marn = membership_arn(c->w, c->caller->account, mid);
    if (!authorize(c, "cleanrooms:GetConfiguredAudienceModelAssociation", marn))
        return false;
    cr_cama *a = own_cama(c, mid, id);
    if (!a)
        return false;
    c->output = cJSON_CreateObject();
    cJSON_AddItemToObject(c->output, "configuredAudienceModelAssociation", cama_json(c, a, false));
    return true;
}

static gint cmp_cama(gconstpointer x, gconstpointer y)
{
    const cr_cama *a = *(cr_cama *const *)x, *b = *(cr_cama *const *)y;
    if (a->created_us != b->created_us)
        return a->created_us < b->created_us ? -1 : 1;
    return strcmp(a->id, b->id);
}

static bool list_camas(api_call *c)
{
    const char *mid = api_str(c->input, "membershipIdentifier");
    g_autofree char *marn = membership_arn(c->w, c->caller->account, mid);
    if (!authorize(c, "cleanrooms:ListConfiguredAudienceModelAssociations", marn))
        return false;
    if (!own_membership(c, mid))
        return false;
    g_autoptr(GPtrArray) rows = g_ptr_array_new();
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, state_of(c->w)->camas);
    while (g_hash_table_iter_next(&it, NULL, &v))
        if (strcmp(((cr_cama *)v)->membership_id, mid) == 0)
            g_ptr_array_add(rows, v);
    g_ptr_array_sort(rows, cmp_cama);
    guint first, count;
    if (!cleanrooms_page(c, rows->len, &first, &count))
        return false;
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "configuredAudienceModelAssociationSummaries");
    for (guint i = first; i < first + count; i++)
        cJSON_AddItemToArray(list, cama_json(c, rows->pdata[i], true));
    cleanrooms_page_token(c, first, count, rows->len);
    return true;
}

static bool delete_cama(api_call *c)
{
    const char *mid = api_str(c->input, "membershipIdentifier");
    const char *id = api_str(c->input, "configuredAudienceModelAssociationIdentifier");
    g_autofree char *marn = membership_arn(c->w, c->caller->account, mid);
    if (!authorize(c, "cleanrooms:DeleteConfiguredAudienceModelAssociation", marn))
        return false;
    cr_cama *a = own_cama(c, mid, id);
    if (!a)
        return false;
    if (a->manage && cleanrooms_ml_cam_exists(c->w, a->cam_arn) &&
        !manage_policy(c, a, NULL, false))
        return false;
    g_hash_table_remove(state_of(c->w)->camas, id);
    c->output = cJSON_CreateObject();
    return true;
}

/* Every call is recorded in the caller's account only. */

static const api_op ops[] = {
    { "cleanrooms:CreateCollaboration", create_collaboration, false, API_TO_CALLER },
    { "cleanrooms:GetCollaboration", get_collaboration, true, API_TO_CALLER },
    { "cleanrooms:ListCollaborations", list_collaborations, true, API_TO_CALLER },
    { "cleanrooms:DeleteCollaboration", delete_collaboration, false, API_TO_CALLER },
    { "cleanrooms:ListMembers", list_members, true, API_TO_CALLER },
    { "cleanrooms:DeleteMember", delete_member, false, API_TO_CALLER },
    { "cleanrooms:CreateMembership", create_membership, false, API_TO_CALLER },
    { "cleanrooms:GetMembership", get_membership, true, API_TO_CALLER },
    { "cleanrooms:ListMemberships", list_memberships, true, API_TO_CALLER },
    { "cleanrooms:DeleteMembership", delete_membership, false, API_TO_CALLER },
    { "cleanrooms:CreateConfiguredAudienceModelAssociation", create_cama, false, API_TO_CALLER },
    { "cleanrooms:GetConfiguredAudienceModelAssociation", get_cama, true, API_TO_CALLER },
    { "cleanrooms:ListConfiguredAudienceModelAssociations", list_camas, true, API_TO_CALLER },
    { "cleanrooms:DeleteConfiguredAudienceModelAssociation", delete_cama, false, API_TO_CALLER },
    { NULL, NULL, false, API_TO_CALLER },
};

static const char *const happenings[] = { "cleanrooms:invitation", NULL };

const api_service api_service_cleanrooms = {
    .name = "cleanrooms", .prefix = "cleanrooms", .event_source = "cleanrooms.amazonaws.com",
    .endpoint = "cleanrooms.%s.amazonaws.com", .ops = ops,
    .happenings = happenings,
};
