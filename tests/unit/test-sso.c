/* tests/unit/test-sso.c: IAM Identity Center users, groups and application
 * assignments (model/sso_admin) and the Studio sign-in of an SSO domain's
 * users (SPEC D4, D1).
 *
 * A small host fires pending happenings in (time, seq) order and collects
 * trail events; everything is driven through api_invoke, as actors drive it. */
#include <glib.h>
#include <stdarg.h>
#include <string.h>

#include "model/api.h"
#include "model/world_int.h"
#include "tests/unit/host.h"
#include "model/sm_domains.h"
#include "model/sso_admin.h"

#define A "111111111111"
#define B "222222222222"
#define REGION "us-east-1"
#define APP_A "arn:aws:sso::" A ":application/ssoins-1111111111111111/apl-1111111111111111"
#define APP_B "arn:aws:sso::" B ":application/ssoins-2222222222222222/apl-2222222222222222"
#define G_ML "0123456789-00000000-0000-4000-8000-000000000001"
#define U_ALICE "0123456789-00000000-0000-4000-8000-00000000000a"
#define DOC(...) "{\"Version\":\"2012-10-17\",\"Statement\":[" __VA_ARGS__ "]}"
#define IC "{\"groups\":{\"ml-team\":{\"group_id\":\"" G_ML "\"},\"analysts\":{}}," \
           "\"users\":{\"alice\":{\"groups\":[\"ml-team\"],\"user_id\":\"" U_ALICE "\"}," \
           "\"bob\":{},\"carol\":{\"groups\":[\"analysts\",\"ml-team\"]}}}"

/* ---- the host ------------------------------------------------------------------------ */

typedef struct fx {
    world *w;
    test_host host;      /* clock, pending happenings, events, notes */
    cJSON *out;
    api_error err;
    principal *admin, *reader, *other;
} fx;

/* ---- the world ------------------------------------------------------------------------- */

static void report_fail(void *ud, const cJSON *node, bool at_key, const char *path,
                        const char *msg)
{
    (void)ud; (void)node; (void)at_key;
    g_error("unexpected config problem at %s: %s", path, msg);
}

static world_policy *policy(const char *text)
{
    g_autoptr(cJSON) doc = cJSON_Parse(text);
    g_assert_nonnull(doc);
    g_autoptr(GError) err = NULL;
    world_policy *p = world_policy_new("inline", NULL, doc, &err);
    g_assert_no_error(err);
    return p;
}

static principal *role_session(fx *f, world_account *acct, const char *name, const char *trust,
                               const char *pol)
{
    world_role *r = world_add_role(f->w, acct, name, NULL, trust ? policy(trust) : NULL);
    if (pol)
        g_ptr_array_add(r->inline_policies, policy(pol));
    g_autoptr(GError) err = NULL;
    principal *p = world_principal_for(f->w, r->arn, "test", &err);
    g_assert_no_error(err);
    return p;
}

static fx *fx_new(uint64_t seed)
{
    fx *f = g_new0(fx, 1);
    f->w = world_new(seed, REGION, 1772442000);
    test_host_init(&f->host, f->w);
    world_account *a = world_add_account(f->w, A, "team");
    world_account *b = world_add_account(f->w, B, "other");
    g_ptr_array_add(a->identity_center_regions, g_strdup(REGION));
    g_ptr_array_add(b->identity_center_regions, g_strdup(REGION));
    g_autoptr(cJSON) ic = cJSON_Parse(IC);
    g_assert_true(sso_admin_load_account(f->w, A, REGION, ic, "accounts.team.identity_center",
                                         report_fail, NULL));
    g_assert_true(sso_admin_load_account(f->w, B, REGION, ic, "accounts.other.identity_center",
                                         report_fail, NULL));
    g_autoptr(cJSON) vpcs = cJSON_Parse("{\"vpc-0a000001\":{\"default\":true,\"subnets\":"
                                        "{\"subnet-0a000001\":{\"az\":\"us-east-1a\"}}}}");
    g_assert_true(infra_load_account(f->w, A, vpcs, NULL, "accounts.team", report_fail, NULL));
    const char *all = DOC("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}");
    f->admin = role_session(f, a, "Admin", NULL, all);
    f->reader = role_session(f, a, "Reader", NULL,
                             DOC("{\"Effect\":\"Allow\",\"Action\":[\"sso:List*\",\"sso:Describe*\"],"
                                 "\"Resource\":\"*\"}"));
    f->other = role_session(f, b, "Admin", NULL, all);
    principal_free(role_session(f, a, "Exec", DOC("{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
                                   "\"sagemaker.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}"),
                 NULL));
    return f;
}

