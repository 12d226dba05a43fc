/* tests/unit/test-cards.c: model cards across accounts (MC1-MC6), with the
 * KMS and S3 calls SageMaker makes for them, and what each account's audit
 * log receives (L1-L3).
 *
 * Each case builds a world by hand: the model-card account A (111111111111)
 * and the shared account B (222222222222), roles with inline policies, two
 * KMS keys in A (one whose policy carries the seed's grant to B's roles, one
 * with the default policy) and a bucket in each account.  A tiny host keeps
 * the pending happenings in a time-ordered list the test runs, and collects
 * the trail events and notifications.  Everything is driven through
 * api_invoke, as actors drive it.  Cross-account cases share the card
 * through the RAM operations; they are skipped when RAM is not in the
 * operation table. */
#include <glib.h>
#include <stdarg.h>
#include <string.h>

#include "model/api.h"
#include "model/world_int.h"
#include "tests/unit/host.h"
#include "model/trails.h"
#include "model/kms.h"
#include "model/s3.h"

#define A "111111111111"
#define B "222222222222"
#define REGION "us-west-2"
#define CARD_ARN "arn:aws:sagemaker:" REGION ":" A ":model-card/churn"
#define SM "sagemaker.amazonaws.com"
#define PERM_DEFAULT "arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerModelCards"
#define PERM_EXPORT "arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerModelCardsAllowExport"

/* ---- the test host ------------------------------------------------------------------- */

typedef struct fx {
    world      *w;
    test_host   host;       /* clock, pending happenings, events, notes */
    cJSON      *out;        /* the last call's output */
    api_error   err;        /* the last call's error */
    principal  *admin, *exporter, *admin_b, *ds, *nokms, *outsider;
    world_key  *key_grant, *key_nogrant;
} fx;

/* ---- the world ------------------------------------------------------------------------ */

static world_policy *policy(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static world_policy *policy(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_autoptr(cJSON) doc = cJSON_Parse(text);
    g_assert_nonnull(doc);
    g_autoptr(GError) err = NULL;
    world_policy *p = world_policy_new("inline", NULL, doc, &err);
    g_assert_no_error(err);
    return p;
}

static principal *session(fx *f, world_role *r)
{
    g_autoptr(GError) err = NULL;
    principal *p = world_principal_for(f->w, r->arn, "test", &err);
    g_assert_no_error(err);
    return p;
}

#define ALLOW_ALL "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"

/* The seed's identity-policy template for B's roles (MC2), optionally with
 * the KMS statement (MC4). */
static world_policy *consumer_policy(const fx *f, bool with_kms)
{
    g_autofree char *kms = with_kms
        ? g_strdup_printf(",{\"Effect\":\"Allow\",\"Action\":[\"kms:GenerateDataKey\",\"kms:Decrypt\"],"
                          "\"Resource\":[\"%s\",\"%s\"]}", f->key_grant->arn, f->key_nogrant->arn)
        : g_strdup("");
    return policy("{\"Version\":\"2012-10-17\",\"Statement\":["
                  "{\"Effect\":\"Allow\",\"Action\":[\"sagemaker:DescribeModelCard\","
                  "\"sagemaker:UpdateModelCard\",\"sagemaker:CreateModelCardExportJob\","
                  "\"sagemaker:ListModelCardVersions\",\"sagemaker:DescribeModelCardExportJob\"],"
                  "\"Resource\":[\"" CARD_ARN "\",\"" CARD_ARN "/*\"]},"
                  "{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\","
                  "\"Resource\":\"arn:aws:s3:::exports-222/churn/*\"}%s]}", kms);
}

static fx *fx_new(void)
{
    fx *f = g_new0(fx, 1);
    /* 2026-01-05T09:00:00Z */
    f->w = world_new(7, REGION, 1767603600);
    test_host_init(&f->host, f->w);
    world_account *a = world_add_account(f->w, A, "model-owner");
    world_account *b = world_add_account(f->w, B, "consumer");
    world_role *admin = world_add_role(f->w, a, "Admin", NULL, NULL);
    g_ptr_array_add(admin->inline_policies, policy(ALLOW_ALL));
    /* SageMaker and KMS, but no S3. */
    world_role *exporter = world_add_role(f->w, a, "Exporter", NULL, NULL);
    g_ptr_array_add(exporter->inline_policies,
                    policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                           "\"Action\":[\"sagemaker:*\",\"kms:*\"],\"Resource\":\"*\"}]}"));
    world_role *admin_b = world_add_role(f->w, b, "Admin", NULL, NULL);
    g_ptr_array_add(admin_b->inline_policies, policy(ALLOW_ALL));
    world_role *ds = world_add_role(f->w, b, "DataScientist", NULL, NULL);
    world_role *nokms = world_add_role(f->w, b, "NoKms", NULL, NULL);
    world_role *outsider = world_add_role(f->w, b, "Outsider", NULL, NULL);
    g_ptr_array_add(outsider->inline_policies,
                    policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                           "\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"));
    /* The default key policy, and the same plus the seed's grant (MC4). */
    const char *root = "{\"Sid\":\"Enable IAM User Permissions\",\"Effect\":\"Allow\","
                       "\"Principal\":{\"AWS\":\"arn:aws:iam::" A ":root\"},\"Action\":\"kms:*\","
                       "\"Resource\":\"*\"}";
    f->key_nogrant = world_add_key(f->w, a, "key-nogrant",
                                   policy("{\"Version\":\"2012-10-17\",\"Statement\":[%s]}", root));
    f->key_grant = world_add_key(f->w, a, "key-grant", policy(
        "{\"Version\":\"2012-10-17\",\"Statement\":[%s,{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
        "[\"%s\",\"%s\"]},\"Action\":[\"kms:GenerateDataKey\",\"kms:Decrypt\"],\"Resource\":\"*\","
        "\"Condition\":{\"Bool\":{\"kms:GrantIsForAWSResource\":\"true\"},"
        "\"StringEquals\":{\"kms:ViaService\":[\"sagemaker." REGION ".amazonaws.com\","
        "\"s3." REGION ".amazonaws.com\"]},"
        "\"StringLike\":{\"kms:EncryptionContext:aws:sagemaker:model-card-arn\":\"" CARD_ARN "\"}}}]}",
        root, ds->arn, nokms->arn));
    g_ptr_array_add(ds->inline_policies, consumer_policy(f, true));
    g_ptr_array_add(nokms->inline_policies, consumer_policy(f, false));
    world_add_bucket(f->w, A, "exports-111");
    world_add_bucket(f->w, B, "exports-222");
    f->admin = session(f, admin);
    f->exporter = session(f, exporter);
    f->admin_b = session(f, admin_b);
    f->ds = session(f, ds);
    f->nokms = session(f, nokms);
    f->outsider = session(f, outsider);
    return f;
}

static void fx_free(fx *f)
{
    cJSON_Delete(f->out);
    api_error_clear(&f->err);
    principal_free(f->admin);
    principal_free(f->exporter);
    principal_free(f->admin_b);
    principal_free(f->ds);
    principal_free(f->nokms);
    principal_free(f->outsider);
    test_host_clear(&f->host);
    world_free(f->w);
    g_free(f);
}

