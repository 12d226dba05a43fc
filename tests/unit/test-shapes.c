/* tests/unit/test-shapes.c: API input validation answers as the services do. */
#include <glib.h>
#include <string.h>

#include "model/base/json.h"
#include "model/service.h"
#include "model/shapes.h"

static shapes *sh;

typedef struct vcase {
    const char *name, *prefix, *op, *input;
    const char *code;       /* NULL: valid */
    const char *message;    /* exact, or NULL to skip */
    const char *contains;   /* substring, or NULL */
} vcase;

static const vcase cases[] = {
    { "sagemaker-missing-members", "sagemaker", "CreateModelCard", "{}", "ValidationException",
      "3 validation errors detected: Value null at 'modelCardName' failed to satisfy constraint: "
      "Member must not be null; Value null at 'content' failed to satisfy constraint: Member must "
      "not be null; Value null at 'modelCardStatus' failed to satisfy constraint: Member must not "
      "be null", NULL },
    { "sagemaker-enum", "sagemaker", "CreateModelCard",
      "{\"ModelCardName\":\"c\",\"Content\":\"{}\",\"ModelCardStatus\":\"Maybe\"}",
      "ValidationException",
      "1 validation error detected: Value 'Maybe' at 'modelCardStatus' failed to satisfy "
      "constraint: Member must satisfy enum value set: [Draft, PendingReview, Approved, Archived]", NULL },
    { "sagemaker-pattern", "sagemaker", "CreateModelCard",
      "{\"ModelCardName\":\"bad name!\",\"Content\":\"{}\",\"ModelCardStatus\":\"Draft\"}",
      "ValidationException", NULL,
      "Value 'bad name!' at 'modelCardName' failed to satisfy constraint: Member must satisfy "
      "regular expression pattern: " },
    { "sagemaker-length", "sagemaker", "CreateModelCard",
      "{\"ModelCardName\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\","
      "\"Content\":\"{}\",\"ModelCardStatus\":\"Draft\"}",
      "ValidationException", NULL, "Member must have length less than or equal to 63" },
    { "sagemaker-valid", "sagemaker", "CreateModelCard",
      "{\"ModelCardName\":\"churn-v2\",\"Content\":\"{}\",\"ModelCardStatus\":\"Draft\"}",
      NULL, NULL, NULL },
    { "ram-missing", "ram", "CreateResourceShare", "{}", "MissingRequiredParameterException",
      "The request is missing the required parameter: name", NULL },
    { "ram-valid", "ram", "CreateResourceShare",
      "{\"name\":\"s\",\"principals\":[\"222222222222\"]}", NULL, NULL, NULL },
    { "sts-missing", "sts", "AssumeRole", "{\"RoleArn\":\"arn:aws:iam::111111111111:role/R\"}",
      "ValidationError", NULL, "Value null at 'roleSessionName' failed to satisfy constraint" },
    { "sts-range", "sts", "AssumeRole",
      "{\"RoleArn\":\"arn:aws:iam::111111111111:role/R\",\"RoleSessionName\":\"s\",\"DurationSeconds\":60}",
      "ValidationError", NULL, "Member must have value greater than or equal to 900" },
    { "type-mismatch", "sagemaker", "CreateModelCard",
      "{\"ModelCardName\":5,\"Content\":\"{}\",\"ModelCardStatus\":\"Draft\"}",
      "SerializationException", NULL, "'modelCardName'" },
    { "list-members", "ram", "AssociateResourceShare",
      "{\"resourceShareArn\":\"arn:aws:ram:us-east-1:111111111111:resource-share/x\",\"principals\":[7]}",
      "SerializationException", NULL, "principals.1.member" },
    { "cleanroomsml-missing", "cleanrooms-ml", "StartAudienceGenerationJob", "{\"name\":\"j\"}",
      "ValidationException", NULL, "Value null at 'configuredAudienceModelArn'" },
};

