/* model/api.c: the operation table and the path of one call.
 *
 * The table is the union of each service module's const table; a name index
 * over it and the parsed service models are built once, on first use, and
 * never change after (they are caches of constant data, not state).
 * api_invoke never fails silently: every call, whatever happens, produces
 * exactly one trail_event for the recorder. */
#include "model/api.h"
#include "model/trails.h"
#include "model/world_int.h"

#include <string.h>

#include "model/service.h"
#include "model/shapes.h"

static GHashTable *index_once(void)
{
    static gsize init;
    static GHashTable *idx;
    if (g_once_init_enter(&init)) {
        GHashTable *h = g_hash_table_new(g_str_hash, g_str_equal);
        for (const api_service *const *s = api_services; *s; s++)
            for (const api_op *op = (*s)->ops; op->action; op++)
                g_hash_table_insert(h, (gpointer)op->action, (gpointer)op);
        idx = h;
        g_once_init_leave(&init, 1);
    }
    return idx;
}

const char *api_action(guint i)
{
    for (const api_service *const *s = api_services; *s; s++)
        for (const api_op *op = (*s)->ops; op->action; op++)
            if (i-- == 0)
                return op->action;
    return NULL;
}

const api_op *api_lookup(const char *action)
{
    return action ? g_hash_table_lookup(index_once(), action) : NULL;
}

cJSON *api_service_stats(world *w)
{
    cJSON *o = NULL;
    for (const api_service *const *s = api_services; *s; s++) {
        cJSON *v = (*s)->stats ? (*s)->stats(w) : NULL;
        if (!v)
            continue;
        if (!o)
            o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, (*s)->stats_key, v);
    }
    return o;
}

const struct shapes *api_shapes(void)
{
    static gsize init;
    static shapes *s;
    if (g_once_init_enter(&init)) {
        s = shapes_new();
        g_once_init_leave(&init, 1);
    }
    return s;
}

const char *const *api_happening_kinds(void)
{
    static gsize init;
    static const char *const *kinds;
    if (g_once_init_enter(&init)) {
        GPtrArray *k = g_ptr_array_new();
        for (const api_service *const *s = api_services; *s; s++)
            for (const char *const *h = (*s)->happenings; h && *h; h++)
                g_ptr_array_add(k, (gpointer)*h);
        g_ptr_array_add(k, NULL);
        kinds = (const char *const *)g_ptr_array_free(k, FALSE);
        g_once_init_leave(&init, 1);
    }
    return kinds;
}

const char *api_event_source(const char *prefix)
{
    const api_service *s = api_service_of(prefix);
    return s ? s->event_source : NULL;
}

const char *api_denied_code(const char *prefix)
{
    const char *proto = shapes_protocol((shapes *)api_shapes(), prefix);
    if (g_strcmp0(proto, "query") == 0 || g_strcmp0(proto, "rest-xml") == 0)
        return "AccessDenied";
    return "AccessDeniedException";
}

/* ---- small helpers ----------------------------------------------------------- */

void api_add_time(world *w, cJSON *obj, const char *member, int64_t t)
{
    char b[21];
    world_iso_time(w, t, b);
    cJSON_AddStringToObject(obj, member, b);
}

const char *api_str(const cJSON *obj, const char *m)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, m));
}

bool api_bool(const cJSON *obj, const char *m, bool dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, m);
    return cJSON_IsBool(v) ? cJSON_IsTrue(v) : dflt;
}

double api_num(const cJSON *obj, const char *m, double dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, m);
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

void api_resource(api_call *c, const char *arn, const char *account, const char *type)
{
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "ARN", arn);
    cJSON_AddStringToObject(r, "accountId", account);
    if (type)
        cJSON_AddStringToObject(r, "type", type);
    cJSON_AddItemToArray(c->resources, r);
}

bool api_arn_account_in(const char *arn, char out[13])
{
    out[0] = '\0';
    if (!arn || strncmp(arn, "arn:", 4) != 0)
        return false;
    /* The fifth field, between the fourth and fifth colons.  Only an account
     * id is an account: "arn:aws:iam::../../x:role/r" names none, and its
     * field must never reach a log's file name or a lookup. */
    const char *f = arn;
    for (int i = 0; i < 4; i++) {
        f = strchr(f, ':');
        if (!f)
            return false;
        f++;
    }
    const char *end = strchr(f, ':');
    if (!end || end - f != 12)
        return false;
    for (int i = 0; i < 12; i++)
        if (!g_ascii_isdigit(f[i]))
            return false;
    memcpy(out, f, 12);
    out[12] = '\0';
    return true;
}

char *api_arn_account(const char *arn)
{
    char id[13];
    return api_arn_account_in(arn, id) ? g_strdup(id) : NULL;
}

/* CloudTrail writes the members of query-protocol (IAM, STS) and JSON-protocol
 * (SageMaker, KMS) calls with the first letter lower-cased ("roleArn",
 * "modelCardName", "keyId"); REST-JSON services (RAM, Clean Rooms) already
 * use those names on the wire. */