/* Calls action as p with the JSON input; returns the error code (NULL on
 * success).  The output stays in f->out, the error in f->err. */
#define call(f, p, action, ...) \
    test_host_call(&(f)->host, p, action, &(f)->out, &(f)->err, __VA_ARGS__)

static const char *out_str(const fx *f, const char *path) { return test_str(f->out, path); }

static int out_len(const fx *f, const char *member)
{
    return cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(f->out, member));
}

/* The last trail event named name (NULL: any). */
static trail_event *last_event(const fx *f, const char *name)
{
    for (guint i = f->host.events->len; i-- > 0;) {
        trail_event *ev = f->host.events->pdata[i];
        if (!name || strcmp(ev->event_name, name) == 0)
            return ev;
    }
    return NULL;
}

static bool has_recipient(const trail_event *ev, const char *account)
{
    for (guint i = 0; ev && i < ev->recipients->len; i++)
        if (strcmp(ev->recipients->pdata[i], account) == 0)
            return true;
    return false;
}

/* A userIdentity member, kept until the test ends so that assertions can
 * compare it in place. */
static GPtrArray *kept;

static const char *identity_str(const trail_event *ev, const char *member)
{
    char *v = test_identity_member(ev, member);
    if (v)
        g_ptr_array_add(kept, v);
    return v;
}

static void create_card(fx *f, const principal *p, const char *key_arn)
{
    g_autofree char *sec = key_arn ? g_strdup_printf(",\"SecurityConfig\":{\"KmsKeyId\":\"%s\"}", key_arn)
                                   : g_strdup("");
    g_assert_null(call(f, p, "sagemaker:CreateModelCard",
                       "{\"ModelCardName\":\"churn\",\"Content\":\"{\\\"model_overview\\\":{}}\","
                       "\"ModelCardStatus\":\"Draft\"%s}", sec));
    g_assert_cmpstr(out_str(f, "ModelCardArn"), ==, CARD_ARN);
}

/* Shares the card with B through RAM with the given permission and has B
 * accept (RAM2).  False (and the case skipped) when RAM is not simulated. */
static bool share(fx *f, const char *permission)
{
    if (!api_lookup("ram:CreateResourceShare")) {
        g_test_skip("model/ram.c is not in the operation table: cross-account case not run");
        return false;
    }
    g_assert_null(call(f, f->admin, "ram:CreateResourceShare",
                       "{\"name\":\"cards\",\"resourceArns\":[\"" CARD_ARN "\"],"
                       "\"principals\":[\"" B "\"],\"permissionArns\":[\"%s\"]}", permission));
    test_host_advance(&f->host, 60);
    g_assert_null(call(f, f->admin_b, "ram:GetResourceShareInvitations", "{}"));
    const cJSON *inv, *list = cJSON_GetObjectItemCaseSensitive(f->out, "resourceShareInvitations");
    g_autofree char *arn = NULL;
    cJSON_ArrayForEach(inv, list)
        if (g_strcmp0(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(inv, "status")), "PENDING") == 0)
            arn = g_strdup(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(inv, "resourceShareInvitationArn")));
    g_assert_nonnull(arn);
    if (!arn)
        return false;
    g_assert_null(call(f, f->admin_b, "ram:AcceptResourceShareInvitation",
                       "{\"resourceShareInvitationArn\":\"%s\"}", arn));
    test_host_advance(&f->host, 60);
    return true;
}

static cJSON *card_context(const char *card_arn)
{
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "aws:sagemaker:model-card-arn", card_arn);
    return c;
}

static const char *export_job(fx *f, const principal *p, const char *card, const char *job,
                              const char *path)
{
    return call(f, p, "sagemaker:CreateModelCardExportJob",
                "{\"ModelCardName\":\"%s\",\"ModelCardExportJobName\":\"%s\","
                "\"OutputConfig\":{\"S3OutputPath\":\"%s\"}}", card, job, path);
}

/* ---- MC1: the creating account owns the card ---------------------------------------------- */

static void test_mc1_owner(void)
{
    g_test_summary("MC1: the account that creates a card owns it; others reach it by ARN only");
    fx *f = fx_new();
    create_card(f, f->admin, NULL);
    g_assert_cmpstr(world_resource_owner(f->w, CARD_ARN), ==, A);
    g_assert_cmpstr(world_resource_type(f->w, CARD_ARN), ==, "sagemaker:ModelCard");
    trail_event *ev = last_event(f, "CreateModelCard");
    g_assert_nonnull(ev);
    if (ev) {
        g_assert_cmpstr(ev->event_source, ==, SM);
        g_assert_cmpuint(ev->recipients->len, ==, 1);
        g_assert_true(has_recipient(ev, A));
        g_assert_true(ev->management);
        g_assert_null(ev->data_type);
        g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ev->request_parameters, "content")),
                        ==, "HIDDEN_DUE_TO_SECURITY_REASONS");
    }
    g_assert_null(call(f, f->admin, "sagemaker:DescribeModelCard", "{\"ModelCardName\":\"churn\"}"));
    g_assert_cmpstr(out_str(f, "ModelCardStatus"), ==, "Draft");
    g_assert_cmpstr(out_str(f, "Content"), ==, "{\"model_overview\":{}}");
    g_assert_cmpstr(out_str(f, "CreatedBy.IamIdentity.Arn"), ==, f->admin->arn);
    g_assert_cmpstr(out_str(f, "CreationTime"), ==, "2026-01-05T09:00:00Z");
    /* A name is read in the caller's own account. */
    g_assert_cmpstr(call(f, f->admin_b, "sagemaker:DescribeModelCard", "{\"ModelCardName\":\"churn\"}"),
                    ==, "ResourceNotFound");
    g_assert_null(call(f, f->admin, "sagemaker:ListModelCards", "{}"));
    g_assert_cmpint(out_len(f, "ModelCardSummaries"), ==, 1);
    g_assert_null(call(f, f->admin_b, "sagemaker:ListModelCards", "{}"));
    g_assert_cmpint(out_len(f, "ModelCardSummaries"), ==, 0);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateModelCard",
                         "{\"ModelCardName\":\"churn\",\"Content\":\"{}\",\"ModelCardStatus\":\"Draft\"}"),
                    ==, "ConflictException");
    fx_free(f);
}

/* ---- MC5: versions ------------------------------------------------------------------------ */

