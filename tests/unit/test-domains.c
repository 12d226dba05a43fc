/* tests/unit/test-domains.c: SageMaker domains (D1-D7) and account networks.
 *
 * Each case builds a world by hand: account A (111111111111) with roles
 * (an admin allowed everything, execution roles that do or do not trust
 * SageMaker, the seed's RStudio role, a narrow role without iam:PassRole),
 * a VPC loaded through infra_load_account, and a KMS key.  A small host
 * keeps pending happenings in a list that the test fires in (time, seq)
 * order and collects trail events.  Everything is driven through
 * api_invoke, as actors drive it. */
#include <glib.h>
#include <stdarg.h>
#include <string.h>

#include "model/api.h"
#include "model/world_int.h"
#include "tests/unit/host.h"
#include "model/infra.h"
#include "model/shapes.h"
#include "model/sm_domains.h"
#include "model/sso_admin.h"

#define A "111111111111"
#define B "222222222222"
#define REGION "us-east-1"
#define ROLE(n) "arn:aws:iam::" A ":role/" n

/* ---- the host -------------------------------------------------------------------------- */

typedef struct fx {
    world *w;
    test_host host;      /* clock, pending happenings, events, notes */
    cJSON *out;
    api_error err;
    principal *admin, *narrow;
    world_account *a;
} fx;

/* ---- the world ------------------------------------------------------------------------- */

static world_policy *policy(const char *text)
{
    g_autoptr(cJSON) doc = cJSON_Parse(text);
    g_assert_nonnull(doc);
    g_autoptr(GError) err = NULL;
    world_policy *p = world_policy_new("inline", NULL, doc, &err);
    g_assert_no_error(err);
    return p;
}

#define DOC(...) "{\"Version\":\"2012-10-17\",\"Statement\":[" __VA_ARGS__ "]}"
#define TRUST_SM DOC("{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"sagemaker.amazonaws.com\"}," \
                     "\"Action\":\"sts:AssumeRole\"}")
#define SEED_RSTUDIO DOC("{\"Effect\":\"Allow\",\"Action\":[\"license-manager:*\",\"logs:*\"," \
                         "\"sagemaker:CreateApp\"],\"Resource\":\"*\"}")

static void report_fail(void *ud, const cJSON *node, bool at_key, const char *path,
                        const char *msg)
{
    (void)ud; (void)node; (void)at_key;
    g_error("unexpected config problem at %s: %s", path, msg);
}

static void load_infra(fx *f, const char *account, const char *vpcs, const char *licenses)
{
    g_autoptr(cJSON) v = vpcs ? cJSON_Parse(vpcs) : NULL;
    g_autoptr(cJSON) l = licenses ? cJSON_Parse(licenses) : NULL;
    g_assert_true(infra_load_account(f->w, account, v, l, "accounts.x", report_fail, NULL));
}

static world_role *role(fx *f, world_account *acct, const char *name, const char *trust,
                        const char *pol)
{
    world_role *r = world_add_role(f->w, acct, name, NULL, trust ? policy(trust) : NULL);
    if (pol)
        g_ptr_array_add(r->inline_policies, policy(pol));
    return r;
}

static principal *session(fx *f, const world_role *r)
{
    g_autoptr(GError) err = NULL;
    principal *p = world_principal_for(f->w, r->arn, "test", &err);
    g_assert_no_error(err);
    return p;
}

static fx *fx_new(const char *licenses)
{
    fx *f = g_new0(fx, 1);
    f->w = world_new(3, REGION, 1772442000);
    test_host_init(&f->host, f->w);
    f->a = world_add_account(f->w, A, "platform");
    world_account *b = world_add_account(f->w, B, "other");
    const char *all = DOC("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}");
    world_role *admin = role(f, f->a, "Admin", NULL, all);
    world_role *narrow = role(f, f->a, "Narrow", NULL,
                              DOC("{\"Effect\":\"Allow\",\"Action\":\"sagemaker:*\",\"Resource\":\"*\"}"));
    role(f, f->a, "Exec", TRUST_SM, DOC("{\"Effect\":\"Allow\",\"Action\":\"sagemaker:Describe*\","
                                        "\"Resource\":\"*\"}"));
    role(f, f->a, "Exec2", TRUST_SM, NULL);
    role(f, f->a, "NoTrust", NULL, NULL);
    role(f, f->a, "RStudio", TRUST_SM, SEED_RSTUDIO);
    role(f, f->a, "LogsOnly", TRUST_SM,
         DOC("{\"Effect\":\"Allow\",\"Action\":[\"logs:*\",\"sagemaker:CreateApp\"],\"Resource\":\"*\"}"));
    role(f, b, "Exec", TRUST_SM, NULL);
    world_add_key(f->w, f->a, "open-key", policy(DOC(
        "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" A ":root\"},"
        "\"Action\":\"kms:*\",\"Resource\":\"*\"}")));
    world_add_key(f->w, f->a, "closed-key", policy(DOC(
        "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" ROLE("KeyAdmin") "\"},"
        "\"Action\":\"kms:*\",\"Resource\":\"*\"}")));
    load_infra(f, A,
               "{\"vpc-0a000001\":{\"default\":true,\"subnets\":{\"subnet-0a000001\":{\"az\":\"us-east-1a\"}},"
               "\"security_groups\":{\"sg-0a000001\":{\"outbound\":true}}}}",
               licenses);
    f->admin = session(f, admin);
    f->narrow = session(f, narrow);
    return f;
}

