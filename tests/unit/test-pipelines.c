/* tests/unit/test-pipelines.c: the pure rules of SageMaker Pipelines:
 * definition checking (references, cycles, retry policy limits, custom
 * prefix lengths: P4, P8), job names (P4, P8) and retry delays (P8).
 * Executions themselves are pinned by scenarios/pipeline-*.json. */
#include <glib.h>
#include <string.h>

#include "model/sm_jobs.h"
#include "model/sm_pipelines.h"

/* A definition with the given steps (a JSON list text) and parameters. */
static char *def(const char *steps, const char *params)
{
    return g_strdup_printf("{\"Version\":\"2020-12-01\",\"Metadata\":{},\"Parameters\":%s,"
                           "\"Steps\":%s}", params ? params : "[]", steps);
}

#define TRAIN(name, extra) \
    "{\"Name\":\"" name "\",\"Type\":\"Training\",\"Arguments\":{\"ResourceConfig\":" \
    "{\"InstanceType\":\"ml.m5.xlarge\",\"InstanceCount\":1}" extra "}"

typedef struct def_case {
    const char *what, *steps, *params;
    bool        ok;
    const char *message_has;   /* a part of the ValidationException message */
} def_case;

static const def_case CASES[] = {
    { "one training step", "[" TRAIN("Train", "}") "]", NULL, true, NULL },
    { "not JSON", "[", NULL, false, "Unable to parse" },
    { "no steps", "[]", NULL, false, "non-empty Steps" },
    { "unknown type", "[{\"Name\":\"A\",\"Type\":\"Teleport\",\"Arguments\":{}}]", NULL, false,
      "unknown Type 'Teleport'" },
    { "bad step name", "[" TRAIN("bad name", "}") "]", NULL, false, "Step name 'bad name'" },
    { "duplicate names", "[" TRAIN("A", "}") "," TRAIN("A", "}") "]", NULL, false,
      "'A' is defined twice" },
    { "DependsOn an unknown step",
      "[{\"Name\":\"A\",\"Type\":\"Training\",\"DependsOn\":[\"Ghost\"],\"Arguments\":{}}]", NULL,
      false, "depends on an undefined step: Ghost" },
    { "Get of an unknown step",
      "[" TRAIN("A", ",\"OutputDataConfig\":{\"S3OutputPath\":{\"Get\":\"Steps.Ghost.X\"}}}") "]",
      NULL, false, "refers to an undefined step: Ghost" },
    { "Get of an unknown parameter",
      "[" TRAIN("A", ",\"OutputDataConfig\":{\"S3OutputPath\":{\"Get\":\"Parameters.Out\"}}}") "]",
      NULL, false, "undefined parameter: Parameters.Out" },
    { "Get of a defined parameter",
      "[" TRAIN("A", ",\"OutputDataConfig\":{\"S3OutputPath\":{\"Get\":\"Parameters.Out\"}}}") "]",
      "[{\"Name\":\"Out\",\"Type\":\"String\",\"DefaultValue\":\"s3://b/o\"}]", true, NULL },
    { "a cycle through DependsOn and Get",
      "[{\"Name\":\"A\",\"Type\":\"Training\",\"DependsOn\":[\"B\"],\"Arguments\":{}},"
      "{\"Name\":\"B\",\"Type\":\"Training\",\"Arguments\":{\"X\":{\"Get\":\"Steps.A.TrainingJobName\"}}}]",
      NULL, false, "Cycle detected" },
    { "DependsOn a Fail step",
      "[{\"Name\":\"F\",\"Type\":\"Fail\",\"Arguments\":{\"ErrorMessage\":\"x\"}},"
      "{\"Name\":\"A\",\"Type\":\"Training\",\"DependsOn\":[\"F\"],\"Arguments\":{}}]", NULL, false,
      "cannot depend on the Fail step" },
    { "retry: MaxAttempts and ExpireAfterMin together",
      "[" TRAIN("A", "},\"RetryPolicies\":[{\"ExceptionType\":[\"Step.THROTTLING\"],"
                "\"MaxAttempts\":3,\"ExpireAfterMin\":10}]") "]", NULL, false, "not both" },
    { "retry: MaxAttempts over 20",
      "[" TRAIN("A", "},\"RetryPolicies\":[{\"ExceptionType\":[\"Step.THROTTLING\"],"
                "\"MaxAttempts\":21}]") "]", NULL, false, "MaxAttempts" },
    { "retry: IntervalSeconds over 43200",
      "[" TRAIN("A", "},\"RetryPolicies\":[{\"ExceptionType\":[\"Step.THROTTLING\"],"
                "\"IntervalSeconds\":43201}]") "]", NULL, false, "IntervalSeconds" },
    { "retry: ExpireAfterMin over 14400",
      "[" TRAIN("A", "},\"RetryPolicies\":[{\"ExceptionType\":[\"Step.THROTTLING\"],"
                "\"ExpireAfterMin\":14401}]") "]", NULL, false, "ExpireAfterMin" },
    { "retry: unknown exception type",
      "[" TRAIN("A", "},\"RetryPolicies\":[{\"ExceptionType\":[\"SageMaker.OOPS\"]}]") "]",
      NULL, false, "unknown retry ExceptionType SageMaker.OOPS" },
    { "retry: the limits themselves are fine",
      "[" TRAIN("A", "},\"RetryPolicies\":[{\"ExceptionType\":[\"SageMaker.CAPACITY_ERROR\"],"
                "\"IntervalSeconds\":43200,\"BackoffRate\":1.0,\"MaxAttempts\":20},"
                "{\"ExceptionType\":[\"Step.SERVICE_FAULT\"],\"ExpireAfterMin\":14400}]") "]",
      NULL, true, NULL },
    { "retry policies on a Fail step",
      "[{\"Name\":\"F\",\"Type\":\"Fail\",\"Arguments\":{},\"RetryPolicies\":"
      "[{\"ExceptionType\":[\"Step.THROTTLING\"]}]}]", NULL, false,
      "does not support RetryPolicies" },
    { "P4: a 38-character training prefix",
      "[" TRAIN("A", ",\"TrainingJobName\":\"abcdefghij-abcdefghij-abcdefghij-abcde\"}") "]",
      NULL, true, NULL },
    { "P4: a 39-character training prefix",
      "[" TRAIN("A", ",\"TrainingJobName\":\"abcdefghij-abcdefghij-abcdefghij-abcdef\"}") "]",
      NULL, false, "the limit for Training steps is 38" },
    { "P4: a 6-character tuning prefix",
      "[{\"Name\":\"T\",\"Type\":\"Tuning\",\"Arguments\":{\"HyperParameterTuningJobName\":\"abcdef\"}}]",
      NULL, true, NULL },
    { "P4: a 7-character tuning prefix",
      "[{\"Name\":\"T\",\"Type\":\"Tuning\",\"Arguments\":{\"HyperParameterTuningJobName\":\"abcdefg\"}}]",
      NULL, false, "the limit for Tuning steps is 6" },
    { "a Condition's branches are steps of the pipeline",
      "[" TRAIN("A", "}") ",{\"Name\":\"C\",\"Type\":\"Condition\",\"Arguments\":{\"Conditions\":"
      "[{\"Type\":\"Equals\",\"LeftValue\":{\"Get\":\"Steps.A.TrainingJobStatus\"},\"RightValue\":"
      "\"Completed\"}],\"IfSteps\":[" TRAIN("B", ",\"X\":{\"Get\":\"Steps.A.ModelArtifacts\"}}")
      "],\"ElseSteps\":[{\"Name\":\"F\",\"Type\":\"Fail\",\"Arguments\":{\"ErrorMessage\":\"no\"}}]}},"
      "{\"Name\":\"D\",\"Type\":\"Training\",\"DependsOn\":[\"B\"],\"Arguments\":{}}]", NULL, true,
      NULL },
};