static void test_case(gconstpointer data)
{
    const vcase *c = data;
    g_autoptr(cJSON) in = cJSON_Parse(c->input);
    const char *code = NULL;
    char *msg = NULL;
    bool ok = shapes_validate(sh, c->prefix, c->op, in, &code, &msg);
    if (!c->code) {
        g_assert_true(ok);
        g_assert_null(msg);
        return;
    }
    g_assert_false(ok);
    g_assert_cmpstr(code, ==, c->code);
    if (c->message)
        g_assert_cmpstr(msg, ==, c->message);
    if (c->contains) {
        if (!strstr(msg, c->contains))
            g_test_message("message: %s", msg);
        g_assert_nonnull(strstr(msg, c->contains));
    }
    g_free(msg);
}

static void test_unknown_member(void)
{
    g_autoptr(cJSON) in = cJSON_Parse("{\"name\":\"s\",\"principal\":[\"1\"]}");
    char *path = NULL, *near = NULL;
    g_assert_true(shapes_unknown_member(sh, "ram", "CreateResourceShare", in, &path, &near));
    g_assert_cmpstr(path, ==, "principal");
    g_assert_cmpstr(near, ==, "principals");
    g_free(path);
    g_free(near);
    g_autoptr(cJSON) nested = cJSON_Parse(
        "{\"ModelCardName\":\"c\",\"Content\":\"{}\",\"ModelCardStatus\":\"Draft\","
        "\"Tags\":[{\"Key\":\"k\",\"Valeu\":\"v\"}]}");
    g_assert_true(shapes_unknown_member(sh, "sagemaker", "CreateModelCard", nested, &path, &near));
    g_assert_cmpstr(path, ==, "Tags[0].Valeu");
    g_assert_cmpstr(near, ==, "Value");
    g_free(path);
    g_free(near);
    g_autoptr(cJSON) fine = cJSON_Parse("{\"name\":\"s\"}");
    g_assert_false(shapes_unknown_member(sh, "ram", "CreateResourceShare", fine, &path, &near));
}

static void test_ops(void)
{
    g_assert_true(shapes_has_op(sh, "ram", "PromoteResourceShareCreatedFromPolicy"));
    g_assert_true(shapes_has_op(sh, "cleanrooms-ml", "StartAudienceGenerationJob"));
    g_assert_false(shapes_has_op(sh, "ram", "MakeCoffee"));
    g_assert_cmpstr(shapes_protocol(sh, "sts"), ==, "query");
    g_assert_cmpstr(shapes_protocol(sh, "sagemaker"), ==, "json");
    g_assert_true(shapes_op_declares(sh, "ram", "AcceptResourceShareInvitation",
                                     "ResourceShareInvitationExpiredException"));
}

/* Every member pattern of the models decides as GRegex (GLib's PCRE2
 * wrapper, which validation used before) decides, on strings that probe
 * classes, Unicode, line ends and lengths; invalid UTF-8 matches none. */
static void collect_patterns(const cJSON *node, GHashTable *out)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, node) {
        if (c->string && strcmp(c->string, "pattern") == 0 && cJSON_IsString(c))
            g_hash_table_add(out, c->valuestring);
        else if (cJSON_IsObject(c) || cJSON_IsArray(c))
            collect_patterns(c, out);
    }
}

