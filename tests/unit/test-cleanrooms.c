/* tests/unit/test-cleanrooms.c: Clean Rooms ML audience generation jobs
 * across accounts (CR1-CR11), with the Clean Rooms collaborations they
 * rely on, and what each account's audit log receives.
 *
 * Each case builds a world by hand: the advertiser A (111111111111), who
 * starts jobs, the model owner B (222222222222), who owns the configured
 * audience model (CAM), and an agency C (333333333333).  A tiny host keeps
 * the pending happenings in a list the test runs in (time, seq) order and
 * collects trail events and notifications.  Everything is driven through
 * api_invoke, as actors drive it; every error a call returns must be one
 * botocore declares for the operation. */
#include <glib.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "model/api.h"
#include "model/world_int.h"
#include "tests/unit/host.h"
#include "model/cleanrooms_ml.h"
#include "model/shapes.h"

#define A "111111111111"
#define B "222222222222"
#define C "333333333333"
#define REGION "us-east-1"
#define ML_ARN "arn:aws:cleanrooms-ml:" REGION ":"
#define START "cleanrooms-ml:StartAudienceGenerationJob"
#define ALLOW_ALL "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"

/* ---- the test host ------------------------------------------------------------------- */

typedef struct fx {
    world      *w;
    test_host   host;       /* clock, pending happenings, events, notes */
    cJSON      *out;
    api_error   err;
    principal  *a, *b, *c, *a_narrow, *b_nopolicy, *a_nopass, *b_tagged;
    char       *collab, *ms_b, *cam, *model, *dataset;
} fx;

/* ---- the world ------------------------------------------------------------------------ */

static world_policy *policy(const char *text)
{
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

static void set_quota(fx *f, const char *account, const char *name, gint64 v)
{
    world_set_quota(f->w, world_account_get(f->w, account), name, v);
}

static fx *fx_new(void)
{
    fx *f = g_new0(fx, 1);
    f->w = world_new(4, REGION, 1772438400);     /* 2026-03-02T08:00:00Z */
    test_host_init(&f->host, f->w);
    world_account *a = world_add_account(f->w, A, "advertiser");
    world_account *b = world_add_account(f->w, B, "model-owner");
    world_account *c = world_add_account(f->w, C, "agency");
    world_role *ra = world_add_role(f->w, a, "Admin", NULL, NULL);
    g_ptr_array_add(ra->inline_policies, policy(ALLOW_ALL));
    world_role *rb = world_add_role(f->w, b, "Admin", NULL, NULL);
    g_ptr_array_add(rb->inline_policies, policy(ALLOW_ALL));
    world_role *rc = world_add_role(f->w, c, "Admin", NULL, NULL);
    g_ptr_array_add(rc->inline_policies, policy(ALLOW_ALL));
    /* Start allowed on B's resources only, not on A's own job ARN (CR6). */
    world_role *rn = world_add_role(f->w, a, "Narrow", NULL, NULL);
    g_ptr_array_add(rn->inline_policies, policy(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"" START "\","
        "\"Resource\":[\"" ML_ARN B ":*\"]}]}"));
    /* Everything in Clean Rooms, nothing on CAM policies (CR5). */
    world_role *rp = world_add_role(f->w, b, "NoPolicy", NULL, NULL);
    g_ptr_array_add(rp->inline_policies, policy(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"cleanrooms:*\","
        "\"Resource\":\"*\"}]}"));
    /* Every Clean Rooms ML action, but no iam:PassRole. */
    world_role *rnp = world_add_role(f->w, a, "NoPass", NULL, NULL);
    g_ptr_array_add(rnp->inline_policies, policy(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"cleanrooms-ml:*\","
        "\"Resource\":\"*\"}]}"));
    f->a_nopass = session(f, rnp);
    /* Reads jobs tagged team=ml only (tag-based access on B's copies). */
    world_role *rt = world_add_role(f->w, b, "TagReader", NULL, NULL);
    g_ptr_array_add(rt->inline_policies, policy(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
        "\"Action\":\"cleanrooms-ml:GetAudienceGenerationJob\",\"Resource\":\"*\","
        "\"Condition\":{\"StringEquals\":{\"aws:ResourceTag/team\":\"ml\"}}}]}"));
    f->b_tagged = session(f, rt);
    f->a = session(f, ra);
    f->b = session(f, rb);
    f->c = session(f, rc);
    f->a_narrow = session(f, rn);
    f->b_nopolicy = session(f, rp);
    return f;
}

static void fx_free(fx *f)
{
    cJSON_Delete(f->out);
    api_error_clear(&f->err);
    principal_free(f->a);
    principal_free(f->b);
    principal_free(f->c);
    principal_free(f->a_narrow);
    principal_free(f->b_nopolicy);
    principal_free(f->a_nopass);
    principal_free(f->b_tagged);
    test_host_clear(&f->host);
    world_free(f->w);
    g_free(f->collab); g_free(f->ms_b); g_free(f->cam); g_free(f->model); g_free(f->dataset);
    g_free(f);
}

/* Calls action as p with the JSON input; returns the error code (NULL on
 * success) and checks that botocore declares it for the operation. */
static const char *call(fx *f, const principal *p, const char *action, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);
static const char *call(fx *f, const principal *p, const char *action, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    test_host_vcall(&f->host, p, action, &f->out, &f->err, fmt, ap);
    va_end(ap);
    if (f->err.code) {
        const char *colon = strchr(action, ':');
        g_autofree char *prefix = g_strndup(action, (gsize)(colon - action));
        g_assert_true(shapes_op_declares(api_shapes(), prefix, colon + 1, f->err.code));
    }
    return f->err.code;
}

static const cJSON *out_path(const fx *f, const char *path) { return test_path(f->out, path); }
static const char *out_str(const fx *f, const char *path) { return test_str(f->out, path); }

static char *out_dup(const fx *f, const char *path)
{
    return g_strdup(out_str(f, path));
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The JSON text of the object at path ("{}" when absent), sorted by key. */
static char *out_tags(const fx *f, const char *path)
{
    const cJSON *t = out_path(f, path);
    g_autoptr(GPtrArray) keys = g_ptr_array_new();
    const cJSON *e;
    cJSON_ArrayForEach(e, t)
        g_ptr_array_add(keys, e->string);
    g_ptr_array_sort(keys, cmp_str);
    GString *s = g_string_new("");
    for (guint i = 0; i < keys->len; i++)
        g_string_append_printf(s, "%s%s=%s", i ? "," : "", (char *)keys->pdata[i],
                               cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t, keys->pdata[i])));
    return g_string_free(s, FALSE);
}

/* B's ARN of a job whose A ARN is a_arn. */
static char *other_arn(const char *arn, const char *account)
{
    g_auto(GStrv) p = g_strsplit(arn, ":", 6);
    return g_strdup_printf("%s:%s:%s:%s:%s:%s", p[0], p[1], p[2], p[3], account, p[5]);
}

