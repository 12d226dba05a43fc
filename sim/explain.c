/* sim/explain.c: answers "may this principal do this action on this
 * resource?" in a scenario's world as it stands before any step runs (or,
 * with --at, as the actors left it at that simulated time), and prints the
 * decision, the request context and every policy's part in it.
 * The resource-side policy is the one the service owning the resource
 * names (a role's trust policy, a key policy, a bucket policy, ...). */
#include "sim/explain.h"

#include <stdio.h>
#include <string.h>

#include "model/api.h"
#include "model/base/duration.h"
#include "model/service.h"
#include "sim/run.h"
#include "sim/scenario.h"

/* The resource-side policies of resource and how they count: the service
 * that owns such a resource says (model/service.h). */
static GPtrArray *resource_side(world *w, const principal *caller, const char *action,
                                const char *resource, api_resource_mode *mode, char **owner)
{
    GPtrArray *out = g_ptr_array_new();
    *mode = API_RES_OPTIONAL;
    *owner = api_arn_account(resource);
    for (const api_service *const *s = api_services; *s; s++)
        if ((*s)->resource_policies &&
            (*s)->resource_policies(w, caller, action, resource, out, mode, owner))
            break;
    return out;
}

/* The world's clock after a run to --at: stopped there.  Nothing runs any
 * more, so nothing is scheduled or recorded. */
static int64_t frozen_now(void *self) { return *(const int64_t *)self; }
static uint64_t frozen_schedule(void *self, int64_t at, world_fire_fn fn, void *data,
                                GDestroyNotify free_data)
{
    (void)self; (void)at; (void)fn;
    if (free_data)
        free_data(data);
    return 0;
}
static bool frozen_cancel(void *self, uint64_t id) { (void)self; (void)id; return false; }
static void frozen_emit(void *self, trail_event *ev) { (void)self; trail_event_free(ev); }
static void frozen_notify(void *self, const char *account, const char *kind, const cJSON *payload)
{
    (void)self; (void)account; (void)kind; (void)payload;
}

/* Runs s's actors to simulated time at (nothing written), so that explain
 * sees what they made: RAM shares and their permissions, policies put,
 * grants.  The world's clock then stays at at (*clock). */
static bool run_to(scenario *s, int64_t at, int64_t *clock, GError **error)
{
    if (at < s->until_us)
        s->until_us = at;
    run_opts o = { 0 };
    run_result res = { 0 };
    bool ok = run_scenario(s, &o, &res, error);
    run_result_clear(&res);
    *clock = s->until_us;
    world_host h = { .self = clock, .now = frozen_now, .schedule = frozen_schedule,
                     .cancel = frozen_cancel, .emit = frozen_emit, .notify = frozen_notify };
    world_set_host(s->world, &h);
    return ok;
}