static void test_definitions(void)
{
    g_test_summary("CreatePipeline's definition checks: references, cycles, retry policy "
                   "limits (AWS-FACTS section 3) and custom prefix lengths (P4)");
    for (gsize i = 0; i < G_N_ELEMENTS(CASES); i++) {
        const def_case *k = &CASES[i];
        g_autofree char *text = strcmp(k->what, "not JSON") == 0 ? g_strdup("{\"Version\":")
                                                                 : def(k->steps, k->params);
        g_autofree char *msg = NULL;
        bool ok = sm_pipeline_check_definition(text, &msg);
        if (ok != k->ok)
            g_test_message("case %zu (%s): %s", i, k->what, msg ? msg : "accepted");
        g_assert_cmpint(ok, ==, k->ok);
        if (!k->ok) {
            g_assert_nonnull(msg);
            if (!strstr(msg, k->message_has))
                g_test_message("case %zu (%s): message '%s'", i, k->what, msg);
            g_assert_nonnull(strstr(msg, k->message_has));
        }
    }
}

static void test_bad_version(void)
{
    g_autofree char *msg = NULL;
    g_assert_false(sm_pipeline_check_definition(
        "{\"Version\":\"2019-01-01\",\"Steps\":[{\"Name\":\"A\",\"Type\":\"Fail\"}]}", &msg));
    g_assert_nonnull(strstr(msg, "2020-12-01"));
}

