/* model/svc_lambda.c: AWS Lambda's Invoke, on functions a scenario declares.
 *
 * "lambda_functions": {"name": {"returns": {...}, "error": "...",
 * "duration": "30s", "policy": {...}}} in an account.  crossim runs no code:
 * Invoke answers with the declared result (the returns object as the
 * payload, or with "error" an unhandled function error), after checking
 * lambda:InvokeFunction against the caller's policies and the function's
 * resource-based policy (another account's function needs both).
 *
 * Records: Invoke is a CloudTrail data event (resources.type
 * AWS::Lambda::Function), logged only where a trail selects Lambda data
 * events, in the caller's and the function owner's logs; requestParameters
 * carry the function's ARN, additionalEventData its version, as Lambda's
 * records do. */
#include "model/lambda.h"
#include "model/estate.h"
#include "model/service.h"
#include "model/world_int.h"

#include <string.h>

#define LAMBDA_SLOT "lambda"
#define LAMBDA_TYPE "AWS::Lambda::Function"
#define LATEST "$LATEST"

typedef struct lfn {
    char         *arn, *account, *name;
    cJSON        *returns;       /* the payload it returns, or NULL */
    char         *error;         /* an unhandled error it raises, or NULL */
    int64_t       run_us;
    world_policy *policy;        /* resource-based policy, or NULL */
} lfn;

static void lfn_free(gpointer p)
{
    lfn *f = p;
    g_free(f->arn);
    g_free(f->account);
    g_free(f->name);
    cJSON_Delete(f->returns);
    g_free(f->error);
    world_policy_free(f->policy);
    g_free(f);
}

static GHashTable *functions(world *w)
{
    GHashTable *s = world_service_state(w, LAMBDA_SLOT);
    if (!s) {
        s = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, lfn_free);
        world_set_service_state(w, LAMBDA_SLOT, s, (GDestroyNotify)g_hash_table_unref);
    }
    return s;
}

int64_t lambda_run_us(world *w, const char *function_arn)
{
    const lfn *f = function_arn ? g_hash_table_lookup(functions(w), function_arn) : NULL;
    return f ? f->run_us : 0;
}

/* The unqualified ARN a FunctionName names (a name, a partial ARN
 * "ACCOUNT:function:NAME" or a full ARN, each perhaps with ":QUALIFIER"),
 * in the caller's account and the world's region when it names none; the
 * qualifier in *qualifier (new, or NULL). */
static char *function_arn(const api_call *c, const char *ref, char **qualifier)
{
    g_auto(GStrv) parts = g_strsplit(ref, ":", -1);
    guint n = g_strv_length(parts), i = 0;
    const char *region = world_region(c->w), *account = c->caller->account;
    if (n >= 7 && strcmp(parts[0], "arn") == 0) {
        region = parts[3];
        account = parts[4];
        i = 6;
    } else if (n >= 3 && strcmp(parts[1], "function") == 0) {
        account = parts[0];
        i = 2;
    }
    *qualifier = i + 1 < n ? g_strdup(parts[i + 1]) : NULL;
    return g_strdup_printf("arn:aws:lambda:%s:%s:function:%s", region, account, parts[i]);
}

static bool invoke(api_call *c)
{
    const char *ref = api_str(c->input, "FunctionName");
    g_autofree char *qualifier = NULL;
    g_autofree char *arn = function_arn(c, ref, &qualifier);
    if (!qualifier && api_str(c->input, "Qualifier"))
        qualifier = g_strdup(api_str(c->input, "Qualifier"));
    g_autofree char *owner = api_arn_account(arn);
    c->data_type = LAMBDA_TYPE;
    c->request_params = cJSON_CreateObject();
    cJSON_AddStringToObject(c->request_params, "functionName", arn);
    c->response_elements = cJSON_CreateNull();
    api_resource(c, arn, owner, LAMBDA_TYPE);
    lfn *f = g_hash_table_lookup(functions(c->w), arn);
    g_autoptr(GPtrArray) pol = g_ptr_array_new();
    if (f && f->policy && f->policy->compiled)
        g_ptr_array_add(pol, f->policy->compiled);
    if (!api_authorize(c, "lambda:InvokeFunction", arn, owner, pol, API_RES_OPTIONAL, NULL))
        return false;
    if (!f || (qualifier && strcmp(qualifier, LATEST) != 0)) {
        api_error_set(&c->err, "ResourceNotFoundException", "Function not found: %s%s%s", arn,
                      qualifier ? ":" : "", qualifier ? qualifier : "");
        return false;
    }
    c->additional_data = cJSON_CreateObject();
    g_autofree char *version = g_strdup_printf("%s:%s", arn, LATEST);
    cJSON_AddStringToObject(c->additional_data, "functionVersion", version);
    const char *type = api_str(c->input, "InvocationType");
    c->output = cJSON_CreateObject();
    if (g_strcmp0(type, "Event") == 0 || g_strcmp0(type, "DryRun") == 0) {
        cJSON_AddNumberToObject(c->output, "StatusCode", strcmp(type, "Event") == 0 ? 202 : 204);
        return true;
    }
    cJSON_AddNumberToObject(c->output, "StatusCode", 200);
    g_autoptr(cJSON) payload = NULL;
    if (f->error) {
        cJSON_AddStringToObject(c->output, "FunctionError", "Unhandled");
        payload = cJSON_CreateObject();
        cJSON_AddStringToObject(payload, "errorMessage", f->error);
        cJSON_AddStringToObject(payload, "errorType", "Exception");
    } else {
        payload = f->returns ? cJSON_Duplicate(f->returns, 1) : cJSON_CreateNull();
    }
    char *text = cJSON_PrintUnformatted(payload);
    g_autofree char *b64 = g_base64_encode((const guchar *)text, strlen(text));
    cJSON_free(text);
    cJSON_AddStringToObject(c->output, "Payload", b64);
    cJSON_AddStringToObject(c->output, "ExecutedVersion", LATEST);
    return true;
}

