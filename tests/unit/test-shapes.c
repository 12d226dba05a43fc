/* tests/unit/test-shapes.c: API input validation answers as the services do. */
#include <glib.h>
#include <string.h>

#include "model/json.h"
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

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();
    sh = shapes_new();
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *p = g_strdup_printf("/shapes/validate/%s", cases[i].name);
        g_test_add_data_func(p, &cases[i], test_case);
    }
    g_test_add_func("/shapes/unknown-member", test_unknown_member);
    g_test_add_func("/shapes/operations", test_ops);
    int rc = g_test_run();
    shapes_free(sh);
    return rc;
}