static void test_mc5_versions(void)
{
    g_test_summary("MC5: a content change makes a new version, a status change does not");
    fx *f = fx_new();
    create_card(f, f->admin, NULL);
    test_host_advance(&f->host, 60);
    g_assert_null(call(f, f->admin, "sagemaker:UpdateModelCard",
                       "{\"ModelCardName\":\"churn\",\"Content\":\"{\\\"v\\\":2}\"}"));
    g_assert_null(call(f, f->admin, "sagemaker:ListModelCardVersions", "{\"ModelCardName\":\"churn\"}"));
    g_assert_cmpint(out_len(f, "ModelCardVersionSummaryList"), ==, 2);
    g_assert_null(call(f, f->admin, "sagemaker:DescribeModelCard", "{\"ModelCardName\":\"churn\"}"));
    g_assert_cmpint((int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(f->out, "ModelCardVersion")), ==, 2);
    g_assert_cmpstr(out_str(f, "Content"), ==, "{\"v\":2}");
    g_assert_null(call(f, f->admin, "sagemaker:UpdateModelCard",
                       "{\"ModelCardName\":\"" CARD_ARN "\",\"ModelCardStatus\":\"Approved\"}"));
    g_assert_null(call(f, f->admin, "sagemaker:ListModelCardVersions",
                       "{\"ModelCardName\":\"churn\",\"SortOrder\":\"Ascending\"}"));
    g_assert_cmpint(out_len(f, "ModelCardVersionSummaryList"), ==, 2);
    const cJSON *l = cJSON_GetObjectItemCaseSensitive(f->out, "ModelCardVersionSummaryList");
    g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(l, 0),
                                                                           "ModelCardStatus")), ==, "Draft");
    g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(l, 1),
                                                                           "ModelCardStatus")), ==, "Approved");
    g_assert_null(call(f, f->admin, "sagemaker:DescribeModelCard",
                       "{\"ModelCardName\":\"churn\",\"ModelCardVersion\":1}"));
    g_assert_cmpstr(out_str(f, "Content"), ==, "{\"model_overview\":{}}");
    g_assert_cmpstr(call(f, f->admin, "sagemaker:DescribeModelCard",
                         "{\"ModelCardName\":\"churn\",\"ModelCardVersion\":3}"), ==, "ResourceNotFound");
    g_assert_cmpstr(call(f, f->admin, "sagemaker:UpdateModelCard",
                         "{\"ModelCardName\":\"churn\",\"Content\":\"{}\",\"ModelCardStatus\":\"Draft\"}"),
                    ==, "ValidationException");
    g_assert_cmpstr(call(f, f->admin, "sagemaker:UpdateModelCard",
                         "{\"ModelCardName\":\"nope\",\"Content\":\"{}\"}"), ==, "ResourceNotFound");
    fx_free(f);
}

/* ---- MC6: quotas ---------------------------------------------------------------------------- */

static void test_mc6_quota(void)
{
    g_test_summary("MC6: model cards count against the owning account's quota");
    fx *f = fx_new();
    world_set_quota(f->w, world_account_get(f->w, A), "sagemaker:model-cards", 2);
    const char *in = "{\"ModelCardName\":\"c%d\",\"Content\":\"{}\",\"ModelCardStatus\":\"Draft\"}";
    g_assert_null(call(f, f->admin, "sagemaker:CreateModelCard", in, 1));
    g_assert_null(call(f, f->admin, "sagemaker:CreateModelCard", in, 2));
    g_assert_cmpstr(call(f, f->admin, "sagemaker:CreateModelCard", in, 3), ==, "ResourceLimitExceeded");
    /* Another account's count is its own. */
    g_assert_null(call(f, f->admin_b, "sagemaker:CreateModelCard", in, 3));
    g_assert_null(call(f, f->admin, "sagemaker:DeleteModelCard", "{\"ModelCardName\":\"c1\"}"));
    g_assert_null(world_resource_owner(f->w, "arn:aws:sagemaker:" REGION ":" A ":model-card/c1"));
    g_assert_null(call(f, f->admin, "sagemaker:CreateModelCard", in, 3));
    fx_free(f);
}

/* ---- MC2: both sides must allow ---------------------------------------------------------------- */

static void test_mc2_cross_account(void)
{
    g_test_summary("MC2: B acts on A's card only after the share is accepted and with an identity policy");
    fx *f = fx_new();
    create_card(f, f->admin, NULL);
    g_assert_cmpstr(call(f, f->ds, "sagemaker:DescribeModelCard", "{\"ModelCardName\":\"" CARD_ARN "\"}"),
                    ==, "AccessDeniedException");
    trail_event *ev = last_event(f, "DescribeModelCard");
    g_assert_true(has_recipient(ev, B));
    g_assert_true(has_recipient(ev, A));      /* modelling choice: the owner sees it too */
    if (!share(f, PERM_EXPORT)) {
        fx_free(f);
        return;
    }
    g_assert_null(call(f, f->ds, "sagemaker:DescribeModelCard", "{\"ModelCardName\":\"" CARD_ARN "\"}"));
    g_assert_cmpstr(out_str(f, "ModelCardArn"), ==, CARD_ARN);
    ev = last_event(f, "DescribeModelCard");
    g_assert_true(has_recipient(ev, B));
    g_assert_true(has_recipient(ev, A));
    g_assert_cmpstr(identity_str(ev, "accountId"), ==, B);
    g_assert_null(call(f, f->ds, "sagemaker:ListModelCardVersions", "{\"ModelCardName\":\"" CARD_ARN "\"}"));
    g_assert_null(call(f, f->ds, "sagemaker:UpdateModelCard",
                       "{\"ModelCardName\":\"" CARD_ARN "\",\"Content\":\"{\\\"by\\\":\\\"B\\\"}\"}"));
    g_assert_null(call(f, f->admin, "sagemaker:ListModelCardVersions", "{\"ModelCardName\":\"churn\"}"));
    g_assert_cmpint(out_len(f, "ModelCardVersionSummaryList"), ==, 2);
    /* Still by ARN only: a name is B's own card (which B's admin may look
     * for; the data scientist may not even ask). */
    g_assert_cmpstr(call(f, f->admin_b, "sagemaker:DescribeModelCard", "{\"ModelCardName\":\"churn\"}"),
                    ==, "ResourceNotFound");
    g_assert_cmpstr(call(f, f->ds, "sagemaker:DescribeModelCard", "{\"ModelCardName\":\"churn\"}"),
                    ==, "AccessDeniedException");
    /* The RAM permission alone is not enough: B's identity policy must allow too. */
    g_assert_cmpstr(call(f, f->outsider, "sagemaker:DescribeModelCard",
                         "{\"ModelCardName\":\"" CARD_ARN "\"}"), ==, "AccessDeniedException");
    /* Nor does the RAM permission open what it does not list (Delete is owner-only anyway). */
    fx_free(f);
}

static void test_mc2_default_permission(void)
{
    g_test_summary("RAM6/MC2: the default permission does not allow export jobs");
    fx *f = fx_new();
    create_card(f, f->admin, NULL);
    if (!share(f, PERM_DEFAULT)) {
        fx_free(f);
        return;
    }
    g_assert_null(call(f, f->ds, "sagemaker:DescribeModelCard", "{\"ModelCardName\":\"" CARD_ARN "\"}"));
    g_assert_cmpstr(export_job(f, f->ds, CARD_ARN, "pdf1", "s3://exports-222"), ==,
                    "AccessDeniedException");
    fx_free(f);
}

/* ---- MC3: export jobs ---------------------------------------------------------------------------- */

static int notes_for(const fx *f, const char *account, const char *kind)
{
    int n = 0;
    for (guint i = 0; i < f->host.notes->len; i++) {
        const cJSON *x = f->host.notes->pdata[i];
        n += g_strcmp0(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x, "account")), account) == 0 &&
             g_strcmp0(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x, "kind")), kind) == 0;
    }
    return n;
}