static bool camel_logged(const char *protocol)
{
    return g_strcmp0(protocol, "query") == 0 || g_strcmp0(protocol, "json") == 0;
}

static cJSON *lower_first_keys(const cJSON *v)
{
    if (cJSON_IsObject(v)) {
        cJSON *o = cJSON_CreateObject();
        const cJSON *e;
        cJSON_ArrayForEach(e, v) {
            g_autofree char *k = g_strdup(e->string);
            k[0] = g_ascii_tolower(k[0]);
            cJSON_AddItemToObject(o, k, lower_first_keys(e));
        }
        return o;
    }
    if (cJSON_IsArray(v)) {
        cJSON *a = cJSON_CreateArray();
        const cJSON *e;
        cJSON_ArrayForEach(e, v)
            cJSON_AddItemToArray(a, lower_first_keys(e));
        return a;
    }
    return cJSON_Duplicate(v, 1);
}

/* ---- one call ------------------------------------------------------------------ */

/* The host of a service's endpoint in the world's region, formatted once a
 * world (the region does not change during a run). */
static const char *endpoint_host(world *w, const api_service *svc)
{
    GHashTable *hosts = world_service_state(w, "api/endpoint-hosts");
    if (!hosts) {
        hosts = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
        world_set_service_state(w, "api/endpoint-hosts", hosts, (GDestroyNotify)g_hash_table_unref);
    }
    const char *h = g_hash_table_lookup(hosts, svc);
    if (!h) {
        char *made = strstr(svc->endpoint, "%s") ? g_strdup_printf(svc->endpoint, world_region(w))
                                                 : g_strdup(svc->endpoint);
        g_hash_table_insert(hosts, (gpointer)svc, made);
        h = made;
    }
    return h;
}

/* An account's copy of a call: a data event reaches only the accounts whose
 * trail selects it (SPEC L6); the call is still counted as its caller's. */
static void recipient(api_call *c, trail_event *ev, const char *account)
{
    if (!ev->data_type || trails_log_data(c->w, account, ev->data_type))
        trail_event_add_recipient(ev, account);
}

static trail_event *make_event(api_call *c, const char *prefix, const char *opname,
                               const char *protocol)
{
    const api_service *svc = api_service_of(prefix);
    const char *src = svc ? svc->event_source : NULL;
    /* An unknown service's call: named as the JSON protocol names sources. */
    g_autofree char *dflt = src ? NULL : g_strdup_printf("%s.amazonaws.com", prefix);
    trail_event *ev = trail_event_new(TRAIL_API_CALL, src ? src : dflt, opname);
    ev->time_us = c->now;
    if (svc && svc->log_region)
        ev->region = g_strdup(svc->log_region);      /* global services log there */
    ev->read_only = c->op && c->op->read_only != API_WRITES;
    ev->data_type = c->data_type;
    if (c->data_type)
        ev->management = false;
    trail_event_set_identity(ev, c->w, c->caller, c->invoked_by);
    ev->caller_account = g_strdup(c->caller->account);
    ev->caller_principal_id = g_strdup(c->caller->principal_id);
    ev->source_ip = g_strdup(c->invoked_by ? c->invoked_by : c->caller->source_ip);
    ev->user_agent = g_strdup(c->invoked_by ? c->invoked_by : c->caller->user_agent);
    ev->vpc_endpoint_id = g_strdup(c->invoked_by ? NULL : c->caller->source_vpce);
    /* A client's call reached an endpoint over TLS: the host it named (S3's
     * request names its own, virtual-host style), else the service's. */
    const char *host = api_str(c->request_params, "Host");
    if (!c->invoked_by && host)
        ev->tls_host = g_strdup(host);
    else if (!c->invoked_by && svc && svc->endpoint)
        ev->tls_host = g_strdup(endpoint_host(c->w, svc));
    bool camel = camel_logged(protocol);
    const cJSON *req = c->request_params ? c->request_params
                     : cJSON_GetArraySize(c->input) > 0 ? c->input : NULL;
    if (req)
        ev->request_parameters = camel ? lower_first_keys(req) : cJSON_Duplicate(req, 1);
    if (!c->err.code && (!ev->read_only || c->op->read_only == API_READS_LOGGED)) {
        const cJSON *resp = c->response_elements ? c->response_elements
                          : c->output && cJSON_GetArraySize(c->output) > 0 ? c->output : NULL;
        if (resp)
            ev->response_elements = camel ? lower_first_keys(resp) : cJSON_Duplicate(resp, 1);
    }
    if (c->additional_data)
        ev->additional_data = cJSON_Duplicate(c->additional_data, 1);
    if (c->err.code) {
        trail_event_set_error(ev, c->err.code, c->err.message);
        if (ev->outcome == TRAIL_DENIED)
            ev->decision = g_steal_pointer(&c->decision);
    }
    rng_uuid(c->rng, ev->request_id);
    if (cJSON_GetArraySize(c->resources) > 0)
        ev->resources = cJSON_Duplicate(c->resources, 1);
    recipient(c, ev, c->caller->account);
    if (c->op && c->op->recipients == API_TO_CALLER_AND_OWNER && !c->no_owner_copy) {
        const cJSON *r;
        cJSON_ArrayForEach(r, c->resources)
            recipient(c, ev, api_str(r, "accountId"));
    }
    for (guint i = 0; c->extra_recipients && i < c->extra_recipients->len; i++)
        recipient(c, ev, c->extra_recipients->pdata[i]);
    return ev;
}