/* ---- the scenario's functions ------------------------------------------------------------ */

static const char *const function_keys[] = { "returns", "error", "duration", "policy", NULL };

static bool valid_name(const char *s)
{
    gsize n = strlen(s);
    if (n < 1 || n > 64)
        return false;
    for (const char *p = s; *p; p++)
        if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_')
            return false;
    return true;
}

static void load_account(world *w, world_account *a, const cJSON *ac, const char *path, jload *l)
{
    const cJSON *fns = jload_obj(l, ac, "lambda_functions", path, false), *f;
    cJSON_ArrayForEach(f, fns) {
        g_autofree char *p = g_strdup_printf("%s.lambda_functions.%s", path, f->string);
        if (!cJSON_IsObject(f)) {
            jload_err(l, f, false, p, "a function is an object (returns, error, duration, policy)");
            continue;
        }
        if (!valid_name(f->string)) {
            jload_err(l, f, true, p, "a function name is 1 to 64 letters, digits, - and _");
            continue;
        }
        jload_check_keys(l, f, p, function_keys);
        lfn *fn = g_new0(lfn, 1);
        fn->account = g_strdup(a->id);
        fn->name = g_strdup(f->string);
        fn->arn = g_strdup_printf("arn:aws:lambda:%s:%s:function:%s", world_region(w), a->id,
                                  f->string);
        const cJSON *ret = jload_member(f, "returns");
        fn->returns = ret ? cJSON_Duplicate(ret, 1) : NULL;
        const char *err = jload_str(l, f, "error", p, false);
        fn->error = err ? g_strdup(err) : NULL;
        fn->run_us = 1000000;
        if (jload_dur(l, f, "duration", p, &fn->run_us) && fn->run_us > LAMBDA_MAX_RUN_US) {
            g_autofree char *dp = jload_sub(p, "duration");
            jload_err(l, jload_member(f, "duration"), false, dp,
                      "a Lambda function runs at most 15 minutes (its largest timeout)");
        }
        const cJSON *doc = jload_member(f, "policy");
        if (doc) {
            g_autofree char *pp = jload_sub(p, "policy");
            g_autofree char *pname = g_strdup_printf("function %s policy", f->string);
            fn->policy = estate_policy(w, l, doc, pp, pname, NULL, IAM_DOC_RESOURCE);
        }
        g_hash_table_replace(functions(w), fn->arn, fn);
    }
}

static const char *const account_keys[] = { "lambda_functions", NULL };

static bool resource_policies(world *w, const principal *caller, const char *action,
                              const char *resource, GPtrArray *out, api_resource_mode *mode,
                              char **owner)
{
    (void)caller;
    (void)action;
    const lfn *f = g_hash_table_lookup(functions(w), resource);
    if (!f)
        return false;
    *mode = API_RES_OPTIONAL;
    g_free(*owner);
    *owner = g_strdup(f->account);
    if (f->policy && f->policy->compiled)
        g_ptr_array_add(out, f->policy->compiled);
    return true;
}

static const api_op ops[] = {
    /* Its IAM action is lambda:InvokeFunction, its eventName Invoke. */
    { "lambda:Invoke", invoke, false, API_TO_CALLER_AND_OWNER },
    { NULL, NULL, false, API_TO_CALLER },
};

const api_service api_service_lambda = {
    .name = "lambda", .prefix = "lambda", .event_source = "lambda.amazonaws.com",
    .endpoint = "lambda.%s.amazonaws.com", .ops = ops,
    .account_keys = account_keys, .load_account = load_account,
    .resource_policies = resource_policies,
};