static void test_mc3_export_owned_by_card_account(void)
{
    g_test_summary("MC3/L3: B's export job on A's card belongs to A; its PDF goes to B's bucket");
    fx *f = fx_new();
    create_card(f, f->admin, NULL);
    if (!share(f, PERM_EXPORT)) {
        fx_free(f);
        return;
    }
    g_assert_null(export_job(f, f->ds, CARD_ARN, "pdf1", "s3://exports-222"));
    const char *job = CARD_ARN "/export-job/pdf1";
    g_assert_cmpstr(out_str(f, "ModelCardExportJobArn"), ==, job);
    g_assert_cmpstr(world_resource_owner(f->w, job), ==, A);
    g_assert_null(call(f, f->ds, "sagemaker:DescribeModelCardExportJob",
                       "{\"ModelCardExportJobArn\":\"%s\"}", job));
    g_assert_cmpstr(out_str(f, "Status"), ==, "InProgress");
    test_host_advance(&f->host, 3600);
    g_assert_null(call(f, f->ds, "sagemaker:DescribeModelCardExportJob",
                       "{\"ModelCardExportJobArn\":\"%s\"}", job));
    g_assert_cmpstr(out_str(f, "Status"), ==, "Completed");
    g_assert_cmpstr(out_str(f, "ExportArtifacts.S3ExportArtifacts"), ==, "s3://exports-222/churn/pdf1.pdf");
    g_assert_null(out_str(f, "FailureReason"));
    g_assert_nonnull(g_hash_table_lookup(world_bucket_get(f->w, "exports-222")->objects, "churn/pdf1.pdf"));
    /* The PDF was written with B's rights, by SageMaker, as a data event. */
    trail_event *put = last_event(f, "PutObject");
    g_assert_nonnull(put);
    g_assert_cmpstr(identity_str(put, "arn"), ==, f->ds->arn);
    g_assert_cmpstr(identity_str(put, "invokedBy"), ==, SM);
    g_assert_true(put && g_strcmp0(put->data_type, "AWS::S3::Object") == 0);
    g_assert_null(put ? put->error_code : NULL);
    /* Both accounts hear of the end (L3). */
    g_assert_cmpint(notes_for(f, B, "sagemaker:model-card-export-job"), ==, 1);
    g_assert_cmpint(notes_for(f, A, "sagemaker:model-card-export-job"), ==, 1);
    trail_event *se = last_event(f, "ModelCardExportJobStateChange");
    g_assert_nonnull(se);
    if (se) {
        g_assert_cmpint(se->kind, ==, TRAIL_SERVICE_EVENT);
        g_assert_true(has_recipient(se, A));
        g_assert_true(has_recipient(se, B));
        g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(se->service_details, "status")),
                        ==, "Completed");
    }
    /* The owner lists the job among its card's jobs. */
    g_assert_null(call(f, f->admin, "sagemaker:ListModelCardExportJobs", "{\"ModelCardName\":\"churn\"}"));
    g_assert_cmpint(out_len(f, "ModelCardExportJobSummaries"), ==, 1);
    g_assert_cmpstr(export_job(f, f->ds, CARD_ARN, "pdf1", "s3://exports-222"), ==, "ConflictException");
    fx_free(f);
}

static void test_mc3_s3_denied_same_account(void)
{
    g_test_summary("MC3: an export whose creator may not s3:PutObject fails, naming the denial");
    fx *f = fx_new();
    create_card(f, f->exporter, NULL);
    g_assert_null(export_job(f, f->exporter, "churn", "pdf1", "s3://exports-111/out/"));
    const char *job = CARD_ARN "/export-job/pdf1";
    test_host_advance(&f->host, 3600);
    g_assert_null(call(f, f->exporter, "sagemaker:DescribeModelCardExportJob",
                       "{\"ModelCardExportJobArn\":\"%s\"}", job));
    g_assert_cmpstr(out_str(f, "Status"), ==, "Failed");
    const char *why = out_str(f, "FailureReason");
    g_assert_nonnull(why);
    g_assert_nonnull(why ? strstr(why, "s3:PutObject") : NULL);
    g_assert_nonnull(why ? strstr(why, "s3://exports-111/out/churn/pdf1.pdf") : NULL);
    g_assert_nonnull(why ? strstr(why, "denied") : NULL);
    g_assert_null(out_str(f, "ExportArtifacts.S3ExportArtifacts"));
    trail_event *put = last_event(f, "PutObject");
    g_assert_cmpstr(put ? put->error_code : NULL, ==, "AccessDenied");
    g_assert_cmpstr(put ? put->error_message : NULL, ==, "Access Denied");
    trail_event *se = last_event(f, "ModelCardExportJobStateChange");
    g_assert_cmpstr(se ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(se->service_details, "status")) : NULL,
                    ==, "Failed");
    g_assert_cmpint(notes_for(f, A, "sagemaker:model-card-export-job"), ==, 1);
    fx_free(f);
}

static void test_mc3_s3_denied_cross_account(void)
{
    g_test_summary("MC3: B's export to a path its policy does not cover fails");
    fx *f = fx_new();
    create_card(f, f->admin, NULL);
    if (!share(f, PERM_EXPORT)) {
        fx_free(f);
        return;
    }
    g_assert_null(export_job(f, f->ds, CARD_ARN, "pdf2", "s3://exports-222/elsewhere"));
    test_host_advance(&f->host, 3600);
    g_assert_null(call(f, f->ds, "sagemaker:DescribeModelCardExportJob",
                       "{\"ModelCardExportJobArn\":\"" CARD_ARN "/export-job/pdf2\"}"));
    g_assert_cmpstr(out_str(f, "Status"), ==, "Failed");
    const char *why = out_str(f, "FailureReason");
    g_assert_nonnull(why ? strstr(why, "s3:PutObject") : NULL);
    fx_free(f);
}

/* ---- MC4: the key policy and the identity policy ----------------------------------------------- */

/* The KMS decision as SageMaker meets it (no RAM needed): B's role decrypts
 * with A's key through SageMaker, with the card's encryption context. */
static bool kms_decision(fx *f, const principal *who, const world_key *k, const char *service,
                         const char *card_arn, const char **code)
{
    g_autoptr(cJSON) ctx = card_context(card_arn);
    api_error_clear(&f->err);
    bool ok = kms_use(f->w, who, NULL, service, "kms:Decrypt", k->arn, ctx, &f->err);
    *code = f->err.code;
    return ok;
}