static bool invoke(world *w, const principal *caller, const char *service, const char *action,
                   const cJSON *input, rng *r, const char *request_id, cJSON **output,
                   api_error *err)
{
    g_autoptr(cJSON) empty = NULL;
    if (!input)
        input = empty = cJSON_CreateObject();
    const char *colon = action ? strchr(action, ':') : NULL;
    g_autofree char *prefix = colon ? g_strndup(action, (gsize)(colon - action)) : g_strdup("");
    const char *opname = colon ? colon + 1 : (action ? action : "");
    api_call c = {
        .w = w, .op = api_lookup(action), .caller = caller, .input = input,
        .now = world_now(w), .rng = r ? r : world_rng(w, "api/default"),
        .resources = cJSON_CreateArray(), .invoked_by = service,
    };
    const shapes *sh = api_shapes();
    const char *protocol = shapes_protocol(sh, prefix);
    bool ok = false;
    if (!c.op) {
        bool known = shapes_has_op(sh, prefix, opname);
        const api_service *svc = api_service_of(prefix);
        if (g_strcmp0(protocol, "query") == 0 && svc && svc->api_version)
            api_error_set(&c.err, "InvalidAction", "Could not find operation %s for version %s",
                          opname, svc->api_version);
        else if (g_strcmp0(protocol, "ec2") == 0)
            api_error_set(&c.err, "InvalidAction",
                          "The action %s is not valid for this web service.", opname);
        else if (known)
            api_error_set(&c.err, "UnknownOperationException",
                          "%s is an AWS operation that crossim does not simulate", action);
        else
            api_error_set(&c.err, "UnknownOperationException", "Unknown operation %s", action);
    } else {
        const char *code = NULL;
        char *msg = NULL;
        if (!shapes_validate(sh, prefix, opname, input, &code, &msg)) {
            c.err.code = code;
            c.err.message = msg;
        } else {
            world_call_begin(w);
            ok = c.op->fn(&c);
            g_assert(ok == (c.err.code == NULL));
            world_call_end(w, ok);
        }
    }
    trail_event *ev = make_event(&c, prefix, opname, protocol);
    if (request_id)
        g_strlcpy(ev->request_id, request_id, sizeof ev->request_id);
    world_emit(w, ev);
    if (output)
        *output = ok ? g_steal_pointer(&c.output) : NULL;
    if (err) {
        *err = c.err;
        c.err.message = NULL;
    }
    api_error_clear(&c.err);
    cJSON_Delete(c.output);
    cJSON_Delete(c.resources);
    cJSON_Delete(c.request_params);
    cJSON_Delete(c.response_elements);
    cJSON_Delete(c.additional_data);
    g_free(c.decision);
    if (c.extra_recipients)
        g_ptr_array_unref(c.extra_recipients);
    return ok;
}

bool api_invoke(world *w, const principal *caller, const char *action, const cJSON *input,
                rng *r, cJSON **output, api_error *err)
{
    return invoke(w, caller, NULL, action, input, r, NULL, output, err);
}

bool api_invoke_request(world *w, const principal *caller, const char *action,
                        const cJSON *input, const char *request_id, cJSON **output,
                        api_error *err)
{
    return invoke(w, caller, NULL, action, input, NULL, request_id, output, err);
}

bool api_invoke_via(world *w, const principal *caller, const char *service, const char *action,
                    const cJSON *input, rng *r, cJSON **output, api_error *err)
{
    return invoke(w, caller, service, action, input, r, NULL, output, err);
}

void api_service_event(world *w, const char *source, const char *name, cJSON *details,
                       cJSON *resources, const char *const *accounts, size_t n)
{
    trail_event *ev = trail_event_new(TRAIL_SERVICE_EVENT, source, name);
    ev->time_us = world_now(w);
    ev->read_only = false;
    trail_event_set_service_identity(ev, source);
    ev->source_ip = g_strdup(source);
    ev->user_agent = g_strdup(source);
    ev->service_details = details;
    ev->resources = resources;
    g_autofree char *stream = g_strdup_printf("svc/%s", source);
    rng_uuid(world_rng(w, stream), ev->request_id);
    for (size_t i = 0; i < n; i++)
        trail_event_add_recipient(ev, accounts[i]);
    world_emit(w, ev);
}