static void fx_free(fx *f)
{
    cJSON_Delete(f->out);
    api_error_clear(&f->err);
    principal_free(f->admin);
    principal_free(f->narrow);
    test_host_clear(&f->host);
    world_free(f->w);
    g_free(f);
}

#define call(f, p, action, ...) \
    test_host_call(&(f)->host, p, action, &(f)->out, &(f)->err, __VA_ARGS__)

static const char *out_str(const fx *f, const char *member) { return test_str(f->out, member); }

static guint count_events(const fx *f, const char *name, const char *arn_part)
{
    guint n = 0;
    for (guint i = 0; i < f->host.events->len; i++) {
        const trail_event *ev = f->host.events->pdata[i];
        g_autofree char *arn = test_identity_member(ev, "arn");
        if (strcmp(ev->event_name, name) == 0 && (!arn_part || (arn && strstr(arn, arn_part))))
            n++;
    }
    return n;
}

/* Creates an IAM-mode domain with the given extra members; returns its id. */
static char *make_domain(fx *f, const char *extra)
{
    const char *code = call(f, f->admin, "sagemaker:CreateDomain",
                            "{\"DomainName\":\"d\",\"AuthMode\":\"IAM\",\"DefaultUserSettings\":"
                            "{\"ExecutionRole\":\"" ROLE("Exec") "\"}%s}", extra ? extra : "");
    g_assert_cmpstr(code, ==, NULL);
    return g_strdup(out_str(f, "DomainId"));
}

static void describe_domain(fx *f, const char *id)
{
    g_assert_cmpstr(call(f, f->admin, "sagemaker:DescribeDomain", "{\"DomainId\":\"%s\"}", id),
                    ==, NULL);
}

/* ---- cases ----------------------------------------------------------------------------- */

static void test_d1_sso_region(void)
{
    g_test_summary("SSO domains need IAM Identity Center in the domain's own region");
    fx *f = fx_new(NULL);
    g_ptr_array_add(f->a->identity_center_regions, g_strdup("us-west-2"));
    const char *sso = "{\"DomainName\":\"s\",\"AuthMode\":\"SSO\",\"DefaultUserSettings\":"
                      "{\"ExecutionRole\":\"" ROLE("Exec") "\"}}";
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateDomain", "%s", sso), ==,
                    "ValidationException");
    g_assert_nonnull(strstr(f->err.message, REGION));
    g_ptr_array_add(f->a->identity_center_regions, g_strdup(REGION));
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateDomain", "%s", sso), ==, NULL);
    fx_free(f);
}

static void test_d3_roles(void)
{
    g_test_summary("execution roles: iam:PassRole for the caller, the role exists and trusts SageMaker");
    static const struct { const char *role; bool narrow; const char *code; const char *msg; } cases[] = {
        { ROLE("Exec"), false, NULL, NULL },
        { ROLE("NoTrust"), false, "ValidationException", "sagemaker.amazonaws.com" },
        { ROLE("Missing"), false, "ValidationException", "Could not assume role" },
        { ROLE("Exec"), true, "AccessDeniedException", "iam:PassRole" },
        { "arn:aws:iam::" B ":role/Exec", false, "AccessDeniedException", "iam:PassRole" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        fx *f = fx_new(NULL);
        const char *code = call(f, cases[i].narrow ? f->narrow : f->admin, "sagemaker:CreateDomain",
                                "{\"DomainName\":\"d\",\"AuthMode\":\"IAM\",\"DefaultUserSettings\":"
                                "{\"ExecutionRole\":\"%s\"}}", cases[i].role);
        g_assert_cmpstr(code, ==, cases[i].code);
        if (cases[i].msg)
            g_assert_nonnull(strstr(f->err.message, cases[i].msg));
        fx_free(f);
    }
}

static void test_d3_lifecycle(void)
{
    g_test_summary("a domain is Pending for minutes, then InService; deleted, it is gone");
    fx *f = fx_new(NULL);
    g_autofree char *id = make_domain(f, NULL);
    describe_domain(f, id);
    g_assert_cmpstr(out_str(f, "Status"), ==, "Pending");
    g_assert_cmpstr(out_str(f, "VpcId"), ==, "vpc-0a000001");   /* the default VPC */
    test_host_advance(&f->host, 30);
    describe_domain(f, id);
    g_assert_cmpstr(out_str(f, "Status"), ==, "Pending");        /* minutes, not seconds */
    test_host_advance(&f->host, 3600);
    describe_domain(f, id);
    g_assert_cmpstr(out_str(f, "Status"), ==, "InService");
    g_assert_true(g_str_has_prefix(out_str(f, "HomeEfsFileSystemId"), "fs-"));
    g_assert_cmpstr(call(f, f->admin, "sagemaker:DeleteDomain", "{\"DomainId\":\"%s\"}", id), ==,
                    NULL);
    describe_domain(f, id);
    g_assert_cmpstr(out_str(f, "Status"), ==, "Deleting");
    test_host_advance(&f->host, 3600);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:DescribeDomain", "{\"DomainId\":\"%s\"}", id),
                    ==, "ResourceNotFound");
    fx_free(f);
}