static void card_use(fx *f, const principal *who, const world_key *k, bool expect_ok)
{
    if (!share(f, PERM_EXPORT))
        return;
    const char *want = expect_ok ? NULL : "AccessDeniedException";
    g_assert_cmpstr(call(f, who, "sagemaker:DescribeModelCard", "{\"ModelCardName\":\"" CARD_ARN "\"}"),
                    ==, want);
    trail_event *dec = last_event(f, "Decrypt");
    g_assert_nonnull(dec);
    g_assert_cmpstr(identity_str(dec, "invokedBy"), ==, SM);
    g_assert_true(has_recipient(dec, A) && has_recipient(dec, B));
    g_assert_cmpstr(call(f, who, "sagemaker:UpdateModelCard",
                         "{\"ModelCardName\":\"" CARD_ARN "\",\"Content\":\"{\\\"u\\\":1}\"}"), ==, want);
    /* The export is accepted, then fails reading the card when KMS denies. */
    g_assert_null(export_job(f, who, CARD_ARN, "pdf1", "s3://exports-222"));
    test_host_advance(&f->host, 3600);
    g_assert_null(call(f, who, "sagemaker:DescribeModelCardExportJob",
                       "{\"ModelCardExportJobArn\":\"" CARD_ARN "/export-job/pdf1\"}"));
    g_assert_cmpstr(out_str(f, "Status"), ==, expect_ok ? "Completed" : "Failed");
    if (!expect_ok) {
        const char *why = out_str(f, "FailureReason");
        g_assert_nonnull(why ? strstr(why, "kms:Decrypt") : NULL);
        g_assert_nonnull(why ? strstr(why, k->arn) : NULL);
    }
    /* Metadata only needs no key. */
    g_assert_null(call(f, who, "sagemaker:DescribeModelCard",
                       "{\"ModelCardName\":\"" CARD_ARN "\",\"IncludedData\":\"MetadataOnly\"}"));
}

static void test_mc4_key_policy_missing_grant(void)
{
    g_test_summary("MC4: B's identity policy allows kms:Decrypt but A's key policy does not grant it");
    fx *f = fx_new();
    const char *code = NULL;
    g_assert_false(kms_decision(f, f->ds, f->key_nogrant, SM, CARD_ARN, &code));
    g_assert_cmpstr(code, ==, "AccessDeniedException");
    create_card(f, f->admin, f->key_nogrant->arn);
    card_use(f, f->ds, f->key_nogrant, false);
    fx_free(f);
}

static void test_mc4_identity_missing_grant(void)
{
    g_test_summary("MC4: A's key policy grants B's role but B's identity policy lacks the KMS actions");
    fx *f = fx_new();
    const char *code = NULL;
    g_assert_false(kms_decision(f, f->nokms, f->key_grant, SM, CARD_ARN, &code));
    g_assert_cmpstr(code, ==, "AccessDeniedException");
    create_card(f, f->admin, f->key_grant->arn);
    card_use(f, f->nokms, f->key_grant, false);
    fx_free(f);
}

static void test_mc4_both_grant(void)
{
    g_test_summary("MC4: with both the key policy grant and the identity policy, B uses the card");
    fx *f = fx_new();
    const char *code = NULL;
    g_assert_true(kms_decision(f, f->ds, f->key_grant, SM, CARD_ARN, &code));
    g_assert_null(code);
    create_card(f, f->admin, f->key_grant->arn);
    card_use(f, f->ds, f->key_grant, true);
    fx_free(f);
}

static void test_mc4_conditions(void)
{
    g_test_summary("MC4: the grant holds only via SageMaker/S3 and for the card's own context");
    fx *f = fx_new();
    const char *code = NULL;
    /* Called directly, not through a service: kms:ViaService is absent. */
    g_assert_false(kms_decision(f, f->ds, f->key_grant, NULL, CARD_ARN, &code));
    g_assert_cmpstr(code, ==, "AccessDeniedException");
    /* Through S3 (the seed lists s3.<region> too). */
    g_assert_true(kms_decision(f, f->ds, f->key_grant, "s3.amazonaws.com", CARD_ARN, &code));
    /* Another card's context. */
    g_assert_false(kms_decision(f, f->ds, f->key_grant, SM,
                                "arn:aws:sagemaker:" REGION ":" A ":model-card/other", &code));
    g_assert_cmpstr(code, ==, "AccessDeniedException");
    /* The owner encrypts its own card with either key. */
    create_card(f, f->admin, f->key_grant->arn);
    trail_event *gdk = last_event(f, "GenerateDataKey");
    g_assert_nonnull(gdk);
    g_assert_cmpstr(identity_str(gdk, "invokedBy"), ==, SM);
    g_assert_cmpuint(gdk ? gdk->recipients->len : 0, ==, 1);
    g_assert_null(call(f, f->admin, "sagemaker:DescribeModelCard", "{\"ModelCardName\":\"churn\"}"));
    g_assert_cmpstr(out_str(f, "SecurityConfig.KmsKeyId"), ==, f->key_grant->arn);
    fx_free(f);
}

/* ---- L2: KMS records reach both accounts --------------------------------------------------------- */

static void test_l2_kms_cross_account_records(void)
{
    g_test_summary("L2: a cross-account KMS call is recorded for the caller and the key owner");
    fx *f = fx_new();
    const char *code = NULL;
    g_assert_true(kms_decision(f, f->ds, f->key_grant, SM, CARD_ARN, &code));
    trail_event *ev = last_event(f, "Decrypt");
    g_assert_nonnull(ev);
    if (ev) {
        g_assert_cmpstr(ev->event_source, ==, "kms.amazonaws.com");
        g_assert_cmpuint(ev->recipients->len, ==, 2);
        g_assert_cmpstr(ev->recipients->pdata[0], ==, B);
        g_assert_true(has_recipient(ev, A));
        g_assert_cmpstr(identity_str(ev, "invokedBy"), ==, SM);
        g_assert_cmpstr(ev->source_ip, ==, SM);
        g_assert_true(ev->read_only);
        g_assert_null(ev->response_elements);
        const cJSON *r = cJSON_GetArrayItem(ev->resources, 0);
        g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "ARN")), ==, f->key_grant->arn);
        g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "accountId")), ==, A);
        const cJSON *ec = cJSON_GetObjectItemCaseSensitive(ev->request_parameters, "encryptionContext");
        g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ec, "aws:sagemaker:model-card-arn")),
                        ==, CARD_ARN);
        g_assert_null(cJSON_GetObjectItemCaseSensitive(ev->request_parameters, "ciphertextBlob"));
    }
    /* Denied calls too. */
    g_assert_false(kms_decision(f, f->ds, f->key_nogrant, SM, CARD_ARN, &code));
    ev = last_event(f, "Decrypt");
    g_assert_cmpstr(ev ? ev->error_code : NULL, ==, "AccessDeniedException");
    g_assert_true(has_recipient(ev, A) && has_recipient(ev, B));
    /* A's own call stays in A. */
    g_assert_null(call(f, f->admin, "kms:DescribeKey", "{\"KeyId\":\"alias/key-grant\"}"));
    ev = last_event(f, "DescribeKey");
    g_assert_cmpuint(ev ? ev->recipients->len : 0, ==, 1);
    fx_free(f);
}

/* ---- KMS operations ---------------------------------------------------------------------------- */

