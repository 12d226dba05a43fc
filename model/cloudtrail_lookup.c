/* model/cloudtrail_lookup.c: cloudtrail:LookupEvents, an account's event
 * history, read from the records delivered to its log (SPEC SV3).
 *
 * As CloudTrail's API Reference describes it: management events only (no
 * data events, no insights), of the Region the request is made in (the
 * scenario's; IAM's global events are us-east-1's); at most one lookup
 * attribute (EventId, EventName, ReadOnly, Username, ResourceType,
 * ResourceName, EventSource, AccessKeyId); StartTime..EndTime inclusive
 * (seconds since the epoch, or ISO 8601 text); newest first; MaxResults 1-50
 * (default 50) with a NextToken for the rest.  Each event carries its
 * record as CloudTrailEvent text.  An event reaches the history once it is
 * delivered, as in AWS, where it appears within minutes. */
#include <stdlib.h>
#include <string.h>

#include "model/api.h"
#include "model/base/duration.h"
#include "model/trails.h"

typedef struct lookup {
    const char *region;
    const char *key, *value;       /* the one attribute, or NULL */
    int64_t     from_s, to_s;
    GPtrArray  *hits;              /* cJSON* records (owned copies) */
} lookup;

static const char *str_at(const cJSON *o, const char *k)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

/* The history's "User name": the IAM user, the role session, or "root". */
static char *username_of(const cJSON *rec)
{
    const cJSON *u = cJSON_GetObjectItemCaseSensitive(rec, "userIdentity");
    const char *type = str_at(u, "type"), *name = str_at(u, "userName"), *arn = str_at(u, "arn");
    if (name)
        return g_strdup(name);
    if (g_strcmp0(type, "Root") == 0)
        return g_strdup("root");
    if (g_strcmp0(type, "AssumedRole") == 0 && arn && strrchr(arn, '/'))
        return g_strdup(strrchr(arn, '/') + 1);
    return NULL;
}

static bool attribute_matches(const lookup *l, const cJSON *rec)
{
    if (!l->key)
        return true;
    const char *k = l->key, *v = l->value;
    if (strcmp(k, "EventId") == 0)
        return g_strcmp0(str_at(rec, "eventID"), v) == 0;
    if (strcmp(k, "EventName") == 0)
        return g_strcmp0(str_at(rec, "eventName"), v) == 0;
    if (strcmp(k, "EventSource") == 0)
        return g_strcmp0(str_at(rec, "eventSource"), v) == 0;
    if (strcmp(k, "ReadOnly") == 0)
        return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "readOnly")) ==
               (g_ascii_strcasecmp(v, "true") == 0);
    if (strcmp(k, "AccessKeyId") == 0)
        return g_strcmp0(str_at(cJSON_GetObjectItemCaseSensitive(rec, "userIdentity"),
                                "accessKeyId"), v) == 0;
    if (strcmp(k, "Username") == 0) {
        g_autofree char *u = username_of(rec);
        return g_strcmp0(u, v) == 0;
    }
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(rec, "resources"))
        if (g_strcmp0(str_at(r, strcmp(k, "ResourceType") == 0 ? "type" : "ARN"), v) == 0)
            return true;
    return false;
}

static void collect(void *user, const cJSON *rec)
{
    lookup *l = user;
    int64_t t = 0;
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "managementEvent")) ||
        g_strcmp0(str_at(rec, "awsRegion"), l->region) != 0 ||
        !time_parse_iso(str_at(rec, "eventTime"), &t) || t < l->from_s || t > l->to_s ||
        !attribute_matches(l, rec))
        return;
    g_ptr_array_add(l->hits, cJSON_Duplicate(rec, 1));
}

/* Newest first; records of one second in reverse delivery order. */
static gint newest_first(gconstpointer a, gconstpointer b)
{
    const cJSON *x = *(cJSON *const *)a, *y = *(cJSON *const *)b;
    return -strcmp(str_at(x, "eventTime"), str_at(y, "eventTime"));
}

/* A timestamp member: epoch seconds (what the SDKs send) or ISO 8601 text. */
static bool time_member(const cJSON *in, const char *k, int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(in, k);
    if (!v)
        return true;
    if (cJSON_IsNumber(v)) {
        *out = (int64_t)v->valuedouble;
        return true;
    }
    return cJSON_IsString(v) && time_parse_iso(v->valuestring, out);
}

