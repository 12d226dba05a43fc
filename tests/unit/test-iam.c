/* tests/unit/test-iam.c: the IAM engine against table-driven cases
 * (the JSON files of tests/iam, described in its README.md) and its API. */
#include <glib.h>
#include <string.h>

#include "model/aws_policies.h"
#include "model/iam.h"
#include "model/base/json.h"

static const char *srcdir(void)
{
    const char *d = g_getenv("CROSSIM_SRCDIR");
    return d ? d : ".";
}

static GPtrArray *compile_all(const cJSON *docs, bool *ok)
{
    GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)iam_policy_unref);
    const cJSON *d;
    int i = 0;
    cJSON_ArrayForEach(d, docs) {
        GError *e = NULL;
        iam_policy *p = iam_policy_compile(d, &e);
        if (!p) {
            g_test_message("policy %d does not compile: %s", i, e->message);
            g_error_free(e);
            *ok = false;
            continue;
        }
        g_autofree char *name = g_strdup_printf("policy-%d", i++);
        iam_policy_set_name(p, name);
        g_ptr_array_add(out, p);
    }
    return out;
}

/* Every key a case may have: a misspelt key ("identiy") would silently drop
 * what it holds and still pass every ImplicitDeny case. */
static const char *const case_keys[] = {
    "name", "doc", "expect", "message", "layer", "document", "identity", "session", "boundary",
    "resource_policies", "scps", "context", "principal", "mode", "action", "resource",
    "resource_account", NULL,
};

static void run_case(gconstpointer data)
{
    const cJSON *c = data;
    const cJSON *k;
    cJSON_ArrayForEach(k, c) {
        if (!g_strv_contains(case_keys, k->string))
            g_test_message("unknown case key \"%s\"", k->string);
        g_assert_true(g_strv_contains(case_keys, k->string));
    }
    const char *expect = cJSON_GetStringValue(cJSON_GetObjectItem(c, "expect"));
    const char *want_msg = cJSON_GetStringValue(cJSON_GetObjectItem(c, "message"));
    if (g_strcmp0(expect, "Malformed") == 0) {
        GError *e = NULL;
        iam_policy *p = iam_policy_compile(cJSON_GetObjectItem(c, "document"), &e);
        g_assert_null(p);
        g_assert_error(e, IAM_ERROR, IAM_ERROR_MALFORMED);
        if (e && want_msg && !strstr(e->message, want_msg))
            g_test_message("got: %s", e->message);
        if (e && want_msg)
            g_assert_nonnull(strstr(e->message, want_msg));
        g_clear_error(&e);
        iam_policy_unref(p);
        return;
    }
    bool ok = true;
    g_autoptr(GPtrArray) identity = compile_all(cJSON_GetObjectItem(c, "identity"), &ok);
    g_autoptr(GPtrArray) session = compile_all(cJSON_GetObjectItem(c, "session"), &ok);
    g_autoptr(GPtrArray) resource = compile_all(cJSON_GetObjectItem(c, "resource_policies"), &ok);
    g_autoptr(iam_policy) boundary = NULL;
    const cJSON *bd = cJSON_GetObjectItem(c, "boundary");
    if (bd) {
        /* A boundary that does not compile must fail the case, not become
         * "no boundary" (which allows more). */
        GError *be = NULL;
        boundary = iam_policy_compile(bd, &be);
        g_assert_no_error(be);
        g_clear_error(&be);
    }
    g_autoptr(GPtrArray) levels = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    const cJSON *lv;
    cJSON_ArrayForEach(lv, cJSON_GetObjectItem(c, "scps"))
        g_ptr_array_add(levels, compile_all(lv, &ok));
    g_assert_true(ok);
    g_autofree iam_layer_set *scp = g_new0(iam_layer_set, levels->len + 1);
    for (guint i = 0; i < levels->len; i++) {
        GPtrArray *l = levels->pdata[i];
        scp[i] = (iam_layer_set){ (const iam_policy *const *)l->pdata, l->len };
    }
    g_autoptr(iam_ctx) ctx = iam_ctx_new();
    const cJSON *kv;
    cJSON_ArrayForEach(kv, cJSON_GetObjectItem(c, "context")) {
        if (cJSON_IsString(kv))
            iam_ctx_set(ctx, kv->string, kv->valuestring);
        const cJSON *v;
        if (cJSON_IsArray(kv))
            cJSON_ArrayForEach(v, kv)
                iam_ctx_add(ctx, kv->string, v->valuestring);
    }
    const cJSON *pr = cJSON_GetObjectItem(c, "principal");
    const char *kind = pr ? cJSON_GetStringValue(cJSON_GetObjectItem(pr, "kind")) : "session";
    const char *mode = cJSON_GetStringValue(cJSON_GetObjectItem(c, "mode"));
    const char *res = cJSON_GetStringValue(cJSON_GetObjectItem(c, "resource"));
    iam_request rq = {
        .kind = g_strcmp0(kind, "user") == 0 ? IAM_PRINCIPAL_USER
              : g_strcmp0(kind, "root") == 0 ? IAM_PRINCIPAL_ROOT
              : g_strcmp0(kind, "service") == 0 ? IAM_PRINCIPAL_SERVICE : IAM_PRINCIPAL_SESSION,
        .principal_arn = pr ? cJSON_GetStringValue(cJSON_GetObjectItem(pr, "arn"))
                            : "arn:aws:sts::111111111111:assumed-role/Dev/alice",
        .principal_account = pr ? cJSON_GetStringValue(cJSON_GetObjectItem(pr, "account"))
                                : "111111111111",
        .role_arn = pr ? cJSON_GetStringValue(cJSON_GetObjectItem(pr, "role"))
                       : "arn:aws:iam::111111111111:role/Dev",
        .action = cJSON_GetStringValue(cJSON_GetObjectItem(c, "action")),
        .resource = res ? res : "*",
        .resource_account = cJSON_GetStringValue(cJSON_GetObjectItem(c, "resource_account")),
        .ctx = ctx,
        .identity = { (const iam_policy *const *)identity->pdata, identity->len },
        .boundary = boundary,
        .session = { (const iam_policy *const *)session->pdata, session->len },
        .scp_levels = scp,
        .n_scp_levels = levels->len,
        .resource_policies = { (const iam_policy *const *)resource->pdata, resource->len },
        .mode = g_strcmp0(mode, "key") == 0 ? IAM_RES_KEY_POLICY
              : g_strcmp0(mode, "trust") == 0 ? IAM_RES_TRUST_POLICY : IAM_RES_OPTIONAL,
    };
    iam_decision d;
    g_autoptr(GString) trace = g_string_new(NULL);
    iam_evaluate(&rq, &d, trace);
    if (g_strcmp0(iam_effect_name(d.effect), expect) != 0)
        g_test_message("trace:\n%s", trace->str);
    g_assert_cmpstr(iam_effect_name(d.effect), ==, expect);
    /* The same answer without a trace. */
    iam_decision d2;
    iam_evaluate(&rq, &d2, NULL);
    g_assert_cmpint(d2.effect, ==, d.effect);
    const char *layer = cJSON_GetStringValue(cJSON_GetObjectItem(c, "layer"));
    if (layer)
        g_assert_cmpstr(iam_layer_name(d.layer), ==, layer);
    if (want_msg) {
        g_autofree char *msg = iam_denied_message(&rq, &d);
        if (!strstr(msg, want_msg))
            g_test_message("message: %s", msg);
        g_assert_nonnull(strstr(msg, want_msg));
    }
}