static void test_kms_operations(void)
{
    g_test_summary("KMS: keys, policies, aliases and the cryptographic calls");
    fx *f = fx_new();
    g_assert_null(call(f, f->admin, "kms:CreateKey", "{\"Description\":\"cards\"}"));
    g_autofree char *id = g_strdup(out_str(f, "KeyMetadata.KeyId"));
    g_autofree char *arn = g_strdup(out_str(f, "KeyMetadata.Arn"));
    g_assert_nonnull(id);
    g_assert_true(g_str_has_prefix(arn, "arn:aws:kms:" REGION ":" A ":key/"));
    g_assert_cmpstr(out_str(f, "KeyMetadata.KeyState"), ==, "Enabled");
    trail_event *ev = last_event(f, "CreateKey");
    g_assert_nonnull(ev ? cJSON_GetObjectItemCaseSensitive(ev->response_elements, "keyMetadata") : NULL);
    g_assert_null(call(f, f->admin, "kms:GetKeyPolicy", "{\"KeyId\":\"%s\"}", id));
    g_assert_nonnull(strstr(out_str(f, "Policy"), "arn:aws:iam::" A ":root"));
    g_assert_null(call(f, f->admin, "kms:CreateAlias",
                       "{\"AliasName\":\"alias/cards\",\"TargetKeyId\":\"%s\"}", id));
    g_assert_cmpstr(call(f, f->admin, "kms:CreateAlias",
                         "{\"AliasName\":\"alias/cards\",\"TargetKeyId\":\"%s\"}", id), ==,
                    "AlreadyExistsException");
    g_assert_cmpstr(call(f, f->admin, "kms:CreateAlias",
                         "{\"AliasName\":\"cards2\",\"TargetKeyId\":\"%s\"}", id), ==,
                    "InvalidAliasNameException");
    g_assert_null(call(f, f->admin, "kms:DescribeKey", "{\"KeyId\":\"alias/cards\"}"));
    g_assert_cmpstr(out_str(f, "KeyMetadata.Arn"), ==, arn);
    g_assert_cmpstr(out_str(f, "KeyMetadata.Description"), ==, "cards");
    g_assert_null(call(f, f->admin, "kms:DescribeKey",
                       "{\"KeyId\":\"arn:aws:kms:" REGION ":" A ":alias/cards\"}"));
    g_assert_cmpstr(out_str(f, "KeyMetadata.Arn"), ==, arn);
    g_assert_null(call(f, f->admin, "kms:ListAliases", "{}"));
    g_assert_cmpint(out_len(f, "Aliases"), ==, 3);     /* alias/cards, alias/key-grant, alias/key-nogrant */
    g_assert_null(call(f, f->admin, "kms:ListAliases", "{\"KeyId\":\"%s\"}", id));
    g_assert_cmpint(out_len(f, "Aliases"), ==, 1);
    g_assert_null(call(f, f->admin, "kms:ListKeys", "{}"));
    g_assert_cmpint(out_len(f, "Keys"), ==, 3);
    /* Encrypt and decrypt with a context; the context must match. */
    g_assert_null(call(f, f->admin, "kms:Encrypt",
                       "{\"KeyId\":\"alias/cards\",\"Plaintext\":\"aGk=\",\"EncryptionContext\":{\"a\":\"b\"}}"));
    g_autofree char *blob = g_strdup(out_str(f, "CiphertextBlob"));
    g_assert_null(call(f, f->admin, "kms:Decrypt",
                       "{\"CiphertextBlob\":\"%s\",\"EncryptionContext\":{\"a\":\"b\"}}", blob));
    g_assert_cmpstr(out_str(f, "Plaintext"), ==, "aGk=");
    g_assert_cmpstr(out_str(f, "KeyId"), ==, arn);
    ev = last_event(f, "Decrypt");
    g_assert_null(ev ? cJSON_GetObjectItemCaseSensitive(ev->request_parameters, "ciphertextBlob") : NULL);
    g_assert_cmpstr(call(f, f->admin, "kms:Decrypt",
                         "{\"CiphertextBlob\":\"%s\",\"EncryptionContext\":{\"a\":\"c\"}}", blob), ==,
                    "InvalidCiphertextException");
    g_assert_cmpstr(call(f, f->admin, "kms:Decrypt", "{\"CiphertextBlob\":\"Z2FyYmFnZQ==\"}"), ==,
                    "InvalidCiphertextException");
    g_assert_cmpstr(call(f, f->admin, "kms:Decrypt",
                         "{\"CiphertextBlob\":\"%s\",\"KeyId\":\"alias/key-grant\",\"EncryptionContext\":{\"a\":\"b\"}}",
                         blob), ==, "IncorrectKeyException");
    g_assert_null(call(f, f->admin, "kms:GenerateDataKey", "{\"KeyId\":\"%s\",\"KeySpec\":\"AES_256\"}", id));
    g_assert_nonnull(out_str(f, "Plaintext"));
    g_assert_cmpstr(call(f, f->admin, "kms:GenerateDataKey", "{\"KeyId\":\"%s\"}", id), ==,
                    "ValidationException");
    /* Policies. */
    g_assert_cmpstr(call(f, f->admin, "kms:PutKeyPolicy", "{\"KeyId\":\"%s\",\"Policy\":\"not json\"}", id),
                    ==, "MalformedPolicyDocumentException");
    g_assert_cmpstr(call(f, f->admin, "kms:CreateKey", "{\"Policy\":\"{\\\"Statement\\\":5}\"}"),
                    ==, "MalformedPolicyDocumentException");
    g_assert_null(call(f, f->admin, "kms:PutKeyPolicy",
                       "{\"KeyId\":\"%s\",\"Policy\":\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":"
                       "[{\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{\\\"AWS\\\":\\\"arn:aws:iam::" B
                       ":root\\\"},\\\"Action\\\":\\\"kms:DescribeKey\\\",\\\"Resource\\\":\\\"*\\\"}]}\"}", id));
    /* The new policy no longer lets A's IAM decide: A is locked out. */
    g_assert_cmpstr(call(f, f->admin, "kms:DescribeKey", "{\"KeyId\":\"%s\"}", id), ==,
                    "AccessDeniedException");
    g_assert_null(call(f, f->admin_b, "kms:DescribeKey", "{\"KeyId\":\"%s\"}", arn));
    ev = last_event(f, "DescribeKey");
    g_assert_true(has_recipient(ev, A) && has_recipient(ev, B));
    /* Unknown keys; key ids and aliases are read in the caller's account. */
    g_assert_cmpstr(call(f, f->admin, "kms:DescribeKey", "{\"KeyId\":\"1234abcd-12ab-34cd-56ef-1234567890ab\"}"),
                    ==, "NotFoundException");
    g_assert_cmpstr(call(f, f->admin_b, "kms:DescribeKey", "{\"KeyId\":\"alias/key-grant\"}"), ==,
                    "NotFoundException");
    g_assert_cmpstr(call(f, f->admin_b, "kms:DescribeKey", "{\"KeyId\":\"%s\"}", f->key_nogrant->arn), ==,
                    "AccessDeniedException");
    g_assert_cmpstr(call(f, f->admin_b, "kms:GetKeyPolicy", "{\"KeyId\":\"%s\"}", arn), ==,
                    "NotFoundException");
    fx_free(f);
}

/* ---- S3 ------------------------------------------------------------------------------------------ */

static const cJSON *resource_of_type(const trail_event *ev, const char *type)
{
    const cJSON *list = ev ? ev->resources : NULL, *r;
    cJSON_ArrayForEach(r, list)
        if (g_strcmp0(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "type")), type) == 0)
            return r;
    return NULL;
}