/* ---- set-ups -------------------------------------------------------------------------------- */

/* A collaboration created by `creator` with the two other accounts as
 * members; `joiners` (a string of 'A', 'B', 'C') create their memberships.
 * Keeps the collaboration id and B's membership id. */
static void collaboration(fx *f, const principal *creator, const char *joiners)
{
    const char *me = creator->account;
    const char *m1 = strcmp(me, A) == 0 ? B : A, *m2 = strcmp(me, C) == 0 ? B : C;
    g_assert_null(call(f, creator, "cleanrooms:CreateCollaboration",
        "{\"name\":\"c\",\"description\":\"d\",\"creatorDisplayName\":\"creator\","
        "\"creatorMemberAbilities\":[\"CAN_QUERY\"],\"queryLogStatus\":\"DISABLED\","
        "\"members\":[{\"accountId\":\"%s\",\"displayName\":\"m1\",\"memberAbilities\":[]},"
        "{\"accountId\":\"%s\",\"displayName\":\"m2\",\"memberAbilities\":[]}]}", m1, m2));
    g_free(f->collab);
    f->collab = out_dup(f, "collaboration.id");
    for (const char *j = joiners; *j; j++) {
        const principal *p = *j == 'A' ? f->a : *j == 'B' ? f->b : f->c;
        g_assert_null(call(f, p, "cleanrooms:CreateMembership",
                           "{\"collaborationIdentifier\":\"%s\",\"queryLogStatus\":\"DISABLED\"}",
                           f->collab));
        if (*j == 'B') {
            g_free(f->ms_b);
            f->ms_b = out_dup(f, "membership.id");
        }
    }
}

/* B's trained audience model and a CAM on it with the given child tag
 * policy and tags {team: ml, env: prod}. */
static void cam(fx *f, const char *child_policy)
{
    g_assert_null(call(f, f->b, "cleanrooms-ml:CreateTrainingDataset",
        "{\"name\":\"ds\",\"roleArn\":\"arn:aws:iam::" B ":role/Admin\",\"trainingData\":[{"
        "\"type\":\"INTERACTIONS\",\"inputConfig\":{\"schema\":[{\"columnName\":\"u\","
        "\"columnTypes\":[\"USER_ID\"]}],\"dataSource\":{\"glueDataSource\":{"
        "\"tableName\":\"t\",\"databaseName\":\"d\"}}}}]}"));
    f->dataset = out_dup(f, "trainingDatasetArn");
    g_assert_null(call(f, f->b, "cleanrooms-ml:CreateAudienceModel",
                       "{\"name\":\"m\",\"trainingDatasetArn\":\"%s\"}", f->dataset));
    f->model = out_dup(f, "audienceModelArn");
    test_host_advance(&f->host, 86400);
    g_assert_null(call(f, f->b, "cleanrooms-ml:GetAudienceModel", "{\"audienceModelArn\":\"%s\"}",
                       f->model));
    g_assert_cmpstr(out_str(f, "status"), ==, "ACTIVE");
    g_assert_null(call(f, f->b, "cleanrooms-ml:CreateConfiguredAudienceModel",
        "{\"name\":\"cam\",\"audienceModelArn\":\"%s\",\"outputConfig\":{\"destination\":{"
        "\"s3Destination\":{\"s3Uri\":\"s3://b-out/x\"}},\"roleArn\":\"arn:aws:iam::" B ":role/Admin\"},"
        "\"sharedAudienceMetrics\":[\"ALL\"],\"childResourceTagOnCreatePolicy\":\"%s\","
        "\"tags\":{\"team\":\"ml\",\"env\":\"prod\"}}", f->model, child_policy));
    f->cam = out_dup(f, "configuredAudienceModelArn");
}

/* The association of f->cam in B's membership, managing the policy. */
static const char *associate(fx *f, const principal *p)
{
    return call(f, p, "cleanrooms:CreateConfiguredAudienceModelAssociation",
                "{\"membershipIdentifier\":\"%s\",\"configuredAudienceModelArn\":\"%s\","
                "\"configuredAudienceModelAssociationName\":\"a\",\"manageResourcePolicies\":true}",
                f->ms_b, f->cam);
}

/* Collaboration of B with A and C, all joined, the CAM associated. */
static void standard(fx *f, const char *child_policy)
{
    collaboration(f, f->b, "BAC");
    cam(f, child_policy);
    g_assert_null(associate(f, f->b));
}

static const char *start(fx *f, const principal *p, const char *name, const char *collab,
                         const char *tags)
{
    g_autofree char *cid = collab ? g_strdup_printf(",\"collaborationId\":\"%s\"", collab)
                                  : g_strdup("");
    g_autofree char *tg = tags ? g_strdup_printf(",\"tags\":%s", tags) : g_strdup("");
    return call(f, p, START,
                "{\"name\":\"%s\",\"configuredAudienceModelArn\":\"%s\",\"seedAudience\":{"
                "\"dataSource\":{\"s3Uri\":\"s3://seed-%s/s.csv\"},\"roleArn\":\"arn:aws:iam::%s:role/Admin\"}"
                "%s%s}", name, f->cam, p->account, p->account, cid, tg);
}

static const char *get_job(fx *f, const principal *p, const char *arn)
{
    return call(f, p, "cleanrooms-ml:GetAudienceGenerationJob",
                "{\"audienceGenerationJobArn\":\"%s\"}", arn);
}

static guint count_events(const fx *f, const char *name, guint kind)
{
    guint n = 0;
    for (guint i = 0; i < f->host.events->len; i++) {
        const trail_event *ev = f->host.events->pdata[i];
        if ((!name || strcmp(ev->event_name, name) == 0) && (guint)ev->kind == kind)
            n++;
    }
    return n;
}

static trail_event *last_event(const fx *f, const char *name)
{
    for (guint i = f->host.events->len; i-- > 0;) {
        trail_event *ev = f->host.events->pdata[i];
        if (strcmp(ev->event_name, name) == 0)
            return ev;
    }
    return NULL;
}

/* ---- cases ----------------------------------------------------------------------------------- */