static void test_patterns_as_gregex(void)
{
    g_autoptr(cJSON) root = cJSON_CreateArray();
    for (const shapes_row *r = shapes_rows; r->kind; r++)
        if (r->kind == 's')
            cJSON_AddItemToArray(root, cJSON_Parse(r->body));
    GHashTable *pats = g_hash_table_new(g_str_hash, g_str_equal);
    collect_patterns(root, pats);
    g_assert_cmpuint(g_hash_table_size(pats), >, 30);
    g_autofree char *longa = g_strnfill(300, 'a');
    g_autofree char *long_arn = g_strconcat("arn:aws:sagemaker:us-east-1:111111111111:model-card/",
                                            longa, NULL);
    const char *probes[] = {
        "", "a", "A1", "abc-def", "a b", "a_b.c", "-x", "x-", "a--b", "\xc3\xa9t\xc3\xa9",
        "\xe6\x97\xa5\xe6\x9c\xac", "\xf0\x9f\x99\x82", "\xc2\xa0", "\t", "\n", "x\r", "ab\ncd", "x\x0b", "x\x0c", "x\xc2\x85", "x\xe2\x80\xa8", "x\r\n",
        "x\n", "111111111111", "1234", "arn:aws:sagemaker:us-east-1:111111111111:model-card/x",
        "arn:aws:iam::111111111111:role/R", "arn:aws:ram:us-east-1:111111111111:resource-share/"
        "6fa6e358-59d2-4fd3-b4b7-f03b6f0ba389", "o-abcdefghij", "ou-ab12-abcdefgh",
        "https://example.com/x?y=1", "s3://bucket/key", "{\"a\":1}", "AKIAIOSFODNN7EXAMPLE",
        "alias/my-key", "12345678-1234-1234-1234-123456789012", longa, long_arn, "UPPER", "MiXeD_09", "*", "a*b", "d-1234567890", "sg-0123abcd", "vpc-1",
        "subnet-01234567", "ml.m5.large", "2026-01-05T09:00:00Z",
    };
    GHashTableIter it;
    gpointer k;
    guint compared = 0;
    g_hash_table_iter_init(&it, pats);
    while (g_hash_table_iter_next(&it, &k, NULL)) {
        const char *pat = k;
        g_autofree char *full = g_strdup_printf("\\A(?:%s)\\z", pat);
        GRegex *re = g_regex_new(full, G_REGEX_OPTIMIZE, 0, NULL);
        for (gsize i = 0; i < G_N_ELEMENTS(probes); i++) {
            bool compiled;
            bool got = shapes_pattern_match(pat, probes[i], &compiled);
            g_assert_cmpint(compiled, ==, re != NULL);
            bool want = re && g_regex_match(re, probes[i], 0, NULL);
            if (got != want)
                g_test_fail_printf("pattern %s on \"%s\": %d, GRegex %d", pat,
                                   g_strescape(probes[i], NULL), got, want);
            compared++;
        }
        if (re)
            g_regex_unref(re);
        /* GRegex assumes valid UTF-8 (its answer is undefined otherwise);
         * validation refuses what is not. */
        bool compiled;
        g_assert_false(shapes_pattern_match(pat, "a\xc3", &compiled));
        g_assert_false(shapes_pattern_match(pat, "\xff\xfe", &compiled));
    }
    g_test_message("%u pattern/string pairs compared", compared);
    g_hash_table_unref(pats);
}

/* The operation tables and the generated model data agree both ways: every
 * row has its input shape (so its input is validated), every simulated
 * operation of the data has a row (tools/gen-shapes.py reads the rows). */
static void test_rows_and_shapes_agree(void)
{
    guint rows = 0;
    for (const api_service *const *s = api_services; *s; s++)
        for (const api_op *op = (*s)->ops; op->action; op++, rows++) {
            g_autofree char *prefix = g_strndup(op->action, strcspn(op->action, ":"));
            const char *name = op->action + strlen(prefix) + 1;
            g_assert_cmpstr(prefix, ==, (*s)->prefix);
            if (!shapes_simulated(sh, prefix, name))
                g_test_message("%s has no shape", op->action);
            g_assert_true(shapes_simulated(sh, prefix, name));
        }
    g_assert_cmpuint(rows, >, 150);
    guint simulated = 0;
    for (const shapes_row *r = shapes_rows; r->kind; r++) {
        if (r->kind != 'o')
            continue;
        simulated++;
        g_autofree char *action = g_strdup_printf("%s:%s", r->prefix, r->name);
        if (!api_lookup(action))
            g_test_message("%s has a shape and no row", action);
        g_assert_nonnull(api_lookup(action));
    }
    g_assert_cmpuint(simulated, ==, rows);
}