static void test_p4_names(void)
{
    g_test_summary("P4: pipelines-<executionId>-<first 20 chars of step>-<entityToken>-"
                   "<failureCount>, or <prefix>-<executionId>-<entityToken>-<failureCount>");
    g_autofree char *a = sm_pipeline_job_name(NULL, "c9oygfe2wfg9", "TrainModel", "ARtKtge9", 0,
                                              false);
    g_assert_cmpstr(a, ==, "pipelines-c9oygfe2wfg9-TrainModel-ARtKtge9-0");
    g_autofree char *b = sm_pipeline_job_name(NULL, "c9oygfe2wfg9",
                                              "AVeryLongStepNameIndeedForTraining", "ARtKtge9", 3,
                                              false);
    g_assert_cmpstr(b, ==, "pipelines-c9oygfe2wfg9-AVeryLongStepNameInd-ARtKtge9-3");
    g_autofree char *c = sm_pipeline_job_name(NULL, "c9oygfe2wfg9", "train_model", "ARtKtge9", 1,
                                              false);
    g_assert_cmpstr(c, ==, "pipelines-c9oygfe2wfg9-train-model-ARtKtge9-1");
    g_autofree char *d = sm_pipeline_job_name("MyBaseJobName", "c9oygfe2wfg9", "TrainModel",
                                              "ARtKtge9", 2, false);
    g_assert_cmpstr(d, ==, "MyBaseJobName-c9oygfe2wfg9-ARtKtge9-2");
    /* The longest names fit the 63-character job name limit: a 38-character
     * prefix with a two-digit count (MaxAttempts is at most 20). */
    g_autofree char *e = sm_pipeline_job_name("abcdefghij-abcdefghij-abcdefghij-abcde",
                                              "c9oygfe2wfg9", "T", "ARtKtge9", 19, false);
    g_assert_cmpuint(strlen(e), ==, 63);
    g_autofree char *f = sm_pipeline_job_name("TunXGB", "c9oygfe2wfg9", "Tune", "ARtKtge9", 19,
                                              true);
    g_assert_cmpuint(strlen(f), <=, 32);
    g_autofree char *g = sm_pipeline_job_name(NULL, "c9oygfe2wfg9", "Tune", "ARtKtge9", 19, true);
    g_assert_cmpuint(strlen(g), <=, 32);
}

static void test_p8_delays(void)
{
    g_test_summary("P8: the wait before retry n is IntervalSeconds * BackoffRate^(n-1)");
    g_assert_cmpfloat(sm_pipeline_retry_delay(1, 2.0, 1), ==, 1);
    g_assert_cmpfloat(sm_pipeline_retry_delay(1, 2.0, 5), ==, 16);
    g_assert_cmpfloat(sm_pipeline_retry_delay(60, 2.0, 3), ==, 240);
    g_assert_cmpfloat(sm_pipeline_retry_delay(30, 1.5, 2), ==, 45);
    g_assert_cmpfloat(sm_pipeline_retry_delay(10, 1.0, 7), ==, 10);
}