/* ---- the API beyond the table ---------------------------------------------------- */

static void test_refcount_and_names(void)
{
    GError *e = NULL;
    iam_policy *p = iam_policy_compile_text(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
        "\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Action\":\"s3:Delete*\",\"Resource\":\"*\"}]}", &e);
    g_assert_no_error(e);
    g_assert_cmpuint(iam_policy_statements(p), ==, 2);
    iam_policy_set_name(p, "mine");
    g_assert_cmpstr(iam_policy_name(iam_policy_ref(p)), ==, "mine");
    iam_policy_unref(p);
    iam_policy_unref(p);
    iam_policy_unref(NULL);
    g_assert_null(iam_policy_compile_text("{not json", &e));
    g_assert_error(e, IAM_ERROR, IAM_ERROR_MALFORMED);
    g_clear_error(&e);
}

static void test_ctx(void)
{
    g_autoptr(iam_ctx) c = iam_ctx_new();
    iam_ctx_set(c, "aws:TagKeys", "a");
    iam_ctx_add(c, "AWS:TAGKEYS", "b");
    iam_vals v = iam_ctx_get(c, "aws:tagkeys");
    g_assert_cmpuint(v.n, ==, 2);
    g_assert_cmpstr(v.v[0], ==, "a");
    g_assert_cmpstr(v.v[1], ==, "b");
    iam_ctx_set(c, "aws:TagKeys", "c");
    g_assert_cmpuint(iam_ctx_get(c, "aws:TagKeys").n, ==, 1);
    g_assert_cmpuint(iam_ctx_get(c, "aws:Nothing").n, ==, 0);
    /* Past the inline entries and pool: keys and long values still found. */
    g_autoptr(iam_ctx) big = iam_ctx_new();
    g_autofree char *longv = g_strnfill(5000, 'x');
    for (int i = 0; i < 100; i++) {
        g_autofree char *k = g_strdup_printf("K:%d", i);
        iam_ctx_set(big, k, longv);
        for (int j = 0; j < i % 7; j++)
            iam_ctx_add(big, k, k);
    }
    for (int i = 0; i < 100; i++) {
        g_autofree char *k = g_strdup_printf("k:%d", i);
        iam_vals w = iam_ctx_get(big, k);
        g_assert_cmpuint(w.n, ==, 1 + (guint)(i % 7));
        g_assert_cmpstr(w.v[0], ==, longv);
        g_autofree char *added = g_strdup_printf("K:%d", i);
        for (guint j = 1; j < w.n; j++)
            g_assert_cmpstr(w.v[j], ==, added);
    }
    g_autoptr(iam_ctx) d = iam_ctx_new();
    iam_ctx_merge(d, c);
    g_autofree char *text = iam_ctx_describe(d);
    g_assert_cmpstr(text, ==, "  aws:tagkeys=c\n");
}