static cJSON *event_of(const cJSON *rec)
{
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "EventId", str_at(rec, "eventID"));
    cJSON_AddStringToObject(e, "EventName", str_at(rec, "eventName"));
    cJSON_AddStringToObject(e, "ReadOnly",
                            cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "readOnly"))
                            ? "true" : "false");
    const char *key = str_at(cJSON_GetObjectItemCaseSensitive(rec, "userIdentity"), "accessKeyId");
    if (key && *key)
        cJSON_AddStringToObject(e, "AccessKeyId", key);
    cJSON_AddStringToObject(e, "EventTime", str_at(rec, "eventTime"));
    cJSON_AddStringToObject(e, "EventSource", str_at(rec, "eventSource"));
    g_autofree char *user = username_of(rec);
    if (user)
        cJSON_AddStringToObject(e, "Username", user);
    cJSON *rs = cJSON_AddArrayToObject(e, "Resources");
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(rec, "resources")) {
        cJSON *o = cJSON_CreateObject();
        if (str_at(r, "type"))
            cJSON_AddStringToObject(o, "ResourceType", str_at(r, "type"));
        if (str_at(r, "ARN"))
            cJSON_AddStringToObject(o, "ResourceName", str_at(r, "ARN"));
        cJSON_AddItemToArray(rs, o);
    }
    char *text = cJSON_PrintUnformatted(rec);
    cJSON_AddStringToObject(e, "CloudTrailEvent", text);
    cJSON_free(text);
    return e;
}

bool cloudtrail_lookup_events(api_call *c)
{
    if (!api_authorize(c, "cloudtrail:LookupEvents", "*", NULL, NULL, API_RES_OPTIONAL, NULL))
        return false;
    const cJSON *in = c->input;
    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(in, "LookupAttributes");
    if (cJSON_GetArraySize(attrs) > 1) {
        api_error_set(&c->err, "InvalidLookupAttributesException",
                      "You cannot specify more than one lookup attribute.");
        return false;
    }
    int64_t now_s = world_epoch_s(c->w, c->now);
    lookup l = { .region = world_region(c->w), .from_s = now_s - 90 * 86400, .to_s = now_s };
    const cJSON *a = cJSON_GetArrayItem(attrs, 0);
    if (a) {
        l.key = api_str(a, "AttributeKey");
        l.value = api_str(a, "AttributeValue");
    }
    if (!time_member(in, "StartTime", &l.from_s) || !time_member(in, "EndTime", &l.to_s)) {
        api_error_set(&c->err, "InvalidTimeRangeException", "The time given is not a timestamp.");
        return false;
    }
    if (l.from_s > l.to_s) {
        api_error_set(&c->err, "InvalidTimeRangeException",
                      "Start time must be before end time.");
        return false;
    }
    int max = (int)api_num(in, "MaxResults", 50);
    gint64 offset = 0;
    const char *token = api_str(in, "NextToken");
    if (token) {
        char *end;
        offset = g_ascii_strtoll(g_str_has_prefix(token, "crossim-") ? token + 8 : "x", &end, 10);
        if (!g_str_has_prefix(token, "crossim-") || *end || offset < 0) {
            api_error_set(&c->err, "InvalidNextTokenException", "Invalid NextToken");
            return false;
        }
    }
    if (g_strcmp0(api_str(in, "EventCategory"), "insight") == 0) {
        c->output = cJSON_CreateObject();
        cJSON_AddArrayToObject(c->output, "Events");
        return true;       /* no Insights events are simulated */
    }
    l.hits = g_ptr_array_new_with_free_func((GDestroyNotify)cJSON_Delete);
    world_each_record(c->w, principal_account(c->caller), collect, &l);
    /* Stable: ties keep reverse delivery order once reversed. */
    for (guint i = 0, j = l.hits->len ? l.hits->len - 1 : 0; i < j; i++, j--) {
        gpointer t = l.hits->pdata[i];
        l.hits->pdata[i] = l.hits->pdata[j];
        l.hits->pdata[j] = t;
    }
    g_ptr_array_sort(l.hits, newest_first);
    c->output = cJSON_CreateObject();
    cJSON *events = cJSON_AddArrayToObject(c->output, "Events");
    guint i = (guint)MIN(offset, (gint64)l.hits->len);
    for (int k = 0; k < max && i < l.hits->len; k++, i++)
        cJSON_AddItemToArray(events, event_of(l.hits->pdata[i]));
    if (i < l.hits->len) {
        char next[32];
        g_snprintf(next, sizeof next, "crossim-%u", i);
        cJSON_AddStringToObject(c->output, "NextToken", next);
    }
    g_ptr_array_unref(l.hits);
    return true;
}