static void test_cr1_two_arns(void)
{
    g_test_summary("A's job on B's CAM has two ARNs that differ only in the account id");
    fx *f = fx_new();
    standard(f, "NONE");
    g_assert_null(start(f, f->a, "q1", f->collab, NULL));
    g_autofree char *a_arn = out_dup(f, "audienceGenerationJobArn");
    g_assert_true(g_str_has_prefix(a_arn, ML_ARN A ":audience-generation-job/"));
    g_autofree char *b_arn = other_arn(a_arn, B);
    g_assert_null(get_job(f, f->a, a_arn));
    g_assert_cmpstr(out_str(f, "audienceGenerationJobArn"), ==, a_arn);
    g_assert_null(get_job(f, f->b, b_arn));
    g_assert_cmpstr(out_str(f, "audienceGenerationJobArn"), ==, b_arn);
    g_assert_cmpstr(out_str(f, "startedBy"), ==, A);
    g_assert_cmpstr(out_str(f, "configuredAudienceModelArn"), ==, f->cam);
    /* An own-account job has one ARN only. */
    g_assert_null(start(f, f->b, "own", NULL, NULL));
    g_autofree char *own = out_dup(f, "audienceGenerationJobArn");
    g_autofree char *own_in_a = other_arn(own, A);
    g_assert_null(call(f, f->b, "cleanrooms-ml:ListAudienceGenerationJobs", "{}"));
    g_assert_cmpint(cJSON_GetArraySize(out_path(f, "audienceGenerationJobs")), ==, 2);
    g_assert_null(call(f, f->a, "cleanrooms-ml:ListAudienceGenerationJobs", "{}"));
    g_assert_cmpint(cJSON_GetArraySize(out_path(f, "audienceGenerationJobs")), ==, 1);
    /* A's own ARN for it names nothing in A. */
    g_assert_cmpstr(get_job(f, f->a, own_in_a), ==, "ResourceNotFoundException");
    fx_free(f);
}

static void test_cr2_other_arn_refused(void)
{
    g_test_summary("Each account reaches the job through its own ARN; the other ARN fails for "
                   "both, whether or not a job is behind it");
    fx *f = fx_new();
    standard(f, "NONE");
    g_assert_null(start(f, f->a, "q1", f->collab, NULL));
    g_autofree char *a_arn = out_dup(f, "audienceGenerationJobArn");
    g_autofree char *b_arn = other_arn(a_arn, B);
    g_assert_cmpstr(get_job(f, f->a, b_arn), ==, "AccessDeniedException");
    g_assert_nonnull(strstr(f->err.message, b_arn));
    g_assert_cmpstr(get_job(f, f->b, a_arn), ==, "AccessDeniedException");
    g_autofree char *nothing = other_arn(a_arn, C);
    g_assert_cmpstr(get_job(f, f->a, nothing), ==, "AccessDeniedException");
    g_assert_cmpstr(call(f, f->a, "cleanrooms-ml:DeleteAudienceGenerationJob",
                         "{\"audienceGenerationJobArn\":\"%s\"}", b_arn), ==, "AccessDeniedException");
    test_host_advance(&f->host, 86400);
    g_assert_cmpstr(call(f, f->b, "cleanrooms-ml:StartAudienceExportJob",
                         "{\"name\":\"x\",\"audienceGenerationJobArn\":\"%s\",\"audienceSize\":{"
                         "\"type\":\"ABSOLUTE\",\"value\":10}}", a_arn), ==, "AccessDeniedException");
    g_assert_null(call(f, f->b, "cleanrooms-ml:StartAudienceExportJob",
                       "{\"name\":\"x\",\"audienceGenerationJobArn\":\"%s\",\"audienceSize\":{"
                       "\"type\":\"ABSOLUTE\",\"value\":10}}", b_arn));
    fx_free(f);
}

static void test_cr3_one_execution(void)
{
    g_test_summary("The job runs once, both accounts list it with the same status, and either "
                   "deletes both copies");
    fx *f = fx_new();
    standard(f, "NONE");
    g_assert_null(start(f, f->a, "q1", f->collab, NULL));
    g_autofree char *a_arn = out_dup(f, "audienceGenerationJobArn");
    g_autofree char *b_arn = other_arn(a_arn, B);
    g_assert_null(get_job(f, f->b, b_arn));
    g_assert_cmpstr(out_str(f, "status"), ==, "CREATE_PENDING");
    guint before = f->host.notes->len;
    test_host_advance(&f->host, 86400);
    /* Each status change reaches both accounts once (pending->in progress->active). */
    guint to_a = 0, to_b = 0;
    for (guint i = before; i < f->host.notes->len; i++) {
        const cJSON *n = f->host.notes->pdata[i];
        if (g_strcmp0(cJSON_GetStringValue(cJSON_GetObjectItem(n, "kind")),
                      "cleanrooms-ml:audience-generation-job") != 0)
            continue;
        const char *acct = cJSON_GetStringValue(cJSON_GetObjectItem(n, "account"));
        to_a += g_strcmp0(acct, A) == 0;
        to_b += g_strcmp0(acct, B) == 0;
    }
    g_assert_cmpuint(to_a, ==, 2);
    g_assert_cmpuint(to_b, ==, 2);
    g_assert_null(get_job(f, f->a, a_arn));
    g_assert_cmpstr(out_str(f, "status"), ==, "ACTIVE");
    g_autofree char *ta = out_dup(f, "updateTime");
    g_assert_null(get_job(f, f->b, b_arn));
    g_assert_cmpstr(out_str(f, "status"), ==, "ACTIVE");
    g_assert_cmpstr(out_str(f, "updateTime"), ==, ta);
    g_assert_null(call(f, f->b, "cleanrooms-ml:ListAudienceGenerationJobs",
                       "{\"configuredAudienceModelArn\":\"%s\"}", f->cam));
    g_assert_cmpstr(out_str(f, "audienceGenerationJobs.0.audienceGenerationJobArn"), ==, b_arn);
    g_assert_null(call(f, f->a, "cleanrooms-ml:DeleteAudienceGenerationJob",
                       "{\"audienceGenerationJobArn\":\"%s\"}", a_arn));
    g_assert_cmpstr(get_job(f, f->b, b_arn), ==, "ResourceNotFoundException");
    g_assert_cmpstr(get_job(f, f->a, a_arn), ==, "ResourceNotFoundException");
    g_assert_null(call(f, f->b, "cleanrooms-ml:ListAudienceGenerationJobs", "{}"));
    g_assert_cmpint(cJSON_GetArraySize(out_path(f, "audienceGenerationJobs")), ==, 0);
    fx_free(f);
}

static void test_cr4_names(void)
{
    g_test_summary("Names are unique per account; in B the job is named <A>-<name>");
    fx *f = fx_new();
    standard(f, "NONE");
    g_assert_null(start(f, f->a, "q1", f->collab, NULL));
    g_autofree char *b_arn = other_arn(out_str(f, "audienceGenerationJobArn"), B);
    g_assert_null(get_job(f, f->b, b_arn));
    g_assert_cmpstr(out_str(f, "name"), ==, A "-q1");
    g_assert_cmpstr(start(f, f->a, "q1", f->collab, NULL), ==, "ConflictException");
    /* B's own job may not take the name B already shows for A's job. */
    g_assert_cmpstr(start(f, f->b, A "-q1", NULL, NULL), ==, "ConflictException");
    g_assert_null(start(f, f->b, "q1", NULL, NULL));
    /* C may use the same name: B sees it as <C>-q1. */
    g_assert_null(start(f, f->c, "q1", f->collab, NULL));
    g_autofree char *cb = other_arn(out_str(f, "audienceGenerationJobArn"), B);
    g_assert_null(get_job(f, f->b, cb));
    g_assert_cmpstr(out_str(f, "name"), ==, C "-q1");
    /* Deleting frees the name in both accounts. */
    g_assert_null(call(f, f->b, "cleanrooms-ml:DeleteAudienceGenerationJob",
                       "{\"audienceGenerationJobArn\":\"%s\"}", b_arn));
    g_assert_null(start(f, f->b, A "-q1", NULL, NULL));
    g_autofree char *squat = out_dup(f, "audienceGenerationJobArn");
    /* Now B's own job holds the name A's copy would take in B. */
    g_assert_cmpstr(start(f, f->a, "q1", f->collab, NULL), ==, "ConflictException");
    g_assert_nonnull(strstr(f->err.message, B));
    g_assert_null(call(f, f->b, "cleanrooms-ml:DeleteAudienceGenerationJob",
                       "{\"audienceGenerationJobArn\":\"%s\"}", squat));
    g_assert_null(start(f, f->a, "q1", f->collab, NULL));
    fx_free(f);
}