static void test_d6_key_fixed(void)
{
    g_test_summary("the EFS/EBS key: no UpdateDomain member, used with the creator's rights");
    g_autoptr(cJSON) upd = cJSON_Parse("{\"DomainId\":\"d-x\",\"KmsKeyId\":\"k\"}");
    g_autoptr(cJSON) upd2 = cJSON_Parse("{\"DomainId\":\"d-x\",\"HomeEfsFileSystemKmsKeyId\":\"k\"}");
    g_autoptr(cJSON) crt = cJSON_Parse("{\"DomainName\":\"d\",\"AuthMode\":\"IAM\","
                                       "\"DefaultUserSettings\":{},\"KmsKeyId\":\"k\"}");
    g_autofree char *path = NULL, *suggest = NULL;
    g_assert_true(shapes_unknown_member(api_shapes(), "sagemaker", "UpdateDomain", upd, &path,
                                        &suggest));
    g_clear_pointer(&path, g_free);
    g_clear_pointer(&suggest, g_free);
    g_assert_true(shapes_unknown_member(api_shapes(), "sagemaker", "UpdateDomain", upd2, &path,
                                        &suggest));
    g_clear_pointer(&path, g_free);
    g_clear_pointer(&suggest, g_free);
    g_assert_false(shapes_unknown_member(api_shapes(), "sagemaker", "CreateDomain", crt, &path,
                                         &suggest));

    fx *f = fx_new(NULL);
    g_autofree char *id = make_domain(f, ",\"KmsKeyId\":\"alias/open-key\"");
    test_host_advance(&f->host, 3600);
    describe_domain(f, id);
    g_assert_cmpstr(out_str(f, "Status"), ==, "InService");
    g_assert_cmpuint(count_events(f, "GenerateDataKey", "assumed-role/Admin/test"), ==, 1);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:UpdateDomain",
                         "{\"DomainId\":\"%s\",\"DefaultUserSettings\":{\"StudioWebPortalSettings\":"
                         "{\"HiddenAppTypes\":[\"CodeEditor\"]}}}", id), ==, NULL);
    test_host_advance(&f->host, 3600);
    describe_domain(f, id);
    g_assert_cmpstr(out_str(f, "KmsKeyId"), ==, "alias/open-key");
    g_assert_cmpstr(out_str(f, "Status"), ==, "InService");

    g_autofree char *locked = make_domain(f, ",\"KmsKeyId\":\"alias/closed-key\"");
    test_host_advance(&f->host, 3600);
    describe_domain(f, locked);
    g_assert_cmpstr(out_str(f, "Status"), ==, "Failed");
    g_assert_nonnull(strstr(out_str(f, "FailureReason"), "kms:DescribeKey"));
    fx_free(f);
}

static void test_d5_reachability(void)
{
    g_test_summary("VpcOnly apps need an outbound security group and endpoints or a NAT");
    fx *f = fx_new(NULL);
    load_infra(f, B,
               "{\"vpc-0b000001\":{\"security_groups\":{\"sg-0b000001\":{\"outbound\":true},"
               "\"sg-0b000002\":{\"outbound\":false}}},"
               "\"vpc-0b000002\":{\"interface_endpoints\":{\"sagemaker.api\":\"vpce-0b000001\"},"
               "\"security_groups\":{\"sg-0b000003\":{}}},"
               "\"vpc-0b000003\":{\"interface_endpoints\":{\"sagemaker.api\":\"vpce-0b000002\","
               "\"sagemaker.runtime\":\"vpce-0b000003\"},\"security_groups\":{\"sg-0b000004\":{}}},"
               "\"vpc-0b000004\":{\"nat_gateway\":\"203.0.113.9\",\"security_groups\":{\"sg-0b000005\":{}}}}",
               NULL);
    static const struct { const char *vpc, *sg, *want; } cases[] = {
        { "vpc-0b000001", "sg-0b000001", "sagemaker.api and com.amazonaws." REGION ".sagemaker.runtime" },
        { "vpc-0b000001", "sg-0b000002", "allow no outbound" },
        { "vpc-0b000002", "sg-0b000003", "for com.amazonaws." REGION ".sagemaker.runtime and" },
        { "vpc-0b000003", "sg-0b000004", NULL },
        { "vpc-0b000004", "sg-0b000005", NULL },
        { "vpc-0b000004", "sg-0bffffff", "allow no outbound" },   /* not in this VPC */
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GPtrArray) sgs = g_ptr_array_new();
        g_ptr_array_add(sgs, (gpointer)cases[i].sg);
        g_autofree char *why = sm_domains_unreachable(infra_vpc_get(f->w, B, cases[i].vpc), sgs,
                                                      REGION);
        if (!cases[i].want)
            g_assert_null(why);
        else
            g_assert_nonnull(why && strstr(why, cases[i].want) ? why : NULL);
    }
    g_assert_cmpstr(infra_default_vpc(f->w, B) ? "some" : NULL, ==, NULL);
    fx_free(f);
}

