/* tests/unit/test-estate.c: IAM's writes with IAM's default quotas and
 * errors (roles per account, managed policies per role, policies per
 * account), and EC2's Describe* paging and errors (issue 14), driven through
 * api_invoke as actors drive them. */
#include <glib.h>
#include <string.h>

#include "model/api.h"
#include "model/world_int.h"
#include "model/estate.h"
#include "model/infra.h"
#include "tests/unit/host.h"

#define A "111111111111"
#define DOC(...) "{\"Version\":\"2012-10-17\",\"Statement\":[" __VA_ARGS__ "]}"
#define TRUST_SM DOC("{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"sagemaker.amazonaws.com\"}," \
                     "\"Action\":\"sts:AssumeRole\"}")

typedef struct fx {
    test_host  host;
    world     *w;
    principal *admin;
    cJSON     *out;
    api_error  err;
} fx;

static fx *fx_new(void)
{
    fx *f = g_new0(fx, 1);
    f->w = world_new(5, "us-east-1", 1772442000);
    test_host_init(&f->host, f->w);
    world_account *a = world_add_account(f->w, A, "a");
    g_autoptr(cJSON) all = cJSON_Parse(DOC("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}"));
    world_role *r = world_add_role(f->w, a, "Admin", "/", NULL);
    world_role_add_inline(r, world_policy_new("all", NULL, all, NULL));
    f->admin = world_principal_for(f->w, r->arn, "t", NULL);
    return f;
}

static void fx_free(fx *f)
{
    cJSON_Delete(f->out);
    api_error_clear(&f->err);
    principal_free(f->admin);
    test_host_clear(&f->host);
    world_free(f->w);
    g_free(f);
}

static const char *call(fx *f, const char *action, const char *json)
{
    g_autoptr(cJSON) in = cJSON_Parse(json);
    g_assert_nonnull(in);
    const char *code = test_call(f->w, f->admin, action, in, &f->out, &f->err);
    return code ? code : "ok";
}


/* IAM's default: 1,000 roles an account (Admin is the first). */
static void test_iam_roles_quota(void)
{
    fx *f = fx_new();
    for (int i = 1; i < 1000; i++) {
        g_autofree char *trust = g_strescape(TRUST_SM, NULL);
        g_autofree char *in = g_strdup_printf("{\"RoleName\":\"r%04d\",\"AssumeRolePolicyDocument\":"
                                              "\"%s\"}", i, trust);
        g_assert_cmpstr(call(f, "iam:CreateRole", in), ==, "ok");
    }
    g_autofree char *trust = g_strescape(TRUST_SM, NULL);
    g_autofree char *in = g_strdup_printf("{\"RoleName\":\"one-more\",\"AssumeRolePolicyDocument\":"
                                          "\"%s\"}", trust);
    g_assert_cmpstr(call(f, "iam:CreateRole", in), ==, "LimitExceeded");
    g_assert_nonnull(strstr(f->err.message, "RolesPerAccount: 1000"));
    /* A deleted role frees its place. */
    g_assert_cmpstr(call(f, "iam:DeleteRole", "{\"RoleName\":\"r0001\"}"), ==, "ok");
    g_assert_cmpstr(call(f, "iam:CreateRole", in), ==, "ok");
    g_assert_cmpstr(call(f, "iam:CreateRole", in), ==, "EntityAlreadyExists");
    fx_free(f);
}

static char *role_id(fx *f, const char *name)
{
    g_autofree char *in = g_strdup_printf("{\"RoleName\":\"%s\"}", name);
    g_assert_cmpstr(call(f, "iam:GetRole", in), ==, "ok");
    return g_strdup(cJSON_GetStringValue(cJSON_GetObjectItem(
        cJSON_GetObjectItem(f->out, "Role"), "RoleId")));
}

/* A role made again with a deleted one's name is a new entity with a new
 * unique id, as IAM's are (the id stream of an ARN lives on past removal). */
static void test_iam_recreated_role_new_id(void)
{
    fx *f = fx_new();
    g_autofree char *trust = g_strescape(TRUST_SM, NULL);
    g_autofree char *in = g_strdup_printf("{\"RoleName\":\"again\",\"AssumeRolePolicyDocument\":"
                                          "\"%s\"}", trust);
    GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);
    for (int i = 0; i < 3; i++) {
        g_assert_cmpstr(call(f, "iam:CreateRole", in), ==, "ok");
        char *id = role_id(f, "again");
        g_assert_true(g_str_has_prefix(id, "AROA"));
        g_assert_cmpuint(strlen(id), ==, 21);
        for (guint k = 0; k < ids->len; k++)
            g_assert_cmpstr(id, !=, ids->pdata[k]);
        g_ptr_array_add(ids, id);
        g_assert_cmpstr(call(f, "iam:DeleteRole", "{\"RoleName\":\"again\"}"), ==, "ok");
    }
    g_ptr_array_unref(ids);
    fx_free(f);
}