static void test_cr5_managed_policy(void)
{
    g_test_summary("manageResourcePolicies writes the CAM policy with the caller's rights and "
                   "the CollaborationId condition; deleting the association takes it out");
    fx *f = fx_new();
    collaboration(f, f->b, "BAC");
    cam(f, "NONE");
    /* No policy yet: A cannot start. */
    g_assert_cmpstr(start(f, f->a, "q1", f->collab, NULL), ==, "AccessDeniedException");
    /* A caller without cleanrooms-ml rights cannot have the policy written. */
    g_assert_cmpstr(associate(f, f->b_nopolicy), ==, "AccessDeniedException");
    g_assert_nonnull(strstr(f->err.message, "PutConfiguredAudienceModelPolicy"));
    g_assert_null(cleanrooms_ml_cam_policy(f->w, f->cam));
    g_assert_null(associate(f, f->b));
    g_autofree char *cama = out_dup(f, "configuredAudienceModelAssociation.id");
    trail_event *put = last_event(f, "PutConfiguredAudienceModelPolicy");
    g_assert_nonnull(put);
    g_assert_null(put->error_code);
    g_autofree char *by = test_identity_member(put, "invokedBy");
    g_assert_cmpstr(by, ==, "cleanrooms.amazonaws.com");
    g_assert_cmpstr(put->caller_account, ==, B);
    g_assert_null(call(f, f->b, "cleanrooms-ml:GetConfiguredAudienceModelPolicy",
                       "{\"configuredAudienceModelArn\":\"%s\"}", f->cam));
    g_autoptr(cJSON) doc = cJSON_Parse(out_str(f, "configuredAudienceModelPolicy"));
    const cJSON *st = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "Statement"), 0);
    g_autofree char *sid = g_strdup_printf("Clean-Rooms-%s", cama);
    g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(st, "Sid")), ==, sid);
    const cJSON *aws = cJSON_GetObjectItem(cJSON_GetObjectItem(st, "Principal"), "AWS");
    g_assert_cmpint(cJSON_GetArraySize(aws), ==, 2);
    g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetArrayItem(aws, 0)), ==, A);
    g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetArrayItem(aws, 1)), ==, C);
    const cJSON *res = cJSON_GetObjectItem(st, "Resource");
    g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetArrayItem(res, 0)), ==, f->cam);
    g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetArrayItem(res, 1)), ==,
                    ML_ARN B ":audience-generation-job/*");
    g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(
                        cJSON_GetObjectItem(st, "Condition"), "StringEquals"),
                        "cleanrooms-ml:CollaborationId")), ==, f->collab);
    /* The condition makes collaborationId necessary. */
    g_assert_cmpstr(start(f, f->a, "q1", NULL, NULL), ==, "AccessDeniedException");
    g_assert_null(start(f, f->a, "q1", f->collab, NULL));
    g_assert_null(call(f, f->b, "cleanrooms:DeleteConfiguredAudienceModelAssociation",
                       "{\"membershipIdentifier\":\"%s\","
                       "\"configuredAudienceModelAssociationIdentifier\":\"%s\"}", f->ms_b, cama));
    g_assert_null(cleanrooms_ml_cam_policy(f->w, f->cam));
    g_assert_cmpstr(start(f, f->a, "q2", f->collab, NULL), ==, "AccessDeniedException");
    fx_free(f);
}

static void test_cr5_policy_hash(void)
{
    g_test_summary("PutConfiguredAudienceModelPolicy returns the SHA-256 policyHash and refuses "
                   "a stale previousPolicyHash or a failed existence condition");
    fx *f = fx_new();
    collaboration(f, f->b, "B");
    cam(f, "NONE");
    const char *text = "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\","
                       "\\\"Principal\\\":{\\\"AWS\\\":\\\"" A "\\\"},\\\"Action\\\":\\\"" START "\\\","
                       "\\\"Resource\\\":\\\"*\\\"}]}";
    g_assert_cmpstr(call(f, f->b, "cleanrooms-ml:PutConfiguredAudienceModelPolicy",
                         "{\"configuredAudienceModelArn\":\"%s\",\"configuredAudienceModelPolicy\":\"%s\","
                         "\"policyExistenceCondition\":\"POLICY_MUST_EXIST\"}", f->cam, text), ==,
                    "ValidationException");
    g_assert_null(call(f, f->b, "cleanrooms-ml:PutConfiguredAudienceModelPolicy",
                       "{\"configuredAudienceModelArn\":\"%s\",\"configuredAudienceModelPolicy\":\"%s\"}",
                       f->cam, text));
    g_autofree char *hash = out_dup(f, "policyHash");
    g_autofree char *want = cleanrooms_ml_policy_hash(out_str(f, "configuredAudienceModelPolicy"));
    g_assert_cmpstr(hash, ==, want);
    g_assert_cmpuint(strlen(hash), ==, 64);
    g_assert_cmpstr(call(f, f->b, "cleanrooms-ml:PutConfiguredAudienceModelPolicy",
                         "{\"configuredAudienceModelArn\":\"%s\",\"configuredAudienceModelPolicy\":\"%s\","
                         "\"previousPolicyHash\":\"%064d\"}", f->cam, text, 0), ==,
                    "ValidationException");
    g_assert_cmpstr(call(f, f->b, "cleanrooms-ml:PutConfiguredAudienceModelPolicy",
                         "{\"configuredAudienceModelArn\":\"%s\",\"configuredAudienceModelPolicy\":\"{\"}",
                         f->cam), ==, "ValidationException");
    g_assert_null(call(f, f->b, "cleanrooms-ml:PutConfiguredAudienceModelPolicy",
                       "{\"configuredAudienceModelArn\":\"%s\",\"configuredAudienceModelPolicy\":\"%s\","
                       "\"previousPolicyHash\":\"%s\"}", f->cam, text, hash));
    g_assert_null(call(f, f->b, "cleanrooms-ml:DeleteConfiguredAudienceModelPolicy",
                       "{\"configuredAudienceModelArn\":\"%s\"}", f->cam));
    g_assert_cmpstr(call(f, f->b, "cleanrooms-ml:GetConfiguredAudienceModelPolicy",
                         "{\"configuredAudienceModelArn\":\"%s\"}", f->cam), ==,
                    "ResourceNotFoundException");
    fx_free(f);
}