static void test_d2_presigned(void)
{
    g_test_summary("presigned URLs: IAM mode only, restricted by aws:SourceIp, URL hidden in the log");
    fx *f = fx_new(NULL);
    g_ptr_array_add(f->a->identity_center_regions, g_strdup(REGION));
    g_autoptr(cJSON) ic = cJSON_Parse("{\"users\":{\"sam\":{}}}");
    g_assert_true(sso_admin_load_account(f->w, A, REGION, ic, "accounts.x.identity_center",
                                         report_fail, NULL));
    world_role *u = role(f, f->a, "StudioUser", NULL, DOC(
        "{\"Effect\":\"Allow\",\"Action\":\"sagemaker:CreatePresignedDomainUrl\",\"Resource\":\"*\"},"
        "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"NotIpAddress\":"
        "{\"aws:SourceIp\":\"198.51.100.0/24\"}}}"));
    g_autofree char *id = make_domain(f, NULL);
    g_autofree char *sso = NULL;
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateDomain",
                         "{\"DomainName\":\"s\",\"AuthMode\":\"SSO\",\"DefaultUserSettings\":{}}"),
                    ==, NULL);
    sso = g_strdup(out_str(f, "DomainId"));
    test_host_advance(&f->host, 3600);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateUserProfile",
                         "{\"DomainId\":\"%s\",\"UserProfileName\":\"alice\"}", id), ==, NULL);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateUserProfile",
                         "{\"DomainId\":\"%s\",\"UserProfileName\":\"sam\","
                         "\"SingleSignOnUserIdentifier\":\"UserName\","
                         "\"SingleSignOnUserValue\":\"sam\"}", sso), ==, NULL);
    test_host_advance(&f->host, 600);
    g_autoptr(principal) inside = session(f, u);
    g_free(inside->source_ip);
    inside->source_ip = g_strdup("198.51.100.20");
    g_autoptr(principal) outside = session(f, u);
    g_free(outside->source_ip);
    outside->source_ip = g_strdup("192.0.2.1");
    const char *in = "{\"DomainId\":\"%s\",\"UserProfileName\":\"%s\"}";
    g_assert_cmpstr(call(f, inside, "sagemaker:CreatePresignedDomainUrl", in, id, "alice"), ==, NULL);
    g_assert_true(g_str_has_prefix(out_str(f, "AuthorizedUrl"), "https://"));
    const trail_event *ev = f->host.events->pdata[f->host.events->len - 1];
    g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(ev->response_elements, "authorizedUrl")),
                    ==, "HIDDEN_DUE_TO_SECURITY_REASONS");
    g_assert_cmpstr(call(f, outside, "sagemaker:CreatePresignedDomainUrl", in, id, "alice"), ==,
                    "AccessDeniedException");
    g_assert_cmpstr(call(f, inside, "sagemaker:CreatePresignedDomainUrl", in, sso, "sam"), ==,
                    "ValidationException");
    g_assert_cmpstr(call(f, inside, "sagemaker:CreatePresignedDomainUrl", in, id, "nobody"), ==,
                    "ResourceNotFound");
    fx_free(f);
}

static const char *app_status(fx *f, const char *id)
{
    g_assert_cmpstr(call(f, f->admin, "sagemaker:DescribeApp",
                         "{\"DomainId\":\"%s\",\"UserProfileName\":\"domain-shared\","
                         "\"AppType\":\"RStudioServerPro\",\"AppName\":\"default\"}", id), ==, NULL);
    return out_str(f, "Status");
}

static void test_d7_rstudio(void)
{
    g_test_summary("RStudio: license and role checked at start; restarted when Deleted or Failed");
    const char *rs = ",\"DomainSettings\":{\"RStudioServerProDomainSettings\":"
                     "{\"DomainExecutionRoleArn\":\"%s\"}}";
    /* Licensed, the seed's role: InService; deleted, it comes back. */
    fx *f = fx_new("[\"RStudio Workbench\"]");
    g_autofree char *extra = g_strdup_printf(rs, ROLE("RStudio"));
    g_autofree char *id = make_domain(f, extra);
    test_host_advance(&f->host, 7200);
    g_assert_cmpstr(app_status(f, id), ==, "InService");
    g_assert_cmpstr(call(f, f->admin, "sagemaker:DeleteApp",
                         "{\"DomainId\":\"%s\",\"UserProfileName\":\"domain-shared\","
                         "\"AppType\":\"RStudioServerPro\",\"AppName\":\"default\"}", id), ==, NULL);
    test_host_advance(&f->host, 7200);
    g_assert_cmpstr(app_status(f, id), ==, "InService");
    g_assert_cmpuint(count_events(f, "CreateApp", "assumed-role/RStudio/SageMaker"), ==, 1);
    /* A role without the license-manager permissions: Failed, restarted 3 times. */
    g_autofree char *extra2 = g_strdup_printf(rs, ROLE("LogsOnly"));
    g_autofree char *bad = make_domain(f, extra2);
    test_host_advance(&f->host, 86400);
    g_assert_cmpstr(app_status(f, bad), ==, "Failed");
    g_assert_nonnull(strstr(out_str(f, "FailureReason"), "license-manager:"));
    g_assert_cmpuint(count_events(f, "CreateApp", "assumed-role/LogsOnly/SageMaker"), ==, 3);
    fx_free(f);
    /* No license in the account. */
    f = fx_new(NULL);
    g_autofree char *id3 = make_domain(f, extra);
    test_host_advance(&f->host, 86400);
    g_assert_cmpstr(app_status(f, id3), ==, "Failed");
    g_assert_nonnull(strstr(out_str(f, "FailureReason"), "No RStudio Workbench license"));
    /* The app runs only as the domain-shared app of an RStudio domain. */
    g_autofree char *plain = make_domain(f, NULL);
    test_host_advance(&f->host, 3600);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateApp",
                         "{\"DomainId\":\"%s\",\"UserProfileName\":\"domain-shared\","
                         "\"AppType\":\"RStudioServerPro\",\"AppName\":\"default\"}", plain), ==,
                    "ValidationException");
    fx_free(f);
}