static void fx_free(fx *f)
{
    cJSON_Delete(f->out);
    api_error_clear(&f->err);
    principal_free(f->admin);
    principal_free(f->reader);
    principal_free(f->other);
    test_host_clear(&f->host);
    world_free(f->w);
    g_free(f);
}

#define call(f, p, action, ...) \
    test_host_call(&(f)->host, p, action, &(f)->out, &(f)->err, __VA_ARGS__)

static const char *assign(fx *f, const principal *p, const char *op, const char *app,
                          const char *type, const char *id)
{
    g_autofree char *action = g_strdup_printf("sso:%s", op);
    return call(f, p, action, "{\"ApplicationArn\":\"%s\",\"PrincipalType\":\"%s\","
                "\"PrincipalId\":\"%s\"}", app, type, id);
}

#define out_str test_str

/* ---- cases ----------------------------------------------------------------------------- */

static void test_ids(void)
{
    g_test_summary("identity-store ids: given ones kept, drawn ones valid, per seed");
    fx *f = fx_new(3), *g = fx_new(3), *h = fx_new(4);
    g_assert_cmpstr(sso_admin_user_id(f->w, A, "alice"), ==, U_ALICE);
    const char *bob = sso_admin_user_id(f->w, A, "bob");
    g_assert_nonnull(bob);
    g_assert_true(g_regex_match_simple("^[0-9a-f]{10}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-"
                                       "[0-9a-f]{4}-[0-9a-f]{12}$", bob, 0, 0));
    g_assert_cmpstr(bob, ==, sso_admin_user_id(g->w, A, "bob"));
    g_assert_cmpstr(bob, !=, sso_admin_user_id(h->w, A, "bob"));
    g_assert_cmpstr(bob, !=, sso_admin_user_id(f->w, B, "bob"));    /* per account */
    g_assert_cmpstr(sso_admin_user_id(f->w, A, "mallory"), ==, NULL);
    const char *ins = sso_admin_instance_id(f->w, A);
    g_assert_true(g_regex_match_simple("^ssoins-[0-9a-f]{16}$", ins, 0, 0));
    g_assert_cmpstr(ins, ==, sso_admin_instance_id(g->w, A));
    g_assert_cmpstr(ins, !=, sso_admin_instance_id(f->w, B));
    fx_free(f);
    fx_free(g);
    fx_free(h);
}

typedef struct bad_cfg {
    const char *ic, *region, *want_path, *want_msg;
} bad_cfg;

static void collect(void *ud, const cJSON *node, bool at_key, const char *path, const char *msg)
{
    (void)node; (void)at_key;
    g_ptr_array_add(ud, g_strdup_printf("%s: %s", path, msg));
}