static void test_s3_data_events(void)
{
    g_test_summary("L1/L2/L6: S3 object calls are data events, recorded by trails that select them; "
                   "cross-account ones reach the bucket owner");
    fx *f = fx_new();
    /* L6: without a data-event selector no account's log gets the call. */
    g_assert_null(call(f, f->admin_b, "s3:PutObject",
                       "{\"Bucket\":\"exports-222\",\"Key\":\"a/b.txt\",\"Body\":\"\"}"));
    trail_event *none = last_event(f, "PutObject");
    g_assert_true(none && none->data_type && none->recipients->len == 0);
    trails_select_data(f->w, A, "AWS::S3::Object");
    trails_select_data(f->w, B, "AWS::S3::Object");
    g_assert_null(call(f, f->admin_b, "s3:PutObject",
                       "{\"Bucket\":\"exports-222\",\"Key\":\"a/b.txt\",\"Body\":\"aGVsbG8=\"}"));
    trail_event *ev = last_event(f, "PutObject");
    g_assert_nonnull(ev);
    if (ev) {
        g_assert_cmpstr(ev->event_source, ==, "s3.amazonaws.com");
        g_assert_true(ev->data_type);
        g_assert_false(ev->management);
        g_assert_false(ev->read_only);
        const cJSON *obj = resource_of_type(ev, "AWS::S3::Object");
        g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, "ARN")), ==,
                        "arn:aws:s3:::exports-222/a/b.txt");
        g_assert_null(cJSON_GetObjectItemCaseSensitive(obj, "accountId"));
        const cJSON *bk = resource_of_type(ev, "AWS::S3::Bucket");
        g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(bk, "accountId")), ==, B);
        g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ev->request_parameters, "bucketName")),
                        ==, "exports-222");
        g_assert_cmpuint(ev->recipients->len, ==, 1);
    }
    g_assert_null(call(f, f->admin_b, "s3:GetObject", "{\"Bucket\":\"exports-222\",\"Key\":\"a/b.txt\"}"));
    g_assert_cmpstr(out_str(f, "Body"), ==, "aGVsbG8=");
    ev = last_event(f, "GetObject");
    g_assert_true(ev && ev->data_type && ev->read_only && !ev->management);
    g_assert_null(call(f, f->admin_b, "s3:HeadObject", "{\"Bucket\":\"exports-222\",\"Key\":\"a/b.txt\"}"));
    g_assert_cmpint((int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(f->out, "ContentLength")), ==, 5);
    g_assert_null(call(f, f->admin_b, "s3:ListObjectsV2", "{\"Bucket\":\"exports-222\",\"Delimiter\":\"/\"}"));
    g_assert_cmpint(out_len(f, "CommonPrefixes"), ==, 1);
    g_assert_null(call(f, f->admin_b, "s3:ListObjectsV2", "{\"Bucket\":\"exports-222\"}"));
    g_assert_cmpint(out_len(f, "Contents"), ==, 1);
    ev = last_event(f, "ListObjectsV2");
    g_assert_true(ev && ev->data_type);
    /* Bucket calls are management events. */
    g_assert_cmpstr(call(f, f->admin_b, "s3:GetBucketPolicy", "{\"Bucket\":\"exports-222\"}"), ==,
                    "NoSuchBucketPolicy");
    g_assert_cmpstr(call(f, f->admin_b, "s3:PutBucketPolicy", "{\"Bucket\":\"exports-222\",\"Policy\":\"x\"}"),
                    ==, "MalformedPolicy");
    ev = last_event(f, "PutBucketPolicy");
    g_assert_true(ev && ev->management && !ev->data_type);
    /* Another account: denied without a bucket policy, recorded in both. */
    const char *put = "{\"Bucket\":\"exports-222\",\"Key\":\"from-a.txt\",\"Body\":\"\"}";
    g_assert_cmpstr(call(f, f->admin, "s3:PutObject", "%s", put), ==, "AccessDenied");
    g_assert_cmpstr(f->err.message, ==, "Access Denied");
    ev = last_event(f, "PutObject");
    g_assert_true(has_recipient(ev, A) && has_recipient(ev, B));
    g_assert_cmpstr(ev ? ev->recipients->pdata[0] : NULL, ==, A);
    g_assert_null(call(f, f->admin_b, "s3:PutBucketPolicy",
                       "{\"Bucket\":\"exports-222\",\"Policy\":\"{\\\"Version\\\":\\\"2012-10-17\\\","
                       "\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{\\\"AWS\\\":"
                       "\\\"arn:aws:iam::" A ":root\\\"},\\\"Action\\\":\\\"s3:PutObject\\\","
                       "\\\"Resource\\\":\\\"arn:aws:s3:::exports-222/*\\\"}]}\"}"));
    g_assert_null(call(f, f->admin, "s3:PutObject", "%s", put));
    ev = last_event(f, "PutObject");
    g_assert_true(ev && ev->data_type && has_recipient(ev, A) && has_recipient(ev, B));
    g_assert_null(call(f, f->admin_b, "s3:GetBucketPolicy", "{\"Bucket\":\"exports-222\"}"));
    g_assert_nonnull(strstr(out_str(f, "Policy"), "s3:PutObject"));
    g_assert_cmpstr(call(f, f->admin, "s3:GetBucketPolicy", "{\"Bucket\":\"exports-222\"}"), ==,
                    "MethodNotAllowed");
    g_assert_null(call(f, f->admin_b, "s3:DeleteBucketPolicy", "{\"Bucket\":\"exports-222\"}"));
    g_assert_cmpstr(call(f, f->admin_b, "s3:GetBucketPolicy", "{\"Bucket\":\"exports-222\"}"), ==,
                    "NoSuchBucketPolicy");
    /* Missing things. */
    g_assert_cmpstr(call(f, f->admin_b, "s3:GetObject", "{\"Bucket\":\"nope-bucket\",\"Key\":\"k\"}"), ==,
                    "NoSuchBucket");
    g_assert_cmpstr(call(f, f->admin_b, "s3:GetObject", "{\"Bucket\":\"exports-222\",\"Key\":\"k\"}"), ==,
                    "NoSuchKey");
    /* Without s3:ListBucket a missing key is AccessDenied. */
    g_assert_cmpstr(call(f, f->ds, "s3:GetObject", "{\"Bucket\":\"exports-222\",\"Key\":\"churn/k\"}"), ==,
                    "AccessDenied");
    g_assert_null(call(f, f->admin_b, "s3:DeleteObject", "{\"Bucket\":\"exports-222\",\"Key\":\"a/b.txt\"}"));
    g_assert_null(g_hash_table_lookup(world_bucket_get(f->w, "exports-222")->objects, "a/b.txt"));
    /* Buckets. */
    g_assert_null(call(f, f->admin_b, "s3:CreateBucket", "{\"Bucket\":\"made-by-b\"}"));
    g_assert_cmpstr(call(f, f->admin, "s3:CreateBucket", "{\"Bucket\":\"made-by-b\"}"), ==,
                    "BucketAlreadyExists");
    g_assert_cmpstr(call(f, f->admin_b, "s3:CreateBucket", "{\"Bucket\":\"made-by-b\"}"), ==,
                    "BucketAlreadyOwnedByYou");
    g_assert_null(call(f, f->admin_b, "s3:ListBuckets", "{}"));
    g_assert_cmpint(out_len(f, "Buckets"), >=, 1);
    /* SageMaker writing with a caller's rights. */
    api_error e = { 0 };
    g_assert_true(s3_put_as(f->w, f->ds, NULL, SM, "s3://exports-222/churn/x.pdf", &e));
    g_assert_false(s3_put_as(f->w, f->ds, NULL, SM, "s3://exports-222/other/x.pdf", &e));
    g_assert_cmpstr(e.code, ==, "AccessDenied");
    api_error_clear(&e);
    g_assert_false(s3_put_as(f->w, f->ds, NULL, SM, "s3://exports-222", &e));
    g_assert_cmpstr(e.code, ==, "InvalidURI");
    api_error_clear(&e);
    fx_free(f);
}