static void test_d4_app_role(void)
{
    g_test_summary("apps run as the profile's execution role, assumed by SageMaker");
    fx *f = fx_new(NULL);
    g_autofree char *id = make_domain(f, NULL);
    test_host_advance(&f->host, 3600);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateUserProfile",
                         "{\"DomainId\":\"%s\",\"UserProfileName\":\"alice\"}", id), ==, NULL);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateApp",
                         "{\"DomainId\":\"%s\",\"UserProfileName\":\"alice\","
                         "\"AppType\":\"JupyterServer\",\"AppName\":\"default\"}", id), ==,
                    "ResourceInUse");   /* the profile is still Pending */
    test_host_advance(&f->host, 600);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateApp",
                         "{\"DomainId\":\"%s\",\"UserProfileName\":\"alice\","
                         "\"AppType\":\"JupyterServer\",\"AppName\":\"default\"}", id), ==, NULL);
    g_autofree char *want = sm_domains_app_arn(REGION, A, id, "alice", "JupyterServer", "default");
    g_assert_cmpstr(out_str(f, "AppArn"), ==, want);
    g_assert_true(g_str_has_suffix(want, "/alice/jupyterserver/default"));
    test_host_advance(&f->host, 3600);
    g_assert_cmpuint(count_events(f, "DescribeDomain", "assumed-role/Exec/SageMaker"), ==, 1);
    guint assumed = 0;
    for (guint i = 0; i < f->host.events->len; i++) {
        const trail_event *ev = f->host.events->pdata[i];
        const char *r = cJSON_GetStringValue(cJSON_GetObjectItem(ev->request_parameters, "roleArn"));
        assumed += strcmp(ev->event_name, "AssumeRole") == 0 && g_strcmp0(r, ROLE("Exec")) == 0;
    }
    g_assert_cmpuint(assumed, ==, 1);
    fx_free(f);
}

static void test_d3_create_checks(void)
{
    g_test_summary("tags need sagemaker:AddTags; the domain quota; VpcOnly needs security groups; EBS sizes");
    fx *f = fx_new(NULL);
    world_role *nt = role(f, f->a, "NoTag", NULL, DOC(
        "{\"Effect\":\"Allow\",\"Action\":[\"sagemaker:CreateDomain\",\"iam:PassRole\"],\"Resource\":\"*\"}"));
    g_autoptr(principal) notag = session(f, nt);
    const char *base = "{\"DomainName\":\"d\",\"AuthMode\":\"IAM\",\"DefaultUserSettings\":"
                       "{\"ExecutionRole\":\"" ROLE("Exec") "\"%s}%s}";
    g_assert_cmpstr(call(f, notag, "sagemaker:CreateDomain", base, "",
                         ",\"Tags\":[{\"Key\":\"team\",\"Value\":\"ml\"}]"), ==,
                    "AccessDeniedException");
    g_assert_nonnull(strstr(f->err.message, "sagemaker:AddTags"));
    g_assert_cmpstr(call(f, notag, "sagemaker:CreateDomain", base, "", ""), ==, NULL);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateDomain", base, "",
                         ",\"AppNetworkAccessType\":\"VpcOnly\""), ==, "ValidationException");
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateDomain", base,
                         ",\"SecurityGroups\":[\"sg-0a000001\"]",
                         ",\"AppNetworkAccessType\":\"VpcOnly\""), ==, NULL);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateDomain", base,
                         ",\"SecurityGroups\":[\"sg-0affffff\"]", ""), ==, "ValidationException");
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateDomain", base,
                         ",\"SpaceStorageSettings\":{\"DefaultEbsStorageSettings\":"
                         "{\"DefaultEbsVolumeSizeInGb\":60,\"MaximumEbsVolumeSizeInGb\":50}}", ""), ==,
                    "ValidationException");
    world_set_quota(f->w, f->a, "sagemaker:domains", 2);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateDomain", base, "", ""), ==,
                    "ResourceLimitExceeded");
    fx_free(f);
}

static void test_d5_network_change(void)
{
    g_test_summary("the network access type changes only when no app is InService, Pending or Deleting");
    fx *f = fx_new(NULL);
    g_autofree char *id = make_domain(f, NULL);
    test_host_advance(&f->host, 3600);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateUserProfile",
                         "{\"DomainId\":\"%s\",\"UserProfileName\":\"alice\"}", id), ==, NULL);
    test_host_advance(&f->host, 600);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateApp",
                         "{\"DomainId\":\"%s\",\"UserProfileName\":\"alice\","
                         "\"AppType\":\"KernelGateway\",\"AppName\":\"k\"}", id), ==, NULL);
    const char *upd = "{\"DomainId\":\"%s\",\"AppNetworkAccessType\":\"VpcOnly\","
                      "\"DefaultUserSettings\":{\"SecurityGroups\":[\"sg-0a000001\"]}}";
    g_assert_cmpstr(call(f, f->admin, "sagemaker:UpdateDomain", upd, id), ==, "ResourceInUse");
    g_assert_cmpstr(call(f, f->admin, "sagemaker:DeleteApp",
                         "{\"DomainId\":\"%s\",\"UserProfileName\":\"alice\","
                         "\"AppType\":\"KernelGateway\",\"AppName\":\"k\"}", id), ==, NULL);
    test_host_advance(&f->host, 3600);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:UpdateDomain", upd, id), ==, NULL);
    test_host_advance(&f->host, 3600);
    describe_domain(f, id);
    g_assert_cmpstr(out_str(f, "AppNetworkAccessType"), ==, "VpcOnly");
    /* The default VPC has neither endpoints nor a NAT gateway: a new app fails. */
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateApp",
                         "{\"DomainId\":\"%s\",\"UserProfileName\":\"alice\","
                         "\"AppType\":\"KernelGateway\",\"AppName\":\"k\"}", id), ==, NULL);
    test_host_advance(&f->host, 3600);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:DescribeApp",
                         "{\"DomainId\":\"%s\",\"UserProfileName\":\"alice\","
                         "\"AppType\":\"KernelGateway\",\"AppName\":\"k\"}", id), ==, NULL);
    g_assert_cmpstr(out_str(f, "Status"), ==, "Failed");
    fx_free(f);
}