static void test_glob(void)
{
    g_assert_true(iam_glob("a*b?d", "aXXbcd", false));
    g_assert_false(iam_glob("a*b?d", "aXXbd", false));
    g_assert_true(iam_glob("*", "", false));
    g_assert_true(iam_glob("S3:get*", "s3:GetObject", true));
    g_assert_false(iam_glob("S3:get*", "s3:GetObject", false));
    g_assert_true(iam_glob("arn:aws:s3:::b/*/x", "arn:aws:s3:::b/1/2/x", false));
}

/* Every AWS managed policy crossim carries compiles (world_managed_policy
 * asserts it), and AmazonSageMakerFullAccess decides as AWS documents:
 * sagemaker:* except on Studio resources, iam:PassRole only to SageMaker. */
static void test_aws_managed_policies(void)
{
    guint n = 0;
    for (const aws_policy_row *r = aws_policies; r->arn; r++, n++) {
        GError *e = NULL;
        iam_policy *p = iam_policy_compile_text(r->document, &e);
        g_assert_no_error(e);
        g_assert_nonnull(p);
        g_clear_error(&e);
        iam_policy_unref(p);
        g_assert_true(g_str_has_prefix(r->arn, "arn:aws:iam::aws:policy/"));
    }
    g_assert_cmpuint(n, >=, 2);
    const aws_policy_row *full = aws_policy_get("arn:aws:iam::aws:policy/AmazonSageMakerFullAccess");
    g_assert_nonnull(full);
    g_autoptr(iam_policy) p = iam_policy_compile_text(full->document, NULL);
    const iam_policy *ids[] = { p };
    struct { const char *action, *resource, *passed_to, *want; } cases[] = {
        { "sagemaker:CreateModelCard", "arn:aws:sagemaker:us-east-1:111111111111:model-card/x", NULL, "Allow" },
        { "sagemaker:DeleteDomain", "arn:aws:sagemaker:us-east-1:111111111111:domain/d-1", NULL, "ImplicitDeny" },
        { "sagemaker:ListDomains", "*", NULL, "Allow" },
        { "ec2:DescribeVpcs", "*", NULL, "Allow" },
        { "iam:PassRole", "arn:aws:iam::111111111111:role/Exec", "sagemaker.amazonaws.com", "Allow" },
        { "iam:PassRole", "arn:aws:iam::111111111111:role/Exec", "ec2.amazonaws.com", "ImplicitDeny" },
        { "iam:CreateRole", "arn:aws:iam::111111111111:role/X", NULL, "ImplicitDeny" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(iam_ctx) ctx = iam_ctx_new();
        if (cases[i].passed_to)
            iam_ctx_set(ctx, "iam:PassedToService", cases[i].passed_to);
        iam_request rq = { .kind = IAM_PRINCIPAL_SESSION,
                           .principal_arn = "arn:aws:sts::111111111111:assumed-role/Exec/s",
                           .principal_account = "111111111111",
                           .role_arn = "arn:aws:iam::111111111111:role/Exec",
                           .action = cases[i].action, .resource = cases[i].resource, .ctx = ctx,
                           .identity = { ids, 1 } };
        iam_decision d;
        iam_evaluate(&rq, &d, NULL);
        g_assert_cmpstr(iam_effect_name(d.effect), ==, cases[i].want);
    }
}

static void add_file(const char *path, GPtrArray *keep)
{
    char *text = NULL;
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    cJSON *doc = cJSON_Parse(text);
    g_free(text);
    g_assert_nonnull(doc);
    g_ptr_array_add(keep, doc);
    g_autofree char *base = g_path_get_basename(path);
    base[strlen(base) - 5] = '\0';
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(doc, "cases")) {
        g_autofree char *name = g_strdup(cJSON_GetStringValue(cJSON_GetObjectItem(c, "name")));
        g_strdelimit(name, "/", '-');
        g_autofree char *p = g_strdup_printf("/iam/%s/%s", base, name);
        g_test_add_data_func(p, c, run_case);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();
    g_test_add_func("/iam/api/refcount-and-names", test_refcount_and_names);
    g_test_add_func("/iam/aws-managed-policies", test_aws_managed_policies);
    g_test_add_func("/iam/api/context", test_ctx);
    g_test_add_func("/iam/api/glob", test_glob);
    g_autofree char *dir = g_build_filename(srcdir(), "tests", "iam", NULL);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    g_assert_nonnull(d);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *n;
    while (d && (n = g_dir_read_name(d)))
        if (g_str_has_suffix(n, ".json"))
            g_ptr_array_add(names, g_build_filename(dir, n, NULL));
    g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
    GPtrArray *keep = g_ptr_array_new_with_free_func((GDestroyNotify)cJSON_Delete);
    for (guint i = 0; i < names->len; i++)
        add_file(names->pdata[i], keep);
    int rc = g_test_run();
    g_ptr_array_unref(keep);
    return rc;
}