static void test_config_errors(void)
{
    g_test_summary("bad identity_center set-ups are reported with their JSON path");
    static const bad_cfg cases[] = {
        { "{\"users\":{}}", NULL, "x.identity_center", "needs the instance's region" },
        { "{\"user\":{}}", REGION, "x.identity_center.user", "unknown key \"user\"" },
        { "{\"users\":{\"a\":{\"groups\":[\"nope\"]}}}", REGION,
          "x.identity_center.users.a.groups[0]", "nope is not a group" },
        { "{\"users\":{\"a\":{\"user_id\":\"U-1\"}}}", REGION,
          "x.identity_center.users.a.user_id", "identity-store id" },
        { "{\"groups\":{\"g\":[]}}", REGION, "x.identity_center.groups.g", "a group is an object" },
        { "{\"groups\":{\"g\":{\"group_id\":\"" G_ML "\"}},\"users\":{\"u\":{\"user_id\":\""
          G_ML "\"}}}", REGION, "x.identity_center.users.u", "already defined" },
        { "[]", REGION, "x.identity_center", "identity_center is an object" },
        { "{\"users\":{\"a\":{\"groups\":\"ml\"}}}", REGION, "x.identity_center.users.a.groups",
          "a list of group names" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        world *w = world_new(1, REGION, 0);
        world_add_account(w, A, NULL);
        g_autoptr(cJSON) ic = cJSON_Parse(cases[i].ic);
        g_autoptr(GPtrArray) got = g_ptr_array_new_with_free_func(g_free);
        g_assert_false(sso_admin_load_account(w, A, cases[i].region, ic, "x.identity_center",
                                              collect, got));
        g_autofree char *want = g_strdup_printf("%s: ", cases[i].want_path);
        bool found = false;
        for (guint k = 0; k < got->len; k++)
            found |= g_str_has_prefix(got->pdata[k], want) &&
                     strstr(got->pdata[k], cases[i].want_msg) != NULL;
        if (!found)
            g_test_message("case %zu: got %s", i, got->len ? (char *)got->pdata[0] : "(nothing)");
        g_assert_true(found);
        world_free(w);
    }
}

static void test_assignments(void)
{
    g_test_summary("sso-admin assignments: AWS's errors, sorted listing, IAM, caller's log");
    fx *f = fx_new(3);
    sso_admin_app_add(f->w, A, APP_A);
    sso_admin_app_add(f->w, B, APP_B);
    const char *bob = sso_admin_user_id(f->w, A, "bob");
    g_assert_cmpstr(assign(f, f->admin, "CreateApplicationAssignment", APP_A, "USER", bob), ==, NULL);
    g_assert_cmpstr(assign(f, f->admin, "CreateApplicationAssignment", APP_A, "GROUP", G_ML), ==, NULL);
    static const struct { const char *app, *type, *id, *want; } bad[] = {
        { APP_A, "GROUP", G_ML, "ConflictException" },                  /* duplicate */
        { APP_A, "USER", G_ML, "ResourceNotFoundException" },           /* a group's id */
        { APP_A, "USER", "0123456789-00000000-0000-4000-8000-0000000000ff",
          "ResourceNotFoundException" },                                /* nobody */
        { APP_A, "ROLE", U_ALICE, "ValidationException" },              /* not USER|GROUP */
        { APP_A, "USER", "alice", "ValidationException" },               /* not an id */
        { APP_B, "USER", U_ALICE, "AccessDeniedException" },            /* another account's */
        { "arn:aws:sso::" A ":application/ssoins-1111111111111111/apl-9999999999999999",
          "USER", U_ALICE, "ResourceNotFoundException" },               /* no such app */
        { "arn:aws:sso::" A ":app/x", "USER", U_ALICE, "ValidationException" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++)
        g_assert_cmpstr(assign(f, f->admin, "CreateApplicationAssignment", bad[i].app,
                               bad[i].type, bad[i].id), ==, bad[i].want);
    /* B's admin may do anything in B, but the application is A's and has no
     * resource policy: IAM refuses the cross-account call. */
    g_assert_cmpstr(assign(f, f->other, "DescribeApplicationAssignment", APP_A, "GROUP", G_ML),
                    ==, "AccessDeniedException");
    g_assert_cmpstr(assign(f, f->reader, "CreateApplicationAssignment", APP_A, "USER", U_ALICE),
                    ==, "AccessDeniedException");
    g_assert_cmpstr(assign(f, f->reader, "DescribeApplicationAssignment", APP_A, "GROUP", G_ML),
                    ==, NULL);
    g_assert_cmpstr(out_str(f->out, "PrincipalId"), ==, G_ML);
    g_assert_cmpstr(out_str(f->out, "PrincipalType"), ==, "GROUP");
    g_assert_cmpstr(out_str(f->out, "ApplicationArn"), ==, APP_A);
    g_assert_cmpstr(assign(f, f->reader, "DescribeApplicationAssignment", APP_A, "USER", U_ALICE),
                    ==, "ResourceNotFoundException");
    g_assert_cmpstr(call(f, f->reader, "sso:ListApplicationAssignments",
                         "{\"ApplicationArn\":\"" APP_A "\"}"), ==, NULL);
    const cJSON *list = cJSON_GetObjectItem(f->out, "ApplicationAssignments");
    g_assert_cmpint(cJSON_GetArraySize(list), ==, 2);
    g_assert_cmpstr(out_str(cJSON_GetArrayItem(list, 0), "PrincipalType"), ==, "GROUP");
    g_assert_cmpstr(out_str(cJSON_GetArrayItem(list, 1), "PrincipalId"), ==, bob);
    g_assert_cmpstr(call(f, f->reader, "sso:ListApplicationAssignments",
                         "{\"ApplicationArn\":\"" APP_A "\",\"MaxResults\":1}"), ==, NULL);
    g_assert_cmpstr(out_str(f->out, "NextToken"), ==, "1");
    g_assert_cmpstr(call(f, f->reader, "sso:ListApplicationAssignments",
                         "{\"ApplicationArn\":\"" APP_A "\",\"NextToken\":\"x\"}"),
                    ==, "ValidationException");
    g_assert_cmpstr(assign(f, f->admin, "DeleteApplicationAssignment", APP_A, "USER", bob), ==, NULL);
    g_assert_cmpstr(assign(f, f->admin, "DeleteApplicationAssignment", APP_A, "USER", bob),
                    ==, "ResourceNotFoundException");
    /* A forgotten application (its domain deleted) takes no more calls. */
    sso_admin_app_remove(f->w, APP_A);
    g_assert_cmpstr(call(f, f->admin, "sso:ListApplicationAssignments",
                         "{\"ApplicationArn\":\"" APP_A "\"}"), ==, "ResourceNotFoundException");
    /* Every call went to the caller's log, with sso-admin's event source. */
    guint n = 0;
    for (guint i = 0; i < f->host.events->len; i++) {
        const trail_event *ev = f->host.events->pdata[i];
        g_assert_cmpstr(ev->event_source, ==, "sso.amazonaws.com");
        g_assert_cmpuint(ev->recipients->len, ==, 1);
        g_assert_cmpstr(ev->recipients->pdata[0], ==, ev->caller_account);
        n++;
    }
    g_assert_cmpuint(n, ==, 2 + G_N_ELEMENTS(bad) + 10);
    fx_free(f);
}

static void test_group_access(void)
{
    g_test_summary("a user reaches an application directly or through a group; removal ends it");
    fx *f = fx_new(3);
    sso_admin_app_add(f->w, A, APP_A);
    const char *carol = sso_admin_user_id(f->w, A, "carol");
    const char *bob = sso_admin_user_id(f->w, A, "bob");
    const char *via = "unset";
    g_assert_false(sso_admin_has_access(f->w, APP_A, U_ALICE, &via));
    g_assert_null(via);
    g_assert_cmpstr(assign(f, f->admin, "CreateApplicationAssignment", APP_A, "GROUP", G_ML), ==, NULL);
    g_assert_true(sso_admin_has_access(f->w, APP_A, U_ALICE, &via));
    g_assert_cmpstr(via, ==, "ml-team");
    /* The same through the API AWS points to for testing a user's access. */
    g_assert_cmpstr(call(f, f->reader, "sso:ListInstances", "{}"), ==, NULL);
    const cJSON *inst = cJSON_GetArrayItem(cJSON_GetObjectItem(f->out, "Instances"), 0);
    g_autofree char *iarn = g_strdup(out_str(inst, "InstanceArn"));
    g_autofree char *want = g_strdup_printf("arn:aws:sso:::instance/%s", sso_admin_instance_id(f->w, A));
    g_assert_cmpstr(iarn, ==, want);
    g_assert_true(g_regex_match_simple("^d-[0-9a-f]{10}$", out_str(inst, "IdentityStoreId"), 0, 0));
    const char *fp = "{\"InstanceArn\":\"%s\",\"PrincipalType\":\"%s\",\"PrincipalId\":\"%s\"}";
    g_assert_cmpstr(call(f, f->reader, "sso:ListApplicationAssignmentsForPrincipal", fp, iarn,
                         "USER", carol), ==, NULL);
    const cJSON *rows = cJSON_GetObjectItem(f->out, "ApplicationAssignments");
    g_assert_cmpint(cJSON_GetArraySize(rows), ==, 1);
    g_assert_cmpstr(out_str(cJSON_GetArrayItem(rows, 0), "ApplicationArn"), ==, APP_A);
    g_assert_cmpstr(out_str(cJSON_GetArrayItem(rows, 0), "PrincipalId"), ==, carol);
    g_assert_cmpstr(call(f, f->reader, "sso:ListApplicationAssignmentsForPrincipal", fp, iarn,
                         "USER", bob), ==, NULL);
    g_assert_cmpint(cJSON_GetArraySize(cJSON_GetObjectItem(f->out, "ApplicationAssignments")), ==, 0);
    g_assert_cmpstr(call(f, f->reader, "sso:ListApplicationAssignmentsForPrincipal", fp, iarn,
                         "GROUP", U_ALICE), ==, "ResourceNotFoundException");
    g_assert_cmpstr(call(f, f->other, "sso:ListApplicationAssignmentsForPrincipal", fp, iarn,
                         "USER", U_ALICE), ==, "ResourceNotFoundException");   /* A's instance */
    g_assert_true(sso_admin_has_access(f->w, APP_A, carol, &via));   /* second of her groups */
    g_assert_cmpstr(via, ==, "ml-team");
    g_assert_false(sso_admin_has_access(f->w, APP_A, bob, NULL));
    g_assert_false(sso_admin_has_access(f->w, APP_B, U_ALICE, NULL)); /* unregistered app */
    g_assert_cmpstr(assign(f, f->admin, "CreateApplicationAssignment", APP_A, "USER", U_ALICE), ==, NULL);
    g_assert_cmpstr(assign(f, f->admin, "DeleteApplicationAssignment", APP_A, "GROUP", G_ML), ==, NULL);
    g_assert_true(sso_admin_has_access(f->w, APP_A, U_ALICE, &via));  /* still directly */
    g_assert_null(via);
    g_assert_false(sso_admin_has_access(f->w, APP_A, carol, NULL));
    fx_free(f);
}

static char *sign_in(fx *f, const char *domain, const char *user, char **why)
{
    g_clear_pointer(why, g_free);
    return sm_domains_sso_sign_in(f->w, A, domain, user, why);
}

static void test_studio_sign_in(void)
{
    g_test_summary("an SSO domain's Studio: directory users get profiles, assigned ones sign in");
    fx *f = fx_new(3);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateDomain",
                         "{\"DomainName\":\"s\",\"AuthMode\":\"SSO\",\"DefaultUserSettings\":"
                         "{\"ExecutionRole\":\"arn:aws:iam::" A ":role/Exec\"}}"), ==, NULL);
    g_autofree char *dom = g_strdup(out_str(f->out, "DomainId"));
    g_autofree char *why = NULL;
    g_assert_null(sign_in(f, dom, "alice", &why));                 /* still Pending */
    test_host_advance(&f->host, 3600);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:DescribeDomain", "{\"DomainId\":\"%s\"}", dom),
                    ==, NULL);
    g_autofree char *app = g_strdup(out_str(f->out, "SingleSignOnApplicationArn"));
    g_autofree char *prefix = g_strdup_printf("arn:aws:sso::%s:application/%s/apl-", A,
                                              sso_admin_instance_id(f->w, A));
    g_assert_true(g_str_has_prefix(app, prefix));
    const char *prof = "{\"DomainId\":\"%s\",\"UserProfileName\":\"%s\","
                       "\"SingleSignOnUserIdentifier\":\"UserName\",\"SingleSignOnUserValue\":\"%s\"}";
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateUserProfile", prof, dom, "m", "mallory"),
                    ==, "ValidationException");
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateUserProfile", prof, dom, "alice", "alice"),
                    ==, NULL);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateUserProfile", prof, dom, "alice2", "alice"),
                    ==, "ResourceInUse");
    test_host_advance(&f->host, 600);
    /* A profile without an assignment: Studio refuses, with SageMaker's message. */
    g_assert_null(sign_in(f, dom, "alice", &why));
    g_assert_true(g_str_has_prefix(why, "Access Denied. Please check if user is assigned"));
    g_assert_cmpstr(assign(f, f->admin, "CreateApplicationAssignment", app, "GROUP", G_ML), ==, NULL);
    g_autofree char *p = sign_in(f, dom, "alice", &why);
    g_assert_cmpstr(p, ==, "alice");
    /* carol is in ml-team too, but has no profile yet. */
    g_assert_null(sign_in(f, dom, "carol", &why));
    g_assert_nonnull(strstr(why, "has no user profile"));
    g_assert_null(sign_in(f, dom, "mallory", &why));
    /* SageMaker assigned nobody by itself: the only sso record is the admin's. */
    for (guint i = 0; i < f->host.events->len; i++) {
        const trail_event *ev = f->host.events->pdata[i];
        g_autofree char *by = test_identity_member(ev, "invokedBy");
        if (strcmp(ev->event_source, "sso.amazonaws.com") == 0)
            g_assert_null(by);
    }
    /* Removing the group's assignment ends alice's access; her profile stays. */
    g_assert_cmpstr(assign(f, f->admin, "DeleteApplicationAssignment", app, "GROUP", G_ML), ==, NULL);
    g_assert_null(sign_in(f, dom, "alice", &why));
    g_assert_true(g_str_has_prefix(why, "Access Denied."));
    g_assert_cmpstr(call(f, f->admin, "sagemaker:DescribeUserProfile",
                         "{\"DomainId\":\"%s\",\"UserProfileName\":\"alice\"}", dom), ==, NULL);
    /* A deleted domain's application is gone from Identity Center. */
    g_assert_cmpstr(call(f, f->admin, "sagemaker:DeleteUserProfile",
                         "{\"DomainId\":\"%s\",\"UserProfileName\":\"alice\"}", dom), ==, NULL);
    test_host_advance(&f->host, 600);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:DeleteDomain", "{\"DomainId\":\"%s\"}", dom),
                    ==, NULL);
    test_host_advance(&f->host, 3600);
    g_assert_cmpstr(call(f, f->admin, "sso:ListApplicationAssignments",
                         "{\"ApplicationArn\":\"%s\"}", app), ==, "ResourceNotFoundException");
    fx_free(f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();
    g_test_add_func("/sso/D4/identity-store-ids", test_ids);
    g_test_add_func("/sso/D4/config-errors", test_config_errors);
    g_test_add_func("/sso/D4/assignments-errors-listing-log", test_assignments);
    g_test_add_func("/sso/D4/group-access-and-removal", test_group_access);
    g_test_add_func("/sso/D4/studio-sign-in-needs-assignment-and-profile", test_studio_sign_in);
    return g_test_run();
}