static void test_d7_rstudio_by_update(void)
{
    g_test_summary("RStudio added to an existing domain starts the RStudioServerPro app");
    fx *f = fx_new("[\"RStudio Workbench\"]");
    g_autofree char *id = make_domain(f, NULL);
    test_host_advance(&f->host, 3600);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:UpdateDomain",
                         "{\"DomainId\":\"%s\",\"DomainSettingsForUpdate\":"
                         "{\"RStudioServerProDomainSettingsForUpdate\":"
                         "{\"DomainExecutionRoleArn\":\"" ROLE("NoTrust") "\"}}}", id), ==,
                    "ValidationException");
    g_assert_cmpstr(call(f, f->admin, "sagemaker:UpdateDomain",
                         "{\"DomainId\":\"%s\",\"DomainSettingsForUpdate\":"
                         "{\"RStudioServerProDomainSettingsForUpdate\":"
                         "{\"DomainExecutionRoleArn\":\"" ROLE("RStudio") "\"}}}", id), ==, NULL);
    test_host_advance(&f->host, 7200);
    g_assert_cmpstr(app_status(f, id), ==, "InService");
    describe_domain(f, id);
    g_assert_nonnull(cJSON_GetObjectItem(cJSON_GetObjectItem(f->out, "DomainSettings"),
                                         "RStudioServerProDomainSettings"));
    fx_free(f);
}

/* How many times SageMaker assumed role_arn. */
static guint assumed(const fx *f, const char *role_arn)
{
    guint n = 0;
    for (guint i = 0; i < f->host.events->len; i++) {
        const trail_event *ev = f->host.events->pdata[i];
        const char *r = cJSON_GetStringValue(cJSON_GetObjectItem(ev->request_parameters, "roleArn"));
        g_autofree char *type = test_identity_member(ev, "type");
        n += strcmp(ev->event_name, "AssumeRole") == 0 && g_strcmp0(r, role_arn) == 0 &&
             g_strcmp0(ev->caller_account, A) == 0 && g_strcmp0(type, "AWSService") == 0;
    }
    return n;
}

static void test_d4_space_roles(void)
{
    g_test_summary("a private space's apps run as its owner's role, a shared space's as the domain's");
    fx *f = fx_new(NULL);
    g_autofree char *id = make_domain(f, NULL);
    test_host_advance(&f->host, 3600);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateUserProfile",
                         "{\"DomainId\":\"%s\",\"UserProfileName\":\"bob\",\"UserSettings\":"
                         "{\"ExecutionRole\":\"" ROLE("Exec2") "\"}}", id), ==, NULL);
    test_host_advance(&f->host, 600);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateSpace",
                         "{\"DomainId\":\"%s\",\"SpaceName\":\"mine\",\"OwnershipSettings\":"
                         "{\"OwnerUserProfileName\":\"bob\"},\"SpaceSharingSettings\":"
                         "{\"SharingType\":\"Private\"}}", id), ==, NULL);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateSpace",
                         "{\"DomainId\":\"%s\",\"SpaceName\":\"ours\"}", id), ==, NULL);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateSpace",
                         "{\"DomainId\":\"%s\",\"SpaceName\":\"x\",\"SpaceSharingSettings\":"
                         "{\"SharingType\":\"Shared\"}}", id), ==, "ValidationException");
    test_host_advance(&f->host, 600);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateApp",
                         "{\"DomainId\":\"%s\",\"SpaceName\":\"mine\","
                         "\"AppType\":\"JupyterLab\",\"AppName\":\"default\"}", id), ==, NULL);
    test_host_advance(&f->host, 3600);
    g_assert_cmpuint(assumed(f, ROLE("Exec2")), ==, 1);
    g_assert_cmpuint(assumed(f, ROLE("Exec")), ==, 0);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateApp",
                         "{\"DomainId\":\"%s\",\"SpaceName\":\"ours\","
                         "\"AppType\":\"JupyterLab\",\"AppName\":\"default\"}", id), ==, NULL);
    test_host_advance(&f->host, 3600);
    g_assert_cmpuint(assumed(f, ROLE("Exec")), ==, 1);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:DeleteSpace",
                         "{\"DomainId\":\"%s\",\"SpaceName\":\"ours\"}", id), ==, "ResourceInUse");
    g_assert_cmpstr(call(f, f->admin, "sagemaker:DeleteUserProfile",
                         "{\"DomainId\":\"%s\",\"UserProfileName\":\"bob\"}", id), ==,
                    "ResourceInUse");   /* bob owns a space */
    fx_free(f);
}