/* ---- the scenario's "jobs" key ------------------------------------------------------ */

static void collect(void *user, const cJSON *node, const char *path, const char *message)
{
    (void)node;
    g_string_append_printf(user, "%s: %s\n", path, message);
}

typedef struct cfg_case { const char *json; const char *error_has; } cfg_case;

static const cfg_case CFG[] = {
    { "{}", NULL },
    { "{\"training\":{\"duration\":{\"median\":\"10m\",\"p99\":\"1h\"},"
      "\"failures\":{\"SageMaker.CAPACITY_ERROR\":0.1}},\"capacity\":{\"ml.m5.xlarge\":3},"
      "\"create_rate\":{\"per_second\":2,\"burst\":5}}", NULL },
    { "{\"processing\":{\"duration\":{\"fixed\":\"5m\"}}}", NULL },
    { "{\"transform\":{\"duration\":{\"min\":\"1m\",\"max\":\"2m\"}}}", NULL },
    { "{\"trainnig\":{}}", "jobs.trainnig: unknown key" },
    { "{\"training\":{\"duration\":{\"fixed\":\"10x\"}}}",
      "jobs.training.duration.fixed: not a duration" },
    { "{\"training\":{\"duration\":{\"median\":\"1h\",\"p99\":\"10m\"}}}",
      "need 0 < median <= p99" },
    { "{\"training\":{\"duration\":{\"min\":\"2m\",\"max\":\"1m\"}}}", "need min <= max" },
    { "{\"training\":{\"failures\":{\"SageMaker.RESOURCE_LIMIT\":0.1}}}",
      "jobs.training.failures.SageMaker.RESOURCE_LIMIT: a job fails with" },
    { "{\"training\":{\"failures\":{\"SageMaker.CAPACITY_ERROR\":1.5}}}",
      "a probability from 0 to 1" },
    { "{\"training\":{\"failures\":{\"SageMaker.CAPACITY_ERROR\":0.6,"
      "\"SageMaker.JOB_INTERNAL_ERROR\":0.6}}}", "add up to more than 1" },
    { "{\"capacity\":{\"m5.xlarge\":3}}", "an instance type such as ml.m5.xlarge" },
    { "{\"capacity\":{\"ml.m5.xlarge\":2.5}}", "a whole number of instances" },
    { "{\"create_rate\":{\"per_second\":0}}", "jobs.create_rate.per_second: a number > 0" },
    { "{\"create_rate\":{\"per_second\":1,\"burst\":0}}", "jobs.create_rate.burst" },
};

static void test_jobs_config(void)
{
    g_test_summary("The scenario's job behaviour is checked whole, every problem reported "
                   "with its JSON path");
    for (gsize i = 0; i < G_N_ELEMENTS(CFG); i++) {
        g_autoptr(world) w = world_new(1, "us-east-1", 0);
        g_autoptr(cJSON) cfg = cJSON_Parse(CFG[i].json);
        g_assert_nonnull(cfg);
        GString *errs = g_string_new(NULL);
        bool ok = sm_jobs_configure(w, cfg, collect, errs);
        if (ok != (CFG[i].error_has == NULL) ||
            (CFG[i].error_has && !strstr(errs->str, CFG[i].error_has)))
            g_test_message("case %zu: %s -> %s", i, CFG[i].json, errs->str);
        g_assert_cmpint(ok, ==, CFG[i].error_has == NULL);
        if (CFG[i].error_has)
            g_assert_nonnull(strstr(errs->str, CFG[i].error_has));
        g_string_free(errs, TRUE);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();
    g_test_add_func("/pipelines/P4/definition-checks", test_definitions);
    g_test_add_func("/pipelines/definition/version", test_bad_version);
    g_test_add_func("/pipelines/P4/job-names", test_p4_names);
    g_test_add_func("/pipelines/P8/retry-delays", test_p8_delays);
    g_test_add_func("/pipelines/jobs/config", test_jobs_config);
    return g_test_run();
}