/* ---- lifecycle, paging, determinism ------------------------------------------------------ */

static void test_delete_cancels_export(void)
{
    g_test_summary("MC1: deleting a card removes its export jobs and cancels a pending one");
    fx *f = fx_new();
    create_card(f, f->admin, NULL);
    g_assert_null(export_job(f, f->admin, "churn", "pdf1", "s3://exports-111"));
    g_assert_cmpuint(f->host.queue->len, ==, 1);
    g_assert_null(call(f, f->admin, "sagemaker:DeleteModelCard", "{\"ModelCardName\":\"churn\"}"));
    g_assert_cmpuint(f->host.queue->len, ==, 0);
    g_assert_null(world_resource_owner(f->w, CARD_ARN "/export-job/pdf1"));
    g_assert_cmpstr(call(f, f->admin, "sagemaker:DescribeModelCardExportJob",
                         "{\"ModelCardExportJobArn\":\"" CARD_ARN "/export-job/pdf1\"}"), ==, "ResourceNotFound");
    g_assert_cmpstr(call(f, f->admin, "sagemaker:DeleteModelCard", "{\"ModelCardName\":\"churn\"}"), ==,
                    "ResourceNotFound");
    test_host_advance(&f->host, 3600);
    g_assert_null(last_event(f, "ModelCardExportJobStateChange"));
    fx_free(f);
}

static void test_list_paging(void)
{
    g_test_summary("Listings are sorted and paged with NextToken");
    fx *f = fx_new();
    for (int i = 0; i < 5; i++) {
        g_assert_null(call(f, f->admin, "sagemaker:CreateModelCard",
                           "{\"ModelCardName\":\"card-%d\",\"Content\":\"{}\",\"ModelCardStatus\":\"%s\"}", i,
                           i % 2 ? "Approved" : "Draft"));
        test_host_advance(&f->host, 10);
    }
    g_assert_null(call(f, f->admin, "sagemaker:ListModelCards",
                       "{\"MaxResults\":2,\"SortBy\":\"Name\",\"SortOrder\":\"Ascending\"}"));
    g_assert_cmpint(out_len(f, "ModelCardSummaries"), ==, 2);
    g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(f->out, "ModelCardSummaries"), 0), "ModelCardName")),
        ==, "card-0");
    g_autofree char *next = g_strdup(out_str(f, "NextToken"));
    g_assert_nonnull(next);
    g_assert_null(call(f, f->admin, "sagemaker:ListModelCards",
                       "{\"MaxResults\":10,\"SortBy\":\"Name\",\"SortOrder\":\"Ascending\",\"NextToken\":\"%s\"}",
                       next));
    g_assert_cmpint(out_len(f, "ModelCardSummaries"), ==, 3);
    g_assert_null(out_str(f, "NextToken"));
    /* Default: newest first. */
    g_assert_null(call(f, f->admin, "sagemaker:ListModelCards", "{\"ModelCardStatus\":\"Approved\"}"));
    g_assert_cmpint(out_len(f, "ModelCardSummaries"), ==, 2);
    g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(f->out, "ModelCardSummaries"), 0), "ModelCardName")),
        ==, "card-3");
    g_assert_null(call(f, f->admin, "sagemaker:ListModelCards",
                       "{\"CreationTimeAfter\":\"2026-01-05T09:00:15Z\"}"));
    g_assert_cmpint(out_len(f, "ModelCardSummaries"), ==, 3);
    g_assert_cmpstr(call(f, f->admin, "sagemaker:ListModelCards", "{\"NextToken\":\"bogus\"}"), ==,
                    "ValidationException");
    fx_free(f);
}

/* One export, end to end; the record times and ids it produced. */
static char *export_trace(void)
{
    fx *f = fx_new();
    create_card(f, f->admin, f->key_grant->arn);
    g_assert_null(export_job(f, f->admin, "churn", "pdf1", "s3://exports-111"));
    test_host_advance(&f->host, 3600);
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < f->host.events->len; i++) {
        const trail_event *ev = f->host.events->pdata[i];
        g_string_append_printf(s, "%" G_GINT64_FORMAT " %s %s\n", ev->time_us, ev->event_name, ev->request_id);
    }
    fx_free(f);
    return g_string_free(s, FALSE);
}

static void test_determinism(void)
{
    g_test_summary("The same world and seed give the same records, times and ids");
    g_autofree char *a = export_trace();
    g_autofree char *b = export_trace();
    g_assert_cmpstr(a, ==, b);
    /* The export ran for a drawn, plausible duration (lognormal, median 60 s). */
    g_assert_nonnull(strstr(a, "ModelCardExportJobStateChange"));
    g_assert_null(strstr(a, "\n0 ModelCardExportJobStateChange"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    kept = g_ptr_array_new_with_free_func(g_free);
    g_test_set_nonfatal_assertions();
    g_test_add_func("/cards/MC1/owner-creates-and-owns", test_mc1_owner);
    g_test_add_func("/cards/MC5/content-change-makes-version", test_mc5_versions);
    g_test_add_func("/cards/MC6/quota-counts-owner", test_mc6_quota);
    g_test_add_func("/cards/MC2/share-accepted-and-identity-policy", test_mc2_cross_account);
    g_test_add_func("/cards/MC2/default-permission-no-export", test_mc2_default_permission);
    g_test_add_func("/cards/MC3/export-job-owned-by-card-account", test_mc3_export_owned_by_card_account);
    g_test_add_func("/cards/MC3/s3-put-denied-export-fails", test_mc3_s3_denied_same_account);
    g_test_add_func("/cards/MC3/cross-account-s3-denied", test_mc3_s3_denied_cross_account);
    g_test_add_func("/cards/MC4/key-policy-missing-grant", test_mc4_key_policy_missing_grant);
    g_test_add_func("/cards/MC4/identity-policy-missing-grant", test_mc4_identity_missing_grant);
    g_test_add_func("/cards/MC4/both-grant", test_mc4_both_grant);
    g_test_add_func("/cards/MC4/via-service-and-context", test_mc4_conditions);
    g_test_add_func("/cards/L2/kms-cross-account-records", test_l2_kms_cross_account_records);
    g_test_add_func("/cards/kms/operations", test_kms_operations);
    g_test_add_func("/cards/L1/s3-data-events", test_s3_data_events);
    g_test_add_func("/cards/MC1/delete-cancels-export", test_delete_cancels_export);
    g_test_add_func("/cards/list/sorted-and-paged", test_list_paging);
    g_test_add_func("/cards/determinism/same-seed-same-records", test_determinism);
    int rc = g_test_run();
    g_ptr_array_unref(kept);
    return rc;
}
