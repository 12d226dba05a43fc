/* model/trails.c: accounts' trail configuration (see trails.h). */
#include "model/trails.h"
#include "model/service.h"

#include <string.h>

#define TRAILS_SLOT "cloudtrail"

/* The data resource types crossim's operations produce events for. */
static const char *const DATA_TYPES[] = { "AWS::S3::Object", NULL };

/* account id -> GPtrArray of char* (the selected data resource types). */
static GHashTable *state_of(world *w, bool make)
{
    GHashTable *s = world_service_state(w, TRAILS_SLOT);
    if (!s && make) {
        s = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                  (GDestroyNotify)g_ptr_array_unref);
        world_set_service_state(w, TRAILS_SLOT, s, (GDestroyNotify)g_hash_table_unref);
    }
    return s;
}

bool trails_log_data(world *w, const char *account, const char *type)
{
    GHashTable *s = account ? state_of(w, false) : NULL;
    const GPtrArray *types = s ? g_hash_table_lookup(s, account) : NULL;
    for (guint i = 0; types && i < types->len; i++)
        if (strcmp(types->pdata[i], type) == 0)
            return true;
    return false;
}

void trails_select_data(world *w, const char *account, const char *type)
{
    GHashTable *s = state_of(w, true);
    GPtrArray *types = g_hash_table_lookup(s, account);
    if (!types) {
        types = g_ptr_array_new_with_free_func(g_free);
        g_hash_table_insert(s, g_strdup(account), types);
    }
    if (!trails_log_data(w, account, type))
        g_ptr_array_add(types, g_strdup(type));
}

static const char *const trail_keys[] = { "data_events", NULL };

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
            jload_err(l, e, false, ep, "a data resource type crossim records: AWS::S3::Object");
            continue;
        }
        g_ptr_array_add(types, g_strdup(e->valuestring));
    }
    g_hash_table_replace(state_of(w, true), g_strdup(world_account_id(a)), types);
}

static const char *const account_keys[] = { "trail", NULL };

static const api_op ops[] = {
    { NULL, NULL, false, API_TO_CALLER },
};

const api_service api_service_cloudtrail = {
    .name = "cloudtrail", .ops = ops, .account_keys = account_keys, .load_account = load_account,
};