int explain_main(int argc, char **argv)
{
    g_autofree char *as = NULL, *action = NULL, *resource = NULL, *res_account = NULL;
    g_autofree char *at = NULL;
    g_auto(GStrv) context = NULL, ectx_args = NULL;
    gboolean json = FALSE;
    GOptionEntry entries[] = {
        { "as", 0, 0, G_OPTION_ARG_STRING, &as, "the principal (role, session, user or root ARN)", "ARN" },
        { "action", 0, 0, G_OPTION_ARG_STRING, &action, "the IAM action, e.g. sagemaker:DescribeModelCard", "ACTION" },
        { "resource", 0, 0, G_OPTION_ARG_STRING, &resource, "the resource ARN (default *)", "ARN" },
        { "resource-account", 0, 0, G_OPTION_ARG_STRING, &res_account, "the resource's owner (default: from the ARN)", "ID" },
        { "context", 0, 0, G_OPTION_ARG_STRING_ARRAY, &context, "a request context key, repeatable", "KEY=VALUE" },
        { "encryption-context", 0, 0, G_OPTION_ARG_STRING_ARRAY, &ectx_args, "a pair of the request's KMS encryption context, for grant constraints; repeatable", "KEY=VALUE" },
        { "json", 0, 0, G_OPTION_ARG_NONE, &json, "print the decision as JSON", NULL },
        { "at", 0, 0, G_OPTION_ARG_STRING, &at, "decide in the world as the actors left it at this simulated time (90s, 2h)", "DURATION" },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autoptr(GOptionContext) oc = g_option_context_new("SCENARIO - explain one authorisation decision");
    g_option_context_add_main_entries(oc, entries, NULL);
    GError *e = NULL;
    if (!g_option_context_parse(oc, &argc, &argv, &e) || argc != 2 || !as || !action) {
        fprintf(stderr, "crossim explain: %s\n", e ? e->message
                : "usage: crossim explain SCENARIO --as ARN --action ACTION [--resource ARN]");
        g_clear_error(&e);
        return 2;
    }
    g_autoptr(scenario) s = scen_load(argv[1], NULL, &e);
    if (!s) {
        fprintf(stderr, "%s\n", e->message);
        g_error_free(e);
        return 2;
    }
    int64_t at_us = -1, clock = 0;
    if (at && !dur_parse(at, &at_us)) {
        fprintf(stderr, "crossim explain: --at %s is not a duration (use 90s, 10m, 2h, 1d)\n", at);
        return 2;
    }
    if (at_us >= 0 && !run_to(s, at_us, &clock, &e)) {
        fprintf(stderr, "crossim explain: %s\n", e->message);
        g_error_free(e);
        return 2;
    }
    g_autoptr(principal) p = world_principal_for(s->world, as, "explain", &e);
    if (!p) {
        fprintf(stderr, "crossim explain: %s\n", e->message);
        g_error_free(e);
        return 2;
    }
    g_autoptr(iam_ctx) extra = iam_ctx_new();
    for (int i = 0; context && context[i]; i++) {
        char *eq = strchr(context[i], '=');
        if (!eq) {
            fprintf(stderr, "crossim explain: --context %s is not KEY=VALUE\n", context[i]);
            return 2;
        }
        g_autofree char *key = g_strndup(context[i], (gsize)(eq - context[i]));
        iam_ctx_add(extra, key, eq + 1);
    }
    g_autoptr(cJSON) ectx = cJSON_CreateObject();
    for (int i = 0; ectx_args && ectx_args[i]; i++) {
        char *eq = strchr(ectx_args[i], '=');
        if (!eq) {
            fprintf(stderr, "crossim explain: --encryption-context %s is not KEY=VALUE\n",
                    ectx_args[i]);
            return 2;
        }
        g_autofree char *key = g_strndup(ectx_args[i], (gsize)(eq - ectx_args[i]));
        cJSON_DeleteItemFromObjectCaseSensitive(ectx, key);
        cJSON_AddStringToObject(ectx, key, eq + 1);
    }
    const char *res = resource ? resource : "*";
    api_resource_mode mode;
    g_autofree char *owner = NULL;
    g_autoptr(GPtrArray) rp = resource_side(s->world, p, action, res, &mode, &owner);
    if (res_account) {
        g_free(owner);
        owner = g_strdup(res_account);
    }
    iam_decision d;
    g_autoptr(GString) trace = g_string_new(NULL);
    g_autofree char *msg = NULL;
    bool ok = api_explain_granted(s->world, p, action, res, owner, rp, mode, extra, ectx, true,
                                  &d, trace, &msg);
    if (json) {
        g_autoptr(cJSON) o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "principal", principal_arn(p));
        cJSON_AddStringToObject(o, "action", action);
        cJSON_AddStringToObject(o, "resource", res);
        if (at_us >= 0)
            cJSON_AddStringToObject(o, "at", at);
        cJSON_AddStringToObject(o, "decision", iam_effect_name(d.effect));
        cJSON_AddStringToObject(o, "layer", iam_layer_name(d.layer));
        if (d.policy) {
            cJSON_AddStringToObject(o, "policy", iam_policy_name(d.policy));
            cJSON_AddNumberToObject(o, "statement", d.statement);
        }
        if (msg)
            cJSON_AddStringToObject(o, "message", msg);
        cJSON *lines = cJSON_AddArrayToObject(o, "trace");
        g_auto(GStrv) parts = g_strsplit(trace->str, "\n", -1);
        for (int i = 0; parts[i]; i++)
            if (*parts[i])
                cJSON_AddItemToArray(lines, cJSON_CreateString(parts[i]));
        char *text = cJSON_Print(o);
        printf("%s\n", text);
        cJSON_free(text);
    } else {
        if (at_us >= 0)
            printf("as the actors left the world at %s:\n", at);
        printf("%s\n%s", ok ? "ALLOWED" : "DENIED", trace->str);
        if (msg)
            printf("message: %s\n", msg);
    }
    return ok ? 0 : 1;
}
