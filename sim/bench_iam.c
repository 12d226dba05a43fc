/* sim/bench_iam.c: IAM evaluations per second, compiled against uncompiled.
 *
 * The uncompiled baseline evaluates the same request the way a naive
 * simulator would: compiling every policy document from its parsed JSON for
 * each request.  Both sides run the same evaluator, so the ratio is the worth
 * of compiling once. */
#include "sim/bench.h"

#include <glib.h>

#include "model/iam.h"
#include "model/base/json.h"

static const char identity_doc[] =
    "{\"Version\":\"2012-10-17\",\"Statement\":["
    "{\"Effect\":\"Allow\",\"Action\":[\"sagemaker:Describe*\",\"sagemaker:List*\"],"
    " \"Resource\":\"arn:aws:sagemaker:us-west-2:111111111111:model-card/*\"},"
    "{\"Effect\":\"Allow\",\"Action\":\"sagemaker:UpdateModelCard\",\"Resource\":\"*\","
    " \"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/team\":\"ml\"}}},"
    "{\"Effect\":\"Deny\",\"Action\":\"sagemaker:DeleteModelCard\",\"Resource\":\"*\"},"
    "{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::exports/${aws:PrincipalAccount}/*\"}]}";
static const char resource_doc[] =
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
    "\"Principal\":{\"AWS\":[\"arn:aws:iam::222222222222:root\",\"333333333333\"]},"
    "\"Action\":[\"sagemaker:DescribeModelCard\",\"sagemaker:UpdateModelCard\"],"
    "\"Resource\":[\"arn:aws:sagemaker:us-west-2:111111111111:model-card/churn\","
    "\"arn:aws:sagemaker:us-west-2:111111111111:model-card/churn/*\"]}]}";
static const char scp_doc[] =
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},"
    "{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\","
    " \"Condition\":{\"StringNotEquals\":{\"aws:SourceVpc\":\"vpc-1\"},"
    "  \"ArnNotLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::*:role/Pipeline*\"}}}]}";

static cJSON *big_doc(int n)
{
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "Version", "2012-10-17");
    cJSON *st = cJSON_AddArrayToObject(d, "Statement");
    for (int i = 0; i < n; i++) {
        cJSON *s = cJSON_CreateObject();
        cJSON_AddStringToObject(s, "Effect", "Allow");
        char a[64], r[128];
        g_snprintf(a, sizeof a, "sagemaker:Action%d", i);
        g_snprintf(r, sizeof r, "arn:aws:sagemaker:us-west-2:111111111111:thing-%d/*", i);
        cJSON_AddStringToObject(s, "Action", a);
        cJSON_AddStringToObject(s, "Resource", r);
        cJSON_AddItemToArray(st, s);
    }
    return d;
}

typedef struct setup {
    cJSON *docs[3];                /* identity, resource, scp */
    iam_policy *pol[3];
    iam_ctx *ctx;
    iam_request rq;
    iam_layer_set scp_level;
} setup;

static void make_request(setup *s, const char *action, const char *resource)
{
    s->rq = (iam_request){
        .kind = IAM_PRINCIPAL_SESSION,
        .principal_arn = "arn:aws:sts::222222222222:assumed-role/DataScientist/s",
        .principal_account = "222222222222",
        .role_arn = "arn:aws:iam::222222222222:role/DataScientist",
        .action = action, .resource = resource, .resource_account = "111111111111",
        .ctx = s->ctx, .mode = IAM_RES_OPTIONAL,
    };
}

/* Evaluations per second over iters requests; compiled or not. */
static double measure(setup *s, int n_docs, bool compiled, int iters)
{
    iam_decision d;
    gint64 t0 = g_get_monotonic_time();
    for (int i = 0; i < iters; i++) {
        iam_policy *p[3] = { s->pol[0], s->pol[1], s->pol[2] };
        if (!compiled)
            for (int k = 0; k < n_docs; k++)
                p[k] = iam_policy_compile(s->docs[k], NULL);
        s->rq.identity = (iam_layer_set){ (const iam_policy *const *)&p[0], 1 };
        s->rq.resource_policies = (iam_layer_set){ (const iam_policy *const *)&p[1], n_docs > 1 };
        s->scp_level = (iam_layer_set){ (const iam_policy *const *)&p[2], 1 };
        s->rq.scp_levels = n_docs > 2 ? &s->scp_level : NULL;
        s->rq.n_scp_levels = n_docs > 2 ? 1 : 0;
        iam_evaluate(&s->rq, &d, NULL);
        if (!compiled)
            for (int k = 0; k < n_docs; k++)
                iam_policy_unref(p[k]);
    }
    gint64 t1 = g_get_monotonic_time();
    return iters / ((double)(t1 - t0 + 1) / 1e6);
}

int bench_iam(FILE *out, int quick)
{
    setup s = { 0 };
    s.docs[0] = cJSON_Parse(identity_doc);
    s.docs[1] = cJSON_Parse(resource_doc);
    s.docs[2] = cJSON_Parse(scp_doc);
    for (int k = 0; k < 3; k++)
        s.pol[k] = iam_policy_compile(s.docs[k], NULL);
    s.ctx = iam_ctx_new();
    iam_ctx_set(s.ctx, "aws:PrincipalAccount", "222222222222");
    iam_ctx_set(s.ctx, "aws:PrincipalArn", "arn:aws:iam::222222222222:role/DataScientist");
    iam_ctx_set(s.ctx, "aws:PrincipalTag/team", "ml");
    iam_ctx_set(s.ctx, "aws:SourceIp", "203.0.113.10");
    int iters = quick ? 2000 : 400000;
    make_request(&s, "sagemaker:UpdateModelCard",
                 "arn:aws:sagemaker:us-west-2:111111111111:model-card/churn");
    fprintf(out, "iam: evaluations per second, compiled against compiling each document per request\n");
    fprintf(out, "  %-44s %12s %12s %8s\n", "request", "compiled/s", "uncompiled/s", "ratio");
    double c = measure(&s, 3, true, iters), u = measure(&s, 3, false, iters / 10);
    fprintf(out, "  %-44s %12.0f %12.0f %8.1f\n", "identity + resource + SCP + conditions", c, u, c / u);

    /* A 500-statement identity policy, the action matching its last statement. */
    cJSON_Delete(s.docs[0]);
    iam_policy_unref(s.pol[0]);
    s.docs[0] = big_doc(500);
    s.pol[0] = iam_policy_compile(s.docs[0], NULL);
    make_request(&s, "sagemaker:Action499", "arn:aws:sagemaker:us-west-2:111111111111:thing-499/x");
    s.rq.resource_account = NULL;
    c = measure(&s, 1, true, iters / 20);
    u = measure(&s, 1, false, quick ? 20 : iters / 400);
    fprintf(out, "  %-44s %12.0f %12.0f %8.1f\n", "one policy of 500 statements", c, u, c / u);
    for (int k = 0; k < 3; k++) {
        cJSON_Delete(s.docs[k]);
        iam_policy_unref(s.pol[k]);
    }
    iam_ctx_free(s.ctx);
    return 0;
}
