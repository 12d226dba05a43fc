/* model/api_aux.c: handler helpers (see api_aux.h). */
#include "model/api_aux.h"
#include "model/world_int.h"

bool api_page(api_call *c, const api_paging *pg, guint n, guint *first, guint *count)
{
    const char *tok = api_str(c->input, pg->token);
    guint64 start = 0;
    if (tok && !g_ascii_string_to_unsigned(tok, 10, 0, n, &start, NULL)) {
        api_error_set(&c->err, pg->bad_code, pg->bad_fmt, tok);
        return false;
    }
    double max = api_num(c->input, pg->max, pg->dflt);
    guint size = max >= 1 ? (guint)MIN(max, (double)G_MAXUINT) : pg->dflt;
    *first = (guint)start;
    *count = MIN(size, n - *first);
    return true;
}

void api_page_token(const api_paging *pg, cJSON *out, guint first, guint count, guint n)
{
    if (first + count < n) {
        char t[16];
        g_snprintf(t, sizeof t, "%u", first + count);
        cJSON_AddStringToObject(out, pg->next ? pg->next : pg->token, t);
    }
}

bool api_authorize_simple(api_call *c, const char *action, const char *resource)
{
    return api_authorize(c, action, resource, NULL, NULL, API_RES_OPTIONAL, NULL);
}

static void tag_ctx(iam_ctx *x, const char *prefix, bool keys, const cJSON *tags,
                    const char *key_member, const char *value_member)
{
    const cJSON *t;
    cJSON_ArrayForEach(t, tags) {
        const char *k = key_member ? api_str(t, key_member) : t->string;
        const char *v = key_member ? api_str(t, value_member) : cJSON_GetStringValue(t);
        if (!k)
            continue;
        g_autofree char *name = g_strconcat(prefix, k, NULL);
        iam_ctx_set(x, name, v);
        if (keys)
            iam_ctx_add(x, "aws:TagKeys", k);
    }
}

void api_ctx_request_tags(iam_ctx *x, const cJSON *tags, const char *key_member,
                          const char *value_member)
{
    tag_ctx(x, "aws:RequestTag/", true, tags, key_member, value_member);
}

void api_ctx_resource_tags(iam_ctx *x, const cJSON *tags, const char *key_member,
                           const char *value_member)
{
    tag_ctx(x, "aws:ResourceTag/", false, tags, key_member, value_member);
}

void api_ctx_world_tags(iam_ctx *x, const GPtrArray *tags)
{
    for (guint i = 0; tags && i < tags->len; i++) {
        const world_tag *t = tags->pdata[i];
        g_autofree char *name = g_strconcat("aws:ResourceTag/", t->key, NULL);
        iam_ctx_set(x, name, t->value);
    }
}