/* B's own CAM policy allowing A and C on the given resources, no condition. */
static void put_policy(fx *f, const char *resources)
{
    g_assert_null(call(f, f->b, "cleanrooms-ml:PutConfiguredAudienceModelPolicy",
        "{\"configuredAudienceModelArn\":\"%s\",\"configuredAudienceModelPolicy\":"
        "\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\","
        "\\\"Principal\\\":{\\\"AWS\\\":[\\\"" A "\\\",\\\"" C "\\\"]},\\\"Action\\\":\\\"" START "\\\","
        "\\\"Resource\\\":%s}]}\"}", f->cam, resources));
}

static void test_cr6_three_resources(void)
{
    g_test_summary("A's job by A's identity policy, B's job and B's CAM by B's resource policy");
    fx *f = fx_new();
    collaboration(f, f->b, "BA");
    cam(f, "NONE");
    /* B's policy names the CAM but not B's jobs. */
    g_autofree char *only_cam = g_strdup_printf("[\\\"%s\\\"]", f->cam);
    put_policy(f, only_cam);
    g_assert_cmpstr(start(f, f->a, "q1", NULL, NULL), ==, "AccessDeniedException");
    g_assert_nonnull(strstr(f->err.message, ML_ARN B ":audience-generation-job/"));
    g_assert_nonnull(strstr(f->err.message, "resource-based policy"));
    /* Jobs but not the CAM. */
    put_policy(f, "[\\\"" ML_ARN B ":audience-generation-job/*\\\"]");
    g_assert_cmpstr(start(f, f->a, "q1", NULL, NULL), ==, "AccessDeniedException");
    g_assert_nonnull(strstr(f->err.message, f->cam));
    /* Both: the narrow role still lacks A's own job ARN. */
    g_autofree char *both = g_strdup_printf("[\\\"%s\\\",\\\"" ML_ARN B ":audience-generation-job/*\\\"]",
                                            f->cam);
    put_policy(f, both);
    g_assert_cmpstr(start(f, f->a_narrow, "q1", NULL, NULL), ==, "AccessDeniedException");
    g_assert_nonnull(strstr(f->err.message, ML_ARN A ":audience-generation-job/"));
    g_assert_nonnull(strstr(f->err.message, "identity-based policy"));
    g_assert_null(start(f, f->a, "q1", NULL, NULL));
    fx_free(f);
}

static void test_cr7_only_caller_records(void)
{
    g_test_summary("Only the starting account receives the StartAudienceGenerationJob record; "
                   "status changes write no CloudTrail record");
    fx *f = fx_new();
    standard(f, "NONE");
    g_assert_null(start(f, f->a, "q1", f->collab, NULL));
    g_autofree char *b_arn = other_arn(out_str(f, "audienceGenerationJobArn"), B);
    trail_event *ev = last_event(f, "StartAudienceGenerationJob");
    g_assert_nonnull(ev);
    g_assert_cmpuint(ev->recipients->len, ==, 1);
    g_assert_cmpstr(ev->recipients->pdata[0], ==, A);
    g_assert_cmpstr(ev->event_source, ==, "cleanrooms-ml.amazonaws.com");
    test_host_advance(&f->host, 86400);
    g_assert_cmpuint(count_events(f, NULL, TRAIL_SERVICE_EVENT), ==, 0);
    g_assert_null(call(f, f->b, "cleanrooms-ml:DeleteAudienceGenerationJob",
                       "{\"audienceGenerationJobArn\":\"%s\"}", b_arn));
    ev = last_event(f, "DeleteAudienceGenerationJob");
    g_assert_cmpuint(ev->recipients->len, ==, 1);
    g_assert_cmpstr(ev->recipients->pdata[0], ==, B);
    fx_free(f);
}

static void check_tags(fx *f, const principal *p, const char *arn, const char *want)
{
    g_assert_null(call(f, p, "cleanrooms-ml:ListTagsForResource", "{\"resourceArn\":\"%s\"}", arn));
    g_autofree char *got = out_tags(f, "tags");
    g_assert_cmpstr(got, ==, want);
}