/* Descriptors that share an IAM prefix agree on what the prefix decides. */
static void test_descriptors_agree(void)
{
    for (const api_service *const *s = api_services; *s; s++) {
        g_assert_nonnull((*s)->name);
        g_assert_nonnull((*s)->ops);
        if (!(*s)->prefix)
            continue;
        const api_service *first = api_service_of((*s)->prefix);
        g_assert_cmpstr((*s)->event_source, ==, first->event_source);
        g_assert_cmpstr((*s)->log_region, ==, first->log_region);
        g_assert_cmpstr((*s)->api_version, ==, first->api_version);
        g_assert_true((*s)->stats == NULL || (*s)->stats_key != NULL);
        g_assert_true((*s)->configure == NULL || (*s)->scenario_key != NULL);
        g_assert_true((*s)->load_account == NULL || (*s)->account_keys != NULL);
    }
    g_assert_cmpstr(api_service_of("iam")->log_region, ==, "us-east-1");
    g_assert_null(api_service_of("no-such-service"));
}

/* L5: readOnly follows CloudTrail's classification of each operation
 * (the CloudTrail record contents' readOnly): reads are Describe*, Get*,
 * List*, Head*; beyond the verbs, STS's AssumeRole, KMS's cryptographic
 * operations (Encrypt, Decrypt, GenerateDataKey) and CloudTrail's
 * LookupEvents, which real records mark readOnly true.  Every other operation writes. */
static void test_read_only(void)
{
    static const char *const reads_beyond_verbs[] = {
        "sts:AssumeRole", "kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey",
        "cloudtrail:LookupEvents", NULL };
    static const char *const read_verbs[] = { "Describe", "Get", "List", "Head", NULL };
    const char *action;
    guint n = 0;
    for (guint i = 0; (action = api_action(i)); i++, n++) {
        const char *op = strchr(action, ':') + 1;
        bool want = g_strv_contains(reads_beyond_verbs, action);
        for (int k = 0; read_verbs[k]; k++)
            want |= g_str_has_prefix(op, read_verbs[k]);
        bool got = api_lookup(action)->read_only != API_WRITES;
        if (got != want)
            g_test_message("%s: readOnly %d, CloudTrail says %d", action, got, want);
        g_assert_cmpint(got, ==, want);
    }
    g_assert_cmpuint(n, >, 150);
}

/* An operation a descriptor says no policy decides is one of its own. */
static void test_unauthorized_listed(void)
{
    guint n = 0;
    for (const api_service *const *s = api_services; *s; s++)
        for (const char *const *u = (*s)->unauthorized; u && *u; u++, n++) {
            const api_op *op = api_lookup(*u);
            g_assert_nonnull(op);
            g_assert_true(g_str_has_prefix(*u, (*s)->prefix));
        }
    g_assert_cmpuint(n, ==, 1);         /* sts:GetCallerIdentity */
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();
    sh = shapes_new();
    g_test_add_func("/shapes/patterns-decide-as-gregex", test_patterns_as_gregex);
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *p = g_strdup_printf("/shapes/validate/%s", cases[i].name);
        g_test_add_data_func(p, &cases[i], test_case);
    }
    g_test_add_func("/shapes/unknown-member", test_unknown_member);
    g_test_add_func("/shapes/operations", test_ops);
    g_test_add_func("/shapes/rows-and-shapes-agree", test_rows_and_shapes_agree);
    g_test_add_func("/services/descriptors-agree", test_descriptors_agree);
    g_test_add_func("/services/L5/read-only-as-cloudtrail-classifies", test_read_only);
    g_test_add_func("/services/unauthorized-operations-exist", test_unauthorized_listed);
    int rc = g_test_run();
    shapes_free(sh);
    return rc;
}