static void no_report(void *user, const cJSON *node, bool at_key, const char *path,
                      const char *message)
{
    (void)node; (void)at_key;
    g_error("%s: unexpected load error at %s: %s", (const char *)user, path, message);
}

/* A scenario role without "trust" may be assumed by its own account's
 * principals: GetRole shows that policy, made when first asked for. */
static void test_iam_default_trust(void)
{
    fx *f = fx_new();
    world_account *b = world_add_account(f->w, "222222222222", "b");
    g_autoptr(cJSON) body = cJSON_Parse("{\"roles\":{\"Plain\":{\"policies\":[]}}}");
    jload l = { .report = no_report, .user = "default-trust" };
    estate_load_account(f->w, b, body, "accounts.222222222222", &l);
    g_assert_cmpint(l.n_errors, ==, 0);
    const world_role *r = world_role_get(f->w, "222222222222", "Plain");
    g_assert_nonnull(r);
    const world_policy *t = world_role_trust(r);
    g_assert_nonnull(t);
    g_assert_true(t == world_role_trust(r));            /* made once */
    g_autofree char *text = cJSON_PrintUnformatted(t->doc);
    g_assert_cmpstr(text, ==, DOC("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                                  "\"arn:aws:iam::222222222222:root\"},\"Action\":\"sts:AssumeRole\"}"));
    /* Admin was made with no trust at all: it trusts nobody. */
    g_assert_null(world_role_trust(world_role_get(f->w, A, "Admin")));
    fx_free(f);
}

/* IAM's default: 10 managed policies attached to a role. */
static void test_iam_managed_per_role_quota(void)
{
    fx *f = fx_new();
    g_autofree char *doc = g_strescape(DOC("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                                           "\"Resource\":\"*\"}"), NULL);
    for (int i = 1; i <= 11; i++) {
        g_autofree char *in = g_strdup_printf("{\"PolicyName\":\"p%02d\",\"PolicyDocument\":\"%s\"}",
                                              i, doc);
        g_assert_cmpstr(call(f, "iam:CreatePolicy", in), ==, "ok");
        g_autofree char *at = g_strdup_printf("{\"RoleName\":\"Admin\",\"PolicyArn\":"
                                              "\"arn:aws:iam::" A ":policy/p%02d\"}", i);
        g_assert_cmpstr(call(f, "iam:AttachRolePolicy", at), ==, i <= 10 ? "ok" : "LimitExceeded");
    }
    g_assert_nonnull(strstr(f->err.message, "PoliciesPerRole: 10"));
    g_assert_cmpstr(call(f, "iam:ListAttachedRolePolicies", "{\"RoleName\":\"Admin\",\"MaxItems\":4}"),
                    ==, "ok");
    g_assert_cmpint(cJSON_GetArraySize(cJSON_GetObjectItem(f->out, "AttachedPolicies")), ==, 4);
    g_assert_true(cJSON_IsTrue(cJSON_GetObjectItem(f->out, "IsTruncated")));
    g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(f->out, "Marker")), ==, "4");
    /* A role with attached policies cannot be deleted (DeleteConflict). */
    g_assert_cmpstr(call(f, "iam:DeleteRole", "{\"RoleName\":\"Admin\"}"), ==, "DeleteConflict");
    g_assert_cmpstr(call(f, "iam:DetachRolePolicy", "{\"RoleName\":\"Admin\",\"PolicyArn\":"
                         "\"arn:aws:iam::" A ":policy/p11\"}"), ==, "NoSuchEntity");
    fx_free(f);
}