static void test_cr8_tags(void)
{
    g_test_summary("childResourceTagOnCreatePolicy: own jobs merge the CAM's tags under the "
                   "request's; across accounts B's copy has the parent's tags, A's the request's");
    static const struct { const char *policy, *own, *a_copy, *b_copy; } cases[] = {
        { "FROM_PARENT_RESOURCE", "env=test,owner=b,team=ml", "campaign=q1", "env=prod,team=ml" },
        { "NONE", "env=test,owner=b", "campaign=q1", "" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        fx *f = fx_new();
        standard(f, cases[i].policy);
        g_assert_null(start(f, f->b, "own", NULL, "{\"env\":\"test\",\"owner\":\"b\"}"));
        g_autofree char *own = out_dup(f, "audienceGenerationJobArn");
        check_tags(f, f->b, own, cases[i].own);
        g_assert_null(start(f, f->a, "q1", f->collab, "{\"campaign\":\"q1\"}"));
        g_autofree char *a_arn = out_dup(f, "audienceGenerationJobArn");
        g_autofree char *b_arn = other_arn(a_arn, B);
        check_tags(f, f->a, a_arn, cases[i].a_copy);
        check_tags(f, f->b, b_arn, cases[i].b_copy);
        /* Each copy's tags are its account's own. */
        g_assert_null(call(f, f->b, "cleanrooms-ml:TagResource",
                           "{\"resourceArn\":\"%s\",\"tags\":{\"x\":\"1\"}}", b_arn));
        check_tags(f, f->a, a_arn, cases[i].a_copy);
        g_assert_null(call(f, f->a, "cleanrooms-ml:UntagResource",
                           "{\"resourceArn\":\"%s\",\"tagKeys\":[\"campaign\"]}", a_arn));
        check_tags(f, f->a, a_arn, "");
        g_assert_null(get_job(f, f->b, b_arn));
        g_assert_nonnull(cJSON_GetObjectItem(out_path(f, "tags"), "x"));
        fx_free(f);
    }
}

static void test_cr8_tag_based_access(void)
{
    g_test_summary("Each account applies its own tag-based policies to its own copy");
    fx *f = fx_new();
    standard(f, "FROM_PARENT_RESOURCE");
    g_assert_null(start(f, f->a, "q1", f->collab, "{\"team\":\"other\"}"));
    g_autofree char *b_arn = other_arn(out_str(f, "audienceGenerationJobArn"), B);
    /* B's copy carries the CAM's team=ml, whatever A tagged its own copy. */
    g_assert_null(get_job(f, f->b_tagged, b_arn));
    g_assert_null(call(f, f->b, "cleanrooms-ml:TagResource",
                       "{\"resourceArn\":\"%s\",\"tags\":{\"team\":\"finance\"}}", b_arn));
    g_assert_cmpstr(get_job(f, f->b_tagged, b_arn), ==, "AccessDeniedException");
    fx_free(f);
}

static void test_cr9_membership(void)
{
    g_test_summary("With collaborationId the collaboration must exist and both the caller and "
                   "the CAM's owner must be active members");
    fx *f = fx_new();
    /* A creates the collaboration; B and A join; C is only invited. */
    collaboration(f, f->a, "AB");
    cam(f, "NONE");
    put_policy(f, "\\\"*\\\"");
    g_assert_cmpstr(start(f, f->a, "q0", "00000000-0000-4000-8000-000000000000", NULL), ==,
                    "ResourceNotFoundException");
    g_assert_cmpstr(start(f, f->c, "q0", f->collab, NULL), ==, "AccessDeniedException");
    g_assert_nonnull(strstr(f->err.message, "(the caller) is not an active member"));
    g_assert_nonnull(strstr(f->err.message, "INVITED"));
    g_assert_null(start(f, f->a, "q1", f->collab, NULL));
    /* Without collaborationId nothing is checked (the policy has no condition). */
    g_assert_null(start(f, f->c, "q2", NULL, NULL));
    /* The owner leaves: A is refused. */
    g_assert_null(call(f, f->b, "cleanrooms:DeleteMembership", "{\"membershipIdentifier\":\"%s\"}",
                       f->ms_b));
    g_assert_cmpstr(start(f, f->a, "q3", f->collab, NULL), ==, "AccessDeniedException");
    g_assert_nonnull(strstr(f->err.message, "owner) is not an active member"));
    g_assert_nonnull(strstr(f->err.message, "LEFT"));
    /* The creator removes itself? No: it deletes the collaboration. */
    g_assert_cmpstr(call(f, f->a, "cleanrooms:DeleteMember",
                         "{\"collaborationIdentifier\":\"%s\",\"accountId\":\"" A "\"}", f->collab), ==,
                    "ValidationException");
    g_assert_null(call(f, f->a, "cleanrooms:DeleteCollaboration", "{\"collaborationIdentifier\":\"%s\"}",
                       f->collab));
    g_assert_cmpstr(start(f, f->a, "q4", f->collab, NULL), ==, "ResourceNotFoundException");
    g_assert_cmpstr(call(f, f->a, "cleanrooms:GetCollaboration", "{\"collaborationIdentifier\":\"%s\"}",
                         f->collab), ==, "AccessDeniedException");
    fx_free(f);
}

static void test_cr9_removed_member(void)
{
    g_test_summary("A member the creator removed is no longer active");
    fx *f = fx_new();
    standard(f, "NONE");
    g_assert_cmpstr(call(f, f->a, "cleanrooms:DeleteMember",
                         "{\"collaborationIdentifier\":\"%s\",\"accountId\":\"" C "\"}", f->collab), ==,
                    "AccessDeniedException");
    g_assert_null(call(f, f->b, "cleanrooms:DeleteMember",
                       "{\"collaborationIdentifier\":\"%s\",\"accountId\":\"" C "\"}", f->collab));
    g_assert_cmpstr(start(f, f->c, "q1", f->collab, NULL), ==, "AccessDeniedException");
    g_assert_nonnull(strstr(f->err.message, "REMOVED"));
    g_assert_null(call(f, f->c, "cleanrooms:ListMemberships", "{}"));
    g_assert_cmpstr(out_str(f, "membershipSummaries.0.status"), ==, "REMOVED");
    g_assert_null(start(f, f->a, "q1", f->collab, NULL));
    fx_free(f);
}

static void test_cr10_only_start_crosses(void)
{
    g_test_summary("Every call but StartAudienceGenerationJob works on the caller's own "
                   "resources only");
    fx *f = fx_new();
    standard(f, "NONE");
    g_assert_cmpstr(call(f, f->a, "cleanrooms-ml:GetConfiguredAudienceModel",
                         "{\"configuredAudienceModelArn\":\"%s\"}", f->cam), ==, "AccessDeniedException");
    g_assert_cmpstr(call(f, f->a, "cleanrooms-ml:GetConfiguredAudienceModelPolicy",
                         "{\"configuredAudienceModelArn\":\"%s\"}", f->cam), ==, "AccessDeniedException");
    g_assert_cmpstr(call(f, f->a, "cleanrooms-ml:DeleteConfiguredAudienceModel",
                         "{\"configuredAudienceModelArn\":\"%s\"}", f->cam), ==, "AccessDeniedException");
    g_assert_cmpstr(call(f, f->a, "cleanrooms-ml:TagResource",
                         "{\"resourceArn\":\"%s\",\"tags\":{\"k\":\"v\"}}", f->cam), ==,
                    "AccessDeniedException");
    g_assert_cmpstr(call(f, f->a, "cleanrooms-ml:GetAudienceModel", "{\"audienceModelArn\":\"%s\"}",
                         f->model), ==, "AccessDeniedException");
    g_assert_cmpstr(call(f, f->a, "cleanrooms-ml:GetTrainingDataset",
                         "{\"trainingDatasetArn\":\"%s\"}", f->dataset), ==, "AccessDeniedException");
    /* Building on another account's resource is refused too. */
    g_assert_cmpstr(call(f, f->a, "cleanrooms-ml:CreateConfiguredAudienceModel",
        "{\"name\":\"mine\",\"audienceModelArn\":\"%s\",\"outputConfig\":{\"destination\":{"
        "\"s3Destination\":{\"s3Uri\":\"s3://a/x\"}},\"roleArn\":\"arn:aws:iam::" A ":role/Admin\"},"
        "\"sharedAudienceMetrics\":[\"ALL\"]}", f->model), ==, "AccessDeniedException");
    g_assert_cmpstr(call(f, f->a, "cleanrooms-ml:CreateAudienceModel",
                         "{\"name\":\"m\",\"trainingDatasetArn\":\"%s\"}", f->dataset), ==,
                    "AccessDeniedException");
    /* Lists show the caller's own resources only. */
    g_assert_null(call(f, f->a, "cleanrooms-ml:ListConfiguredAudienceModels", "{}"));
    g_assert_cmpint(cJSON_GetArraySize(out_path(f, "configuredAudienceModels")), ==, 0);
    g_assert_null(call(f, f->a, "cleanrooms-ml:ListAudienceModels", "{}"));
    g_assert_cmpint(cJSON_GetArraySize(out_path(f, "audienceModels")), ==, 0);
    g_assert_null(call(f, f->b, "cleanrooms-ml:ListAudienceModels", "{}"));
    g_assert_cmpint(cJSON_GetArraySize(out_path(f, "audienceModels")), ==, 1);
    /* Clean Rooms: another account's membership is not found. */
    g_assert_cmpstr(call(f, f->a, "cleanrooms:GetMembership", "{\"membershipIdentifier\":\"%s\"}",
                         f->ms_b), ==, "ResourceNotFoundException");
    fx_free(f);
}

static void test_cr11_locations(void)
{
    g_test_summary("A Get from the account that did not start the job leaves out the seed "
                   "location; an export of a job on another account's CAM hides its output");
    fx *f = fx_new();
    standard(f, "NONE");
    g_assert_null(start(f, f->a, "q1", f->collab, NULL));
    g_autofree char *a_arn = out_dup(f, "audienceGenerationJobArn");
    g_autofree char *b_arn = other_arn(a_arn, B);
    g_assert_null(get_job(f, f->a, a_arn));
    g_assert_cmpstr(out_str(f, "seedAudience.dataSource.s3Uri"), ==, "s3://seed-" A "/s.csv");
    g_assert_null(get_job(f, f->b, b_arn));
    g_assert_nonnull(out_path(f, "seedAudience"));
    g_assert_null(out_path(f, "seedAudience.dataSource"));
    char *text = cJSON_PrintUnformatted(f->out);
    g_assert_null(strstr(text, "s3://seed-"));
    cJSON_free(text);
    /* Exports must wait for ACTIVE. */
    g_assert_cmpstr(call(f, f->a, "cleanrooms-ml:StartAudienceExportJob",
                         "{\"name\":\"e\",\"audienceGenerationJobArn\":\"%s\",\"audienceSize\":{"
                         "\"type\":\"ABSOLUTE\",\"value\":10}}", a_arn), ==, "ConflictException");
    test_host_advance(&f->host, 86400);
    g_assert_null(call(f, f->a, "cleanrooms-ml:StartAudienceExportJob",
                       "{\"name\":\"e\",\"audienceGenerationJobArn\":\"%s\",\"audienceSize\":{"
                       "\"type\":\"ABSOLUTE\",\"value\":10}}", a_arn));
    g_assert_null(call(f, f->b, "cleanrooms-ml:StartAudienceExportJob",
                       "{\"name\":\"e\",\"audienceGenerationJobArn\":\"%s\",\"audienceSize\":{"
                       "\"type\":\"ABSOLUTE\",\"value\":10}}", b_arn));
    test_host_advance(&f->host, 86400);
    g_assert_null(call(f, f->a, "cleanrooms-ml:ListAudienceExportJobs", "{}"));
    g_assert_cmpstr(out_str(f, "audienceExportJobs.0.status"), ==, "ACTIVE");
    g_assert_null(out_path(f, "audienceExportJobs.0.outputLocation"));
    g_assert_null(call(f, f->b, "cleanrooms-ml:ListAudienceExportJobs", "{}"));
    g_assert_true(g_str_has_prefix(out_str(f, "audienceExportJobs.0.outputLocation"), "s3://b-out/x/"));
    /* The Start record with the seed location is in A's log only. */
    trail_event *ev = last_event(f, "StartAudienceGenerationJob");
    g_assert_cmpuint(ev->recipients->len, ==, 1);
    fx_free(f);
}

static void test_training_lifecycle(void)
{
    g_test_summary("An audience model trains through CREATE_PENDING and CREATE_IN_PROGRESS to "
                   "ACTIVE, or CREATE_FAILED; a CAM on a failed model cannot start jobs");
    fx *f = fx_new();
    collaboration(f, f->b, "B");
    set_quota(f, B, "cleanrooms-ml:training-failure-permille", 1000);
    g_assert_null(call(f, f->b, "cleanrooms-ml:CreateTrainingDataset",
        "{\"name\":\"ds\",\"roleArn\":\"arn:aws:iam::" B ":role/Admin\",\"trainingData\":[{"
        "\"type\":\"INTERACTIONS\",\"inputConfig\":{\"schema\":[{\"columnName\":\"u\","
        "\"columnTypes\":[\"USER_ID\"]}],\"dataSource\":{\"glueDataSource\":{"
        "\"tableName\":\"t\",\"databaseName\":\"d\"}}}}]}"));
    g_autofree char *ds = out_dup(f, "trainingDatasetArn");
    g_assert_cmpstr(call(f, f->b, "cleanrooms-ml:CreateTrainingDataset",
        "{\"name\":\"ds\",\"roleArn\":\"arn:aws:iam::" B ":role/Admin\",\"trainingData\":[{"
        "\"type\":\"INTERACTIONS\",\"inputConfig\":{\"schema\":[{\"columnName\":\"u\","
        "\"columnTypes\":[\"USER_ID\"]}],\"dataSource\":{\"glueDataSource\":{"
        "\"tableName\":\"t\",\"databaseName\":\"d\"}}}}]}"), ==, "ConflictException");
    g_assert_null(call(f, f->b, "cleanrooms-ml:CreateAudienceModel",
                       "{\"name\":\"m\",\"trainingDatasetArn\":\"%s\"}", ds));
    g_autofree char *m = out_dup(f, "audienceModelArn");
    const char *seen[3] = { 0 };
    for (int i = 0; i < 3; i++) {
        g_assert_null(call(f, f->b, "cleanrooms-ml:GetAudienceModel", "{\"audienceModelArn\":\"%s\"}", m));
        seen[i] = g_intern_string(out_str(f, "status"));
        test_host_advance(&f->host, i == 0 ? 120 : 86400);
    }
    g_assert_cmpstr(seen[0], ==, "CREATE_PENDING");
    g_assert_cmpstr(seen[1], ==, "CREATE_IN_PROGRESS");
    g_assert_cmpstr(seen[2], ==, "CREATE_FAILED");
    g_assert_cmpstr(call(f, f->b, "cleanrooms-ml:DeleteTrainingDataset",
                         "{\"trainingDatasetArn\":\"%s\"}", ds), ==, "ConflictException");
    g_assert_null(call(f, f->b, "cleanrooms-ml:CreateConfiguredAudienceModel",
        "{\"name\":\"cam\",\"audienceModelArn\":\"%s\",\"outputConfig\":{\"destination\":{"
        "\"s3Destination\":{\"s3Uri\":\"s3://b/x\"}},\"roleArn\":\"arn:aws:iam::" B ":role/Admin\"},"
        "\"sharedAudienceMetrics\":[\"ALL\"]}", m));
    f->cam = out_dup(f, "configuredAudienceModelArn");
    g_assert_cmpstr(start(f, f->b, "j", NULL, NULL), ==, "ValidationException");
    g_assert_cmpstr(call(f, f->b, "cleanrooms-ml:DeleteAudienceModel", "{\"audienceModelArn\":\"%s\"}", m),
                    ==, "ConflictException");
    g_assert_null(call(f, f->b, "cleanrooms-ml:DeleteConfiguredAudienceModel",
                       "{\"configuredAudienceModelArn\":\"%s\"}", f->cam));
    g_assert_null(call(f, f->b, "cleanrooms-ml:DeleteAudienceModel", "{\"audienceModelArn\":\"%s\"}", m));
    g_assert_null(call(f, f->b, "cleanrooms-ml:DeleteTrainingDataset", "{\"trainingDatasetArn\":\"%s\"}", ds));
    fx_free(f);
}

static void test_list_paging(void)
{
    g_test_summary("Listings are sorted by creation time and paged with nextToken");
    fx *f = fx_new();
    standard(f, "NONE");
    for (int i = 0; i < 5; i++) {
        g_autofree char *name = g_strdup_printf("j%d", i);
        g_assert_null(start(f, f->b, name, NULL, NULL));
        test_host_advance(&f->host, 1);
    }
    g_assert_null(call(f, f->b, "cleanrooms-ml:ListAudienceGenerationJobs", "{\"maxResults\":2}"));
    g_assert_cmpstr(out_str(f, "audienceGenerationJobs.0.name"), ==, "j0");
    g_assert_cmpstr(out_str(f, "audienceGenerationJobs.1.name"), ==, "j1");
    g_autofree char *tok = out_dup(f, "nextToken");
    g_assert_nonnull(tok);
    g_assert_null(call(f, f->b, "cleanrooms-ml:ListAudienceGenerationJobs",
                       "{\"maxResults\":4,\"nextToken\":\"%s\"}", tok));
    g_assert_cmpint(cJSON_GetArraySize(out_path(f, "audienceGenerationJobs")), ==, 3);
    g_assert_cmpstr(out_str(f, "audienceGenerationJobs.2.name"), ==, "j4");
    g_assert_null(out_path(f, "nextToken"));
    g_assert_cmpstr(call(f, f->b, "cleanrooms-ml:ListAudienceGenerationJobs", "{\"nextToken\":\"zz\"}"),
                    ==, "ValidationException");
    fx_free(f);
}

static void test_quotas(void)
{
    g_test_summary("AWS's default Clean Rooms quotas hold unless the account's quota overrides them");
    fx *f = fx_new();
    GString *members = g_string_new("");
    for (int i = 0; i < 6; i++)
        g_string_append_printf(members, "%s{\"accountId\":\"4444444444%02d\",\"displayName\":\"m\","
                               "\"memberAbilities\":[]}", i ? "," : "", i);
    const char *fmt = "{\"name\":\"c\",\"description\":\"d\",\"creatorDisplayName\":\"b\","
                      "\"creatorMemberAbilities\":[],\"queryLogStatus\":\"DISABLED\",\"members\":[%s]}";
    g_assert_cmpstr(call(f, f->b, "cleanrooms:CreateCollaboration", fmt, members->str), ==,
                    "ServiceQuotaExceededException");
    set_quota(f, B, "cleanrooms:members-per-collaboration", 6);
    g_assert_null(call(f, f->b, "cleanrooms:CreateCollaboration", fmt, members->str));
    for (int i = 1; i < 10; i++)
        g_assert_null(call(f, f->b, "cleanrooms:CreateCollaboration", fmt, ""));
    g_assert_cmpstr(call(f, f->b, "cleanrooms:CreateCollaboration", fmt, ""), ==,
                    "ServiceQuotaExceededException");
    g_string_free(members, TRUE);
    set_quota(f, C, "cleanrooms:memberships-per-account", 0);
    collaboration(f, f->a, "A");
    g_assert_cmpstr(call(f, f->c, "cleanrooms:CreateMembership",
                         "{\"collaborationIdentifier\":\"%s\",\"queryLogStatus\":\"DISABLED\"}",
                         f->collab), ==, "ServiceQuotaExceededException");
    fx_free(f);
}

static void test_pass_role(void)
{
    g_test_summary("The seed role is passed with iam:PassRole; another account's role cannot be");
    fx *f = fx_new();
    standard(f, "NONE");
    g_assert_cmpstr(start(f, f->a_nopass, "q1", f->collab, NULL), ==, "AccessDeniedException");
    g_assert_nonnull(strstr(f->err.message, "iam:PassRole on resource: arn:aws:iam::" A ":role/Admin"));
    g_assert_cmpstr(call(f, f->a, START,
                         "{\"name\":\"q1\",\"configuredAudienceModelArn\":\"%s\",\"collaborationId\":\"%s\","
                         "\"seedAudience\":{\"roleArn\":\"arn:aws:iam::" B ":role/Admin\"}}", f->cam, f->collab),
                    ==, "AccessDeniedException");
    g_assert_nonnull(strstr(f->err.message, "Cross-account pass role"));
    g_assert_null(start(f, f->a, "q1", f->collab, NULL));
    fx_free(f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();
    g_test_add_func("/cleanrooms-ml/CR1/two-arns-differ-only-in-account", test_cr1_two_arns);
    g_test_add_func("/cleanrooms-ml/CR2/other-account-arn-refused-for-both", test_cr2_other_arn_refused);
    g_test_add_func("/cleanrooms-ml/CR3/one-execution-both-list-either-deletes", test_cr3_one_execution);
    g_test_add_func("/cleanrooms-ml/CR4/names-unique-per-account-prefixed-in-owner", test_cr4_names);
    g_test_add_func("/cleanrooms-ml/CR5/managed-policy-with-collaboration-condition", test_cr5_managed_policy);
    g_test_add_func("/cleanrooms-ml/CR5/policy-hash-guards", test_cr5_policy_hash);
    g_test_add_func("/cleanrooms-ml/CR6/three-resources-authorised", test_cr6_three_resources);
    g_test_add_func("/cleanrooms-ml/CR7/only-the-caller-records-the-start", test_cr7_only_caller_records);
    g_test_add_func("/cleanrooms-ml/CR8/tags-on-both-copies", test_cr8_tags);
    g_test_add_func("/cleanrooms-ml/CR8/tag-based-access-per-copy", test_cr8_tag_based_access);
    g_test_add_func("/cleanrooms-ml/CR9/collaboration-and-active-members", test_cr9_membership);
    g_test_add_func("/cleanrooms-ml/CR9/removed-member-refused", test_cr9_removed_member);
    g_test_add_func("/cleanrooms-ml/CR10/only-start-crosses-accounts", test_cr10_only_start_crosses);
    g_test_add_func("/cleanrooms-ml/CR11/locations-never-cross", test_cr11_locations);
    g_test_add_func("/cleanrooms-ml/models/training-lifecycle", test_training_lifecycle);
    g_test_add_func("/cleanrooms-ml/list/sorted-and-paged", test_list_paging);
    g_test_add_func("/cleanrooms-ml/CR6/seed-role-passed", test_pass_role);
    g_test_add_func("/cleanrooms/quotas/aws-defaults", test_quotas);
    return g_test_run();
}
