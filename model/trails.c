/* model/trails.c: accounts' trail configuration (see trails.h). */
#include "model/trails.h"
#include "model/service.h"
#include "model/world_int.h"

#include <string.h>

#define TRAILS_SLOT "cloudtrail"

/* The data resource types crossim's operations produce events for. */
static const char *const DATA_TYPES[] = { "AWS::S3::Object", "AWS::Lambda::Function", NULL };

/* What the scenario declared: each account's own trail, and at most one
 * organization trail (made in the management account). */
typedef struct trails_state {
    GHashTable *own;          /* account id -> GPtrArray of char*: its data resource types */
    GPtrArray  *org_data;     /* the organization trail's data types; NULL: none */
    char       *org_account;  /* the account that declared it */
    const cJSON *org_node;    /* where, until trails_check (the scenario tree lives) */
    char       *org_path;
} trails_state;

static void state_free(void *p)
{
    trails_state *s = p;
    g_hash_table_unref(s->own);
    if (s->org_data)
        g_ptr_array_unref(s->org_data);
    g_free(s->org_account);
    g_free(s->org_path);
    g_free(s);
}

static trails_state *state_of(const world *w, bool make)
{
    trails_state *s = world_service_state((world *)w, TRAILS_SLOT);
    if (!s && make) {
        s = g_new0(trails_state, 1);
        s->own = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify)g_ptr_array_unref);
        world_set_service_state((world *)w, TRAILS_SLOT, s, state_free);
    }
    return s;
}

static bool has_type(const GPtrArray *types, const char *type)
{
    for (guint i = 0; types && i < types->len; i++)
        if (strcmp(types->pdata[i], type) == 0)
            return true;
    return false;
}

/* The organization trail's organization when it covers account, else NULL. */
static const char *org_covering(const world *w, const trails_state *s, const char *account)
{
    const world_org *o = world_org_get(w);
    if (!s || !s->org_data || !o || !account)
        return NULL;
    return world_same_org(w, account, o->management) ? o->id : NULL;
}

guint trails_of(const world *w, const char *account, trails_trail out[2])
{
    const trails_state *s = state_of(w, false);
    const char *org = org_covering(w, s, account);
    guint n = 0;
    const GPtrArray *own = s && account ? g_hash_table_lookup(s->own, account) : NULL;
    /* Without a trail of its own an account keeps the default one, unless the
     * organization trail covers it (the way organizations are usually set up:
     * members have no trail but the organization's). */
    if (own || !org)
        out[n++] = (trails_trail){ NULL, own };
    if (org)
        out[n++] = (trails_trail){ org, s->org_data };
    return n;
}

bool trails_log_data(world *w, const char *account, const char *type)
{
    trails_trail t[2];
    guint n = trails_of(w, account, t);
    for (guint i = 0; i < n; i++)
        if (has_type(t[i].data_types, type))
            return true;
    return false;
}

void trails_select_data(world *w, const char *account, const char *type)
{
    trails_state *s = state_of(w, true);
    GPtrArray *types = g_hash_table_lookup(s->own, account);
    if (!types) {
        types = g_ptr_array_new_with_free_func(g_free);
        g_hash_table_insert(s->own, g_strdup(account), types);
    }
    if (!has_type(types, type))
        g_ptr_array_add(types, g_strdup(type));
}

static const char *const trail_keys[] = { "data_events", "organization", NULL };

static void load_account(world *w, world_account *a, const cJSON *body, const char *path,
                         jload *l)
{
    const cJSON *t = jload_member(body, "trail");
    if (!t)
        return;
    g_autofree char *tp = jload_sub(path, "trail");
    if (!cJSON_IsObject(t)) {
        jload_err(l, t, false, tp, "a trail is an object: {\"data_events\": [\"AWS::S3::Object\"]}");
        return;
    }
    jload_check_keys(l, t, tp, trail_keys);
    const cJSON *list = jload_list(l, t, "data_events", tp), *e;
    g_autofree char *lp = jload_sub(tp, "data_events");
    GPtrArray *types = g_ptr_array_new_with_free_func(g_free);
    int i = 0;
    cJSON_ArrayForEach(e, list) {
        g_autofree char *ep = jload_idx(lp, i++);
        if (!cJSON_IsString(e) || !g_strv_contains(DATA_TYPES, e->valuestring)) {
            jload_err(l, e, false, ep, "a data resource type crossim records: AWS::S3::Object or AWS::Lambda::Function");
            continue;
        }
        if (!has_type(types, e->valuestring))
            g_ptr_array_add(types, g_strdup(e->valuestring));
    }
    trails_state *s = state_of(w, true);
    const cJSON *org = jload_member(t, "organization");
    g_autofree char *op = jload_sub(tp, "organization");
    if (org && !cJSON_IsBool(org))
        jload_err(l, org, false, op, "organization is true or false");
    if (!cJSON_IsTrue(org)) {
        g_hash_table_replace(s->own, g_strdup(world_account_id(a)), types);
        return;
    }
    if (s->org_data) {
        jload_err(l, org, false, op, "account %s already has the organization trail",
                  s->org_account);
        g_ptr_array_unref(types);
        return;
    }
    s->org_data = types;
    s->org_account = g_strdup(world_account_id(a));
    s->org_node = org;
    s->org_path = g_steal_pointer(&op);
}

/* CreateTrail with IsOrganizationTrail is refused outside an organization
 * (OrganizationsNotInUseException) and in a member account
 * (NotOrganizationMasterAccountException), so a scenario declaring it there
 * cannot load. */
static void check(world *w, jload *l)
{
    trails_state *s = state_of(w, false);
    if (!s || !s->org_data)
        return;
    const world_org *o = world_org_get(w);
    if (!o)
        jload_err(l, s->org_node, false, s->org_path,
                  "OrganizationsNotInUseException: an organization trail needs an "
                  "\"organization\", and account %s is in none", s->org_account);
    else if (strcmp(o->management, s->org_account) != 0)
        jload_err(l, s->org_node, false, s->org_path,
                  "NotOrganizationMasterAccountException: only the management account %s "
                  "can create an organization trail", o->management);
    s->org_node = NULL;
}

static const char *const account_keys[] = { "trail", NULL };

static const api_op ops[] = {
    { "cloudtrail:LookupEvents", cloudtrail_lookup_events, API_READS, API_TO_CALLER },
    { NULL, NULL, false, API_TO_CALLER },
};

const api_service api_service_cloudtrail = {
    .name = "cloudtrail", .prefix = "cloudtrail", .event_source = "cloudtrail.amazonaws.com",
    .endpoint = "cloudtrail.%s.amazonaws.com", .ops = ops, .account_keys = account_keys, .load_account = load_account,
    .check = check,
};