/* IAM's rules for a trust policy, and MalformedPolicyDocument for bad JSON. */
static void test_iam_create_role_checks(void)
{
    fx *f = fx_new();
    g_assert_cmpstr(call(f, "iam:CreateRole", "{\"RoleName\":\"x\",\"AssumeRolePolicyDocument\":\"{\"}"),
                    ==, "MalformedPolicyDocument");
    g_autofree char *res = g_strescape(DOC("{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
                                           "\"sagemaker.amazonaws.com\"},\"Action\":\"sts:AssumeRole\","
                                           "\"Resource\":\"*\"}"), NULL);
    g_autofree char *in = g_strdup_printf("{\"RoleName\":\"x\",\"AssumeRolePolicyDocument\":\"%s\"}", res);
    g_assert_cmpstr(call(f, "iam:CreateRole", in), ==, "MalformedPolicyDocument");
    g_assert_cmpstr(f->err.message, ==, "Has prohibited field Resource");
    g_autofree char *nop = g_strescape(DOC("{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\"}"), NULL);
    g_autofree char *in2 = g_strdup_printf("{\"RoleName\":\"x\",\"AssumeRolePolicyDocument\":\"%s\"}", nop);
    g_assert_cmpstr(call(f, "iam:CreateRole", in2), ==, "MalformedPolicyDocument");
    g_assert_cmpstr(f->err.message, ==, "Missing required field Principal");
    fx_free(f);
}

static void load_vpcs(fx *f, const char *json)
{
    g_autoptr(cJSON) v = cJSON_Parse(json);
    g_assert_nonnull(v);
    g_assert_true(infra_load_account(f->w, A, v, NULL, "accounts.a", NULL, NULL));
}

/* EC2's Describe* page with MaxResults (5-1000) and NextToken; a token EC2
 * did not give is InvalidPaginationToken; MaxResults with ids is refused;
 * an unknown id is InvalidXxxID.NotFound. */
static void test_ec2_paging_and_errors(void)
{
    fx *f = fx_new();
    GString *v = g_string_new("{");
    for (int i = 0; i < 7; i++)
        g_string_append_printf(v, "%s\"vpc-0000000%d\":{\"cidr\":\"10.%d.0.0/16\"%s}", i ? "," : "", i, i,
                               i == 0 ? ",\"default\":true" : "");
    g_string_append_c(v, '}');
    load_vpcs(f, v->str);
    g_string_free(v, TRUE);
    g_assert_cmpstr(call(f, "ec2:DescribeVpcs", "{\"MaxResults\":5}"), ==, "ok");
    g_assert_cmpint(cJSON_GetArraySize(cJSON_GetObjectItem(f->out, "Vpcs")), ==, 5);
    g_autofree char *tok = g_strdup(cJSON_GetStringValue(cJSON_GetObjectItem(f->out, "NextToken")));
    g_assert_nonnull(tok);
    g_autofree char *in = g_strdup_printf("{\"MaxResults\":5,\"NextToken\":\"%s\"}", tok);
    g_assert_cmpstr(call(f, "ec2:DescribeVpcs", in), ==, "ok");
    const cJSON *page = cJSON_GetObjectItem(f->out, "Vpcs");
    g_assert_cmpint(cJSON_GetArraySize(page), ==, 2);
    g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(page, 1), "VpcId")), ==,
                    "vpc-00000006");
    g_assert_null(cJSON_GetObjectItem(f->out, "NextToken"));
    g_assert_cmpstr(call(f, "ec2:DescribeVpcs", "{\"NextToken\":\"not-a-token\"}"), ==,
                    "InvalidPaginationToken");
    g_assert_cmpstr(call(f, "ec2:DescribeVpcs", "{\"VpcIds\":[\"vpc-00000001\"],\"MaxResults\":5}"), ==,
                    "InvalidParameterCombination");
    g_assert_cmpstr(call(f, "ec2:DescribeVpcs", "{\"VpcIds\":[\"vpc-0dead000\"]}"), ==,
                    "InvalidVpcID.NotFound");
    g_assert_cmpstr(call(f, "ec2:DescribeVpcs", "{\"Filters\":[{\"Name\":\"isDefault\",\"Values\":[\"true\"]}]}"),
                    ==, "ok");
    page = cJSON_GetObjectItem(f->out, "Vpcs");
    g_assert_cmpint(cJSON_GetArraySize(page), ==, 1);
    g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(page, 0), "VpcId")), ==,
                    "vpc-00000000");
    fx_free(f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/estate/iam/default-roles-quota", test_iam_roles_quota);
    g_test_add_func("/estate/iam/default-managed-policies-per-role", test_iam_managed_per_role_quota);
    g_test_add_func("/estate/iam/create-role-checks", test_iam_create_role_checks);
    g_test_add_func("/estate/iam/recreated-role-new-id", test_iam_recreated_role_new_id);
    g_test_add_func("/estate/iam/default-trust", test_iam_default_trust);
    g_test_add_func("/estate/ec2/paging-and-errors", test_ec2_paging_and_errors);
    return g_test_run();
}
