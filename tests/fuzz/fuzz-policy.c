/* tests/fuzz/fuzz-policy.c: the policy compiler and evaluator on any bytes.
 * A document that compiles is evaluated as identity, resource, boundary
 * and SCP policy for a fixed cross-account request with a context; none
 * may crash, leak or decide anything but the three effects. */
#include <glib.h>
#include <stdint.h>

#include "model/iam.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    g_autofree char *text = g_strndup((const char *)data, size);
    GError *e = NULL;
    iam_policy *p = iam_policy_compile_text(text, &e);
    if (!p) {
        g_clear_error(&e);
        return 0;
    }
    iam_ctx *ctx = iam_ctx_new();
    iam_ctx_set(ctx, "aws:SourceIp", "203.0.113.10");
    iam_ctx_set(ctx, "aws:PrincipalOrgID", "o-a1b2c3d4e5");
    iam_ctx_set(ctx, "aws:username", "alice");
    iam_ctx_add(ctx, "aws:TagKeys", "team");
    iam_ctx_set(ctx, "aws:CurrentTime", "2026-01-05T09:00:00Z");
    iam_ctx_set(ctx, "aws:MultiFactorAuthAge", "30");
    const iam_policy *one[] = { p };
    iam_layer_set set = { one, 1 };
    iam_layer_set levels[] = { set };
    static const char *const actions[] = { "s3:GetObject", "sagemaker:DescribeModelCard",
                                           "sts:AssumeRole", "kms:Decrypt" };
    for (int mode = 0; mode < 3; mode++)
        for (gsize a = 0; a < G_N_ELEMENTS(actions); a++) {
            iam_request r = {
                .kind = IAM_PRINCIPAL_SESSION,
                .principal_arn = "arn:aws:sts::222222222222:assumed-role/Dev/alice",
                .principal_account = "222222222222",
                .role_arn = "arn:aws:iam::222222222222:role/Dev",
                .action = actions[a],
                .resource = "arn:aws:s3:::bucket/key",
                .resource_account = "111111111111",
                .ctx = ctx,
                .identity = set,
                .boundary = mode == 1 ? p : NULL,
                .scp_levels = mode == 2 ? levels : NULL,
                .n_scp_levels = mode == 2 ? 1 : 0,
                .resource_policies = set,
                .mode = (iam_res_mode)mode,
            };
            iam_decision d;
            GString *trace = g_string_new(NULL);
            iam_evaluate(&r, &d, trace);
            if (d.effect != IAM_ALLOW && d.effect != IAM_IMPLICIT_DENY && d.effect != IAM_EXPLICIT_DENY)
                __builtin_trap();
            g_string_free(trace, TRUE);
        }
    iam_ctx_free(ctx);
    iam_policy_unref(p);
    return 0;
}