static void test_bad_input(void)
{
    g_test_summary("odd and wrong input gets SageMaker's errors, never a crash");
    static const struct { const char *action, *input, *code; } cases[] = {
        { "sagemaker:DescribeDomain", "{\"DomainId\":\"d-nothere\"}", "ResourceNotFound" },
        { "sagemaker:UpdateDomain", "{\"DomainId\":\"d-nothere\"}", "ResourceNotFound" },
        { "sagemaker:DeleteDomain", "{\"DomainId\":\"d-nothere\"}", "ResourceNotFound" },
        { "sagemaker:CreateUserProfile", "{\"DomainId\":\"d-nothere\",\"UserProfileName\":\"u\"}",
          "ResourceNotFound" },
        { "sagemaker:DescribeUserProfile", "{\"DomainId\":\"%s\",\"UserProfileName\":\"nobody\"}",
          "ResourceNotFound" },
        { "sagemaker:UpdateUserProfile", "{\"DomainId\":\"%s\",\"UserProfileName\":\"nobody\"}",
          "ResourceNotFound" },
        { "sagemaker:DeleteUserProfile", "{\"DomainId\":\"%s\",\"UserProfileName\":\"nobody\"}",
          "ResourceNotFound" },
        { "sagemaker:CreateUserProfile", "{\"DomainId\":\"%s\",\"UserProfileName\":\"domain-shared\"}",
          "ResourceInUse" },
        { "sagemaker:CreateApp", "{\"DomainId\":\"%s\",\"AppType\":\"JupyterServer\",\"AppName\":\"a\"}",
          "ValidationException" },
        { "sagemaker:CreateApp", "{\"DomainId\":\"%s\",\"UserProfileName\":\"u\",\"SpaceName\":\"s\","
          "\"AppType\":\"JupyterServer\",\"AppName\":\"a\"}", "ValidationException" },
        { "sagemaker:CreateApp", "{\"DomainId\":\"%s\",\"UserProfileName\":\"nobody\","
          "\"AppType\":\"JupyterServer\",\"AppName\":\"a\"}", "ResourceNotFound" },
        { "sagemaker:CreateApp", "{\"DomainId\":\"%s\",\"SpaceName\":\"none\","
          "\"AppType\":\"JupyterLab\",\"AppName\":\"a\"}", "ResourceNotFound" },
        { "sagemaker:CreateApp", "{\"DomainId\":\"%s\",\"UserProfileName\":\"u\","
          "\"AppType\":\"RSessionGateway\",\"AppName\":\"a\"}", "ValidationException" },
        { "sagemaker:DescribeApp", "{\"DomainId\":\"%s\",\"UserProfileName\":\"u\","
          "\"AppType\":\"JupyterServer\",\"AppName\":\"a\"}", "ResourceNotFound" },
        { "sagemaker:DeleteApp", "{\"DomainId\":\"%s\",\"UserProfileName\":\"u\","
          "\"AppType\":\"JupyterServer\",\"AppName\":\"a\"}", "ResourceNotFound" },
        { "sagemaker:CreateSpace", "{\"DomainId\":\"%s\",\"SpaceName\":\"s\",\"OwnershipSettings\":"
          "{\"OwnerUserProfileName\":\"nobody\"}}", "ResourceNotFound" },
        { "sagemaker:DescribeSpace", "{\"DomainId\":\"%s\",\"SpaceName\":\"none\"}", "ResourceNotFound" },
        { "sagemaker:DeleteSpace", "{\"DomainId\":\"%s\",\"SpaceName\":\"none\"}", "ResourceNotFound" },
        { "sagemaker:ListApps", "{\"NextToken\":\"zz\"}", "ValidationException" },
        { "sagemaker:ListDomains", "{\"NextToken\":\"99\"}", "ValidationException" },
        { "sagemaker:ListUserProfiles", "{\"DomainIdEquals\":\"%s\",\"MaxResults\":1}", NULL },
        { "sagemaker:ListSpaces", "{\"SortBy\":\"LastModifiedTime\",\"SortOrder\":\"Ascending\"}", NULL },
        { "sagemaker:CreatePresignedDomainUrl", "{\"DomainId\":\"%s\",\"UserProfileName\":\"u\","
          "\"SpaceName\":\"none\"}", "ResourceNotFound" },
        { "sagemaker:UpdateDomain", "{\"DomainId\":\"%s\",\"VpcId\":\"vpc-0fffffff\"}", "ValidationException" },
        { "sagemaker:UpdateDomain", "{\"DomainId\":\"%s\",\"SubnetIds\":[\"subnet-0fffffff\"]}",
          "ValidationException" },
        { "sagemaker:CreateDomain", "{\"DomainName\":\"d\",\"AuthMode\":\"IAM\",\"DefaultUserSettings\":{},"
          "\"KmsKeyId\":\"a\",\"HomeEfsFileSystemKmsKeyId\":\"b\"}", "ValidationException" },
    };
    fx *f = fx_new(NULL);
    g_autofree char *id = make_domain(f, NULL);
    test_host_advance(&f->host, 3600);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateUserProfile",
                         "{\"DomainId\":\"%s\",\"UserProfileName\":\"u\"}", id), ==, NULL);
    test_host_advance(&f->host, 600);
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_test_message("case %zu: %s", i, cases[i].action);
        g_assert_cmpstr(call(f, f->admin, cases[i].action, cases[i].input, id), ==, cases[i].code);
    }
    /* Another account's domain id is not found from here. */
    world_account *b = world_account_get(f->w, B);
    world_role *rb = role(f, b, "Admin", NULL, DOC("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}"));
    g_autoptr(principal) pb = session(f, rb);
    g_assert_cmpstr(call(f, pb, "sagemaker:DescribeDomain", "{\"DomainId\":\"%s\"}", id), ==,
                    "ResourceNotFound");
    g_assert_cmpstr(call(f, pb, "sagemaker:ListDomains", "{}"), ==, NULL);
    g_assert_cmpint(cJSON_GetArraySize(cJSON_GetObjectItem(f->out, "Domains")), ==, 0);
    fx_free(f);
}

static void test_d3_space_sizes(void)
{
    g_test_summary("a space's EBS volume stays within the domain's maximum space size");
    fx *f = fx_new(NULL);
    g_autofree char *id = NULL;
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateDomain",
                         "{\"DomainName\":\"d\",\"AuthMode\":\"IAM\",\"DefaultUserSettings\":"
                         "{\"ExecutionRole\":\"" ROLE("Exec") "\",\"SpaceStorageSettings\":"
                         "{\"DefaultEbsStorageSettings\":{\"DefaultEbsVolumeSizeInGb\":10,"
                         "\"MaximumEbsVolumeSizeInGb\":50}}}}"), ==, NULL);
    id = g_strdup(out_str(f, "DomainId"));
    test_host_advance(&f->host, 3600);
    const char *sp = "{\"DomainId\":\"%s\",\"SpaceName\":\"%s\",\"SpaceSettings\":"
                     "{\"SpaceStorageSettings\":{\"EbsStorageSettings\":{\"EbsVolumeSizeInGb\":%d}}}}";
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateSpace", sp, id, "big", 60), ==,
                    "ValidationException");
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateSpace", sp, id, "ok", 50), ==, NULL);
    fx_free(f);
}

/* ---- configuration errors -------------------------------------------------------------- */

static void collect(void *ud, const cJSON *node, bool at_key, const char *path, const char *msg)
{
    (void)node; (void)at_key;
    g_string_append_printf(ud, "%s: %s\n", path, msg);
}

static void test_infra_config_errors(void)
{
    g_test_summary("bad vpcs/licenses keys are reported with their JSON paths");
    static const struct { const char *vpcs, *licenses, *want; } cases[] = {
        { "{\"vpc-1\":{}}", NULL, "accounts.x.vpcs.vpc-1: \"vpc-1\" is not a VPC id" },
        { "{\"vpc-0a000001\":{\"nat\":true}}", NULL, "unknown key \"nat\"" },
        { "{\"vpc-0a000001\":{\"default\":true},\"vpc-0a000002\":{\"default\":true}}", NULL,
          "at most one default VPC" },
        { "{\"vpc-0a000001\":{\"interface_endpoints\":{\"sagemaker.api\":\"x\"}}}", NULL,
          "vpcs.vpc-0a000001.interface_endpoints.sagemaker.api: an interface endpoint" },
        { "{\"vpc-0a000001\":{\"security_groups\":{\"sg-0a000001\":{\"outbound\":\"yes\"}}}}", NULL,
          "outbound must be true or false" },
        { "{\"vpc-0a000001\":{\"nat_gateway\":true}}", NULL, "NAT gateway's public IP" },
        { NULL, "[1]", "accounts.x.licenses[0]: a license is named by its product name" },
        { "[]", NULL, "vpcs is an object" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(world) w = world_new(1, REGION, 0);
        g_autoptr(cJSON) v = cases[i].vpcs ? cJSON_Parse(cases[i].vpcs) : NULL;
        g_autoptr(cJSON) l = cases[i].licenses ? cJSON_Parse(cases[i].licenses) : NULL;
        g_autoptr(GString) got = g_string_new(NULL);
        g_assert_false(infra_load_account(w, A, v, l, "accounts.x", collect, got));
        g_test_message("%s", got->str);
        g_assert_nonnull(strstr(got->str, cases[i].want));
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();
    g_test_add_func("/domains/D1/sso-needs-identity-center-in-region", test_d1_sso_region);
    g_test_add_func("/domains/D3/execution-role-passed-and-trusted", test_d3_roles);
    g_test_add_func("/domains/D3/pending-inservice-deleting-gone", test_d3_lifecycle);
    g_test_add_func("/domains/D4/apps-run-as-profile-role", test_d4_app_role);
    g_test_add_func("/domains/D4/space-apps-run-as-owner-or-domain-role", test_d4_space_roles);
    g_test_add_func("/domains/D5/vpconly-reachability", test_d5_reachability);
    g_test_add_func("/domains/D6/kms-key-fixed-and-used-with-creator-rights", test_d6_key_fixed);
    g_test_add_func("/domains/D2/presigned-url-iam-only-and-ip-restricted", test_d2_presigned);
    g_test_add_func("/domains/D7/rstudio-license-role-restart", test_d7_rstudio);
    g_test_add_func("/domains/D3/create-checks-tags-quota-sgs-ebs", test_d3_create_checks);
    g_test_add_func("/domains/D3/space-size-within-domain-maximum", test_d3_space_sizes);
    g_test_add_func("/domains/D5/network-change-needs-no-live-apps", test_d5_network_change);
    g_test_add_func("/domains/D7/rstudio-added-by-update", test_d7_rstudio_by_update);
    g_test_add_func("/domains/bad-input-gets-aws-errors", test_bad_input);
    g_test_add_func("/infra/config-errors", test_infra_config_errors);
    return g_test_run();
}
