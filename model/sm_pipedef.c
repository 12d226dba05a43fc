/* model/sm_pipedef.c: SageMaker pipeline definitions: parsing and checking
 * (SPEC P4, P8) as CreatePipeline and UpdatePipeline do, job names and retry
 * delays.
 *
 * A definition is the real JSON (Version 2020-12-01, Parameters, Steps with
 * Name, Type, Arguments, DependsOn, RetryPolicies, PropertyFiles,
 * CacheConfig; a Condition step holds its branches' steps in
 * IfSteps/ElseSteps).  Unknown step types, duplicate or malformed names,
 * DependsOn and Get references to unknown steps or parameters, cycles, bad
 * retry policies and too-long custom job-name prefixes are refused with the
 * first problem found, as a ValidationException's message.  The parsed form
 * (pdef) lists top-level steps first, then branch steps, each with the steps
 * it waits for: DependsOn, the steps its Get and JsonGet read, and for a
 * branch step its Condition. */
#include "model/sm_pipelines.h"

#include <math.h>
#include <string.h>

#include "model/sm_pipelines_int.h"

/* ---- step types -------------------------------------------------------------------------- */

const sm_step_kind sm_pipelines__kinds[] = {
    [ST_TRAINING] = { "Training", "sagemaker:CreateTrainingJob", "TrainingJobName",
                      "TrainingJobArn", "TrainingJob", 38, true },
    [ST_PROCESSING] = { "Processing", "sagemaker:CreateProcessingJob", "ProcessingJobName",
                        "ProcessingJobArn", "ProcessingJob", 38, true },
    [ST_TRANSFORM] = { "Transform", "sagemaker:CreateTransformJob", "TransformJobName",
                       "TransformJobArn", "TransformJob", 38, true },
    [ST_TUNING] = { "Tuning", "sagemaker:CreateHyperParameterTuningJob",
                    "HyperParameterTuningJobName", "HyperParameterTuningJobArn", "TuningJob", 6,
                    true },
    [ST_AUTOML] = { "AutoML", "sagemaker:CreateAutoMLJob", "AutoMLJobName", "AutoMLJobArn",
                    "AutoMLJob", 6, true },
    [ST_MODEL] = { "Model", "sagemaker:CreateModel", "ModelName", "ModelArn", "Model", 38, true },
    [ST_REGISTER] = { "RegisterModel", "sagemaker:CreateModelPackage", "ModelPackageName",
                      "ModelPackageArn", "RegisterModel", 38, true },
    /* Check steps run a processing job (seed 002: the prefix is the
     * CheckJobConfig's base_job_name); they take no retry policies. */
    [ST_QUALITY] = { "QualityCheck", "sagemaker:CreateProcessingJob", "ProcessingJobName",
                     "ProcessingJobArn", "QualityCheck", 38, false },
    [ST_CLARIFY] = { "ClarifyCheck", "sagemaker:CreateProcessingJob", "ProcessingJobName",
                     "ProcessingJobArn", "ClarifyCheck", 38, false },
    /* A Callback step waits for SendPipelineExecutionStep{Success,Failure}. */
    [ST_CALLBACK] = { "Callback", NULL, NULL, NULL, "Callback", 0, false },
    /* A Lambda step invokes its function as the execution role (lambda:Invoke). */
    [ST_LAMBDA] = { "Lambda", "lambda:Invoke", NULL, NULL, "Lambda", 0, false },
    /* An EMR step adds a step to a running cluster as the execution role. */
    [ST_EMR] = { "EMR", "elasticmapreduce:AddJobFlowSteps", NULL, NULL, "EMR", 0, false },
    [ST_CONDITION] = { "Condition", NULL, NULL, NULL, "Condition", 0, false },
    [ST_FAIL] = { "Fail", NULL, NULL, NULL, "Fail", 0, false },
    [ST_OTHER] = { NULL, NULL, NULL, NULL, NULL, 0, false },
};

static const sm_step_kind *const KINDS = sm_pipelines__kinds;

/* The exception types of RetryPolicies (AWS-FACTS §3). */
static const char *const EXC[] = { "Step.SERVICE_FAULT", "Step.THROTTLING",
                                   "SageMaker.JOB_INTERNAL_ERROR", "SageMaker.CAPACITY_ERROR",
                                   "SageMaker.RESOURCE_LIMIT" };

static bool known_type(const char *t, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(*list, t) == 0)
            return true;
    return false;
}

int sm_pipelines__exc_index(const char *t)
{
    for (int i = 0; i < EXC_N; i++)
        if (g_strcmp0(EXC[i], t) == 0)
            return i;
    return -1;
}

/* ---- parsed definitions -------------------------------------------------------------------- */

static void pstep_free(gpointer p)
{
    pstep *s = p;
    g_free(s->name);
    g_array_unref(s->deps);
    g_array_unref(s->retry);
    g_free(s);
}

pdef *sm_pipelines__ref(pdef *d)
{
    g_atomic_int_inc(&d->refs);
    return d;
}

void sm_pipelines__unref(pdef *d)
{
    if (!d || !g_atomic_int_dec_and_test(&d->refs))
        return;
    g_ptr_array_unref(d->steps);
    g_hash_table_unref(d->by_name);
    cJSON_Delete(d->doc);
    g_free(d->text);
    g_free(d);
}

int sm_pipelines__step_index(const pdef *d, const char *name)
{
    return GPOINTER_TO_INT(g_hash_table_lookup(d->by_name, name)) - 1;
}

/* Parse state: the first error wins. */
typedef struct dparse {
    pdef    *d;
    GString *err;
} dparse;

static void derr(dparse *p, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void derr(dparse *p, const char *fmt, ...)
{
    if (p->err->len)
        return;
    va_list ap;
    va_start(ap, fmt);
    g_string_append_vprintf(p->err, fmt, ap);
    va_end(ap);
}

static bool valid_step_name(const char *n)
{
    if (!*n || strlen(n) > 64)
        return false;
    for (const char *c = n; *c; c++)
        if (!g_ascii_isalnum(*c) && *c != '-' && *c != '_')
            return false;
    return true;
}

static step_type type_of(const char *t)
{
    for (int i = 0; i < ST_OTHER; i++)
        if (g_strcmp0(KINDS[i].type, t) == 0)
            return (step_type)i;
    return ST_OTHER;
}

static void collect_steps(dparse *p, const cJSON *list, int cond, bool in_else, const char *where)
{
    if (!cJSON_IsArray(list)) {
        derr(p, "%s must be a list of steps.", where);
        return;
    }
    const cJSON *st;
    cJSON_ArrayForEach(st, list) {
        const char *name = api_str(st, "Name");
        const char *type = api_str(st, "Type");
        if (!cJSON_IsObject(st) || !name) {
            derr(p, "Every step in %s needs a Name.", where);
            return;
        }
        if (!valid_step_name(name)) {
            derr(p, "Step name '%s' is invalid: use 1 to 64 characters of [A-Za-z0-9-_].", name);
            return;
        }
        if (g_hash_table_contains(p->d->by_name, name)) {
            derr(p, "Step names must be unique: '%s' is defined twice.", name);
            return;
        }
        step_type t = type_of(type);
        if (t == ST_OTHER) {
            derr(p, "Step '%s' has an unknown Type '%s'.", name, type ? type : "(none)");
            return;
        }
        pstep *s = g_new0(pstep, 1);
        s->name = g_strdup(name);
        s->type = t;
        s->type_name = type;
        s->json = st;
        s->deps = g_array_new(FALSE, FALSE, sizeof(int));
        s->retry = g_array_new(FALSE, FALSE, sizeof(retry_policy));
        s->cond = cond;
        s->in_else = in_else;
        g_ptr_array_add(p->d->steps, s);
        int idx = (int)p->d->steps->len - 1;
        g_hash_table_insert(p->d->by_name, s->name, GINT_TO_POINTER(idx + 1));
        if (t == ST_CONDITION) {
            const cJSON *args = cJSON_GetObjectItemCaseSensitive(st, "Arguments");
            const cJSON *ifs = cJSON_GetObjectItemCaseSensitive(args, "IfSteps");
            const cJSON *els = cJSON_GetObjectItemCaseSensitive(args, "ElseSteps");
            if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(args, "Conditions"))) {
                derr(p, "Condition step '%s' needs Arguments.Conditions.", name);
                return;
            }
            g_autofree char *w1 = g_strdup_printf("IfSteps of '%s'", name);
            g_autofree char *w2 = g_strdup_printf("ElseSteps of '%s'", name);
            if (ifs)
                collect_steps(p, ifs, idx, false, w1);
            if (els)
                collect_steps(p, els, idx, true, w2);
        }
    }
}

static const char *const EXEC_VARS[] = { "PipelineExecutionId", "PipelineExecutionArn",
                                         "PipelineName", "PipelineArn",
                                         "PipelineExecutionStartTime", "CurrentDateTime", NULL };

bool sm_pipelines__has_param(const cJSON *params, const char *name)
{
    const cJSON *p;
    cJSON_ArrayForEach(p, params)
        if (g_strcmp0(api_str(p, "Name"), name) == 0)
            return true;
    return false;
}

static void add_dep(pstep *s, int d)
{
    for (guint i = 0; i < s->deps->len; i++)
        if (g_array_index(s->deps, int, i) == d)
            return;
    g_array_append_val(s->deps, d);
}

/* Checks every Get in v and records the steps it reads as deps of s.
 * skip_branches: a Condition's own Arguments hold its branch steps, which
 * are steps of their own. */
static void scan_refs(dparse *p, pstep *s, const cJSON *v, bool skip_branches)
{
    if (cJSON_IsArray(v)) {
        const cJSON *e;
        cJSON_ArrayForEach(e, v)
            scan_refs(p, s, e, false);
        return;
    }
    if (!cJSON_IsObject(v))
        return;
    const cJSON *get = cJSON_GetObjectItemCaseSensitive(v, "Get");
    if (cJSON_IsString(get) && cJSON_GetArraySize(v) == 1) {
        const char *ref = get->valuestring;
        const cJSON *params = cJSON_GetObjectItemCaseSensitive(p->d->doc, "Parameters");
        if (g_str_has_prefix(ref, "Parameters.")) {
            if (!sm_pipelines__has_param(params, ref + strlen("Parameters.")))
                derr(p, "Step '%s' refers to an undefined parameter: %s.", s->name, ref);
        } else if (g_str_has_prefix(ref, "Execution.")) {
            bool ok = false;
            for (const char *const *x = EXEC_VARS; *x; x++)
                ok = ok || strcmp(ref + strlen("Execution."), *x) == 0;
            if (!ok)
                derr(p, "Step '%s' refers to an unknown execution variable: %s.", s->name, ref);
        } else if (g_str_has_prefix(ref, "Steps.")) {
            const char *n = ref + strlen("Steps.");
            g_autofree char *name = g_strndup(n, strcspn(n, ".["));
            int d = sm_pipelines__step_index(p->d, name);
            if (d < 0)
                derr(p, "Step '%s' refers to an undefined step: %s.", s->name, name);
            else if (strcmp(name, s->name) == 0)
                derr(p, "Step '%s' refers to its own properties.", s->name);
            else
                add_dep(s, d);
        } else {
            derr(p, "Step '%s' has an invalid Get expression: %s.", s->name, ref);
        }
        return;
    }
    const cJSON *e;
    cJSON_ArrayForEach(e, v) {
        if (skip_branches && (strcmp(e->string, "IfSteps") == 0 ||
                              strcmp(e->string, "ElseSteps") == 0))
            continue;
        scan_refs(p, s, e, false);
    }
}

/* A check step names its CheckType beside its Arguments, as the SDK's
 * QualityCheckStep and ClarifyCheckStep write it. */
static void check_step(dparse *p, const pstep *s)
{
    static const char *const quality[] = { "DATA_QUALITY", "MODEL_QUALITY", NULL };
    static const char *const clarify[] = { "DATA_BIAS", "MODEL_BIAS", "MODEL_EXPLAINABILITY",
                                           NULL };
    if (!sm_pipelines__is_check(s->type))
        return;
    const char *t = api_str(s->json, "CheckType");
    if (!t || !known_type(t, s->type == ST_QUALITY ? quality : clarify))
        derr(p, "Step '%s' of type %s needs a CheckType of %s.", s->name, s->type_name,
             s->type == ST_QUALITY ? "DATA_QUALITY or MODEL_QUALITY"
                                   : "DATA_BIAS, MODEL_BIAS or MODEL_EXPLAINABILITY");
}

/* Callback and Lambda steps declare their outputs beside their Arguments,
 * as the pipeline definition schema and the SDK's CallbackStep and
 * LambdaStep write them: OutputParameters [{OutputName, OutputType}]; a
 * Callback step names its queue (SqsQueueUrl), a Lambda step its function
 * (FunctionArn). */
static void output_step(dparse *p, const pstep *s)
{
    static const char *const types[] = { "String", "Integer", "Boolean", "Float", NULL };
    if (s->type != ST_CALLBACK && s->type != ST_LAMBDA)
        return;
    if (s->type == ST_CALLBACK && !api_str(s->json, "SqsQueueUrl")) {
        derr(p, "Callback step '%s' needs an SqsQueueUrl.", s->name);
        return;
    }
    if (s->type == ST_LAMBDA && !api_str(s->json, "FunctionArn")) {
        derr(p, "Lambda step '%s' needs a FunctionArn.", s->name);
        return;
    }
    const cJSON *outs = cJSON_GetObjectItemCaseSensitive(s->json, "OutputParameters"), *o;
    if (outs && !cJSON_IsArray(outs)) {
        derr(p, "OutputParameters of step '%s' must be a list.", s->name);
        return;
    }
    cJSON_ArrayForEach(o, outs) {
        const char *n = api_str(o, "OutputName"), *t = api_str(o, "OutputType");
        if (!n || (cJSON_GetObjectItemCaseSensitive(o, "OutputType") && !known_type(t, types))) {
            derr(p, "Step '%s': every output parameter needs an OutputName and an OutputType of "
                 "String, Integer, Boolean or Float.", s->name);
            return;
        }
    }
}

/* An EMR step's Arguments name a running cluster (ClusterId) or the
 * cluster to create (ClusterConfig), never both, and the StepConfig whose
 * HadoopJarStep names its Jar (the SDK's EMRStep and EMRStepConfig). */
static void emr_step(dparse *p, const pstep *s)
{
    if (s->type != ST_EMR)
        return;
    const cJSON *args = cJSON_GetObjectItemCaseSensitive(s->json, "Arguments");
    bool id = cJSON_GetObjectItemCaseSensitive(args, "ClusterId") != NULL;
    bool config = cJSON_GetObjectItemCaseSensitive(args, "ClusterConfig") != NULL;
    if (id == config) {
        derr(p, "EMR step '%s' needs exactly one of Arguments.ClusterId and "
             "Arguments.ClusterConfig.", s->name);
        return;
    }
    const cJSON *jar = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(args, "StepConfig"), "HadoopJarStep"), "Jar");
    if (!jar)
        derr(p, "EMR step '%s' needs Arguments.StepConfig.HadoopJarStep.Jar.", s->name);
}

static void parse_retry(dparse *p, pstep *s, const cJSON *list)
{
    if (!list)
        return;
    bool takes = KINDS[s->type].retry;
    if (!takes) {
        derr(p, "Step '%s' of type %s does not support RetryPolicies.", s->name, s->type_name);
        return;
    }
    if (!cJSON_IsArray(list)) {
        derr(p, "RetryPolicies of step '%s' must be a list.", s->name);
        return;
    }
    const cJSON *rp;
    cJSON_ArrayForEach(rp, list) {
        retry_policy r = { .interval_s = 1, .backoff = 2.0, .max_attempts = 5, .expire_min = -1 };
        const cJSON *types = cJSON_GetObjectItemCaseSensitive(rp, "ExceptionType"), *t;
        if (!cJSON_IsArray(types) || cJSON_GetArraySize(types) == 0) {
            derr(p, "A retry policy of step '%s' needs a non-empty ExceptionType list.", s->name);
            return;
        }
        cJSON_ArrayForEach(t, types) {
            int i = sm_pipelines__exc_index(cJSON_GetStringValue(t));
            if (i < 0) {
                derr(p, "Step '%s': unknown retry ExceptionType %s.", s->name,
                     cJSON_IsString(t) ? t->valuestring : "(not a string)");
                return;
            }
            r.types |= 1u << i;
        }
        const cJSON *iv = cJSON_GetObjectItemCaseSensitive(rp, "IntervalSeconds");
        const cJSON *br = cJSON_GetObjectItemCaseSensitive(rp, "BackoffRate");
        const cJSON *ma = cJSON_GetObjectItemCaseSensitive(rp, "MaxAttempts");
        const cJSON *ex = cJSON_GetObjectItemCaseSensitive(rp, "ExpireAfterMin");
        if (iv && (!cJSON_IsNumber(iv) || iv->valuedouble < 1 || iv->valuedouble > 43200)) {
            derr(p, "Step '%s': IntervalSeconds must be from 1 to 43200.", s->name);
            return;
        }
        if (br && (!cJSON_IsNumber(br) || br->valuedouble < 1)) {
            derr(p, "Step '%s': BackoffRate must be a number >= 1.0.", s->name);
            return;
        }
        if (ma && ex) {
            derr(p, "Step '%s': a retry policy takes MaxAttempts or ExpireAfterMin, not both.",
                 s->name);
            return;
        }
        if (ma && (!cJSON_IsNumber(ma) || ma->valuedouble < 0 || ma->valuedouble > 20 ||
                   ma->valuedouble != floor(ma->valuedouble))) {
            derr(p, "Step '%s': MaxAttempts must be a whole number from 0 to 20.", s->name);
            return;
        }
        if (ex && (!cJSON_IsNumber(ex) || ex->valuedouble < 0 || ex->valuedouble > 14400 ||
                   ex->valuedouble != floor(ex->valuedouble))) {
            derr(p, "Step '%s': ExpireAfterMin must be a whole number from 0 to 14400.", s->name);
            return;
        }
        if (iv)
            r.interval_s = iv->valuedouble;
        if (br)
            r.backoff = br->valuedouble;
        if (ma)
            r.max_attempts = ma->valueint;
        if (ex) {
            r.expire_min = ex->valueint;
            r.max_attempts = -1;
        }
        g_array_append_val(s->retry, r);
    }
}

/* Depth-first search for a cycle; colour 0 new, 1 on the stack, 2 done. */
static int find_cycle(const pdef *d, int i, char *colour)
{
    colour[i] = 1;
    const pstep *s = d->steps->pdata[i];
    for (guint k = 0; k < s->deps->len; k++) {
        int j = g_array_index(s->deps, int, k);
        if (colour[j] == 1)
            return j;
        if (colour[j] == 0) {
            int c = find_cycle(d, j, colour);
            if (c >= 0)
                return c;
        }
    }
    colour[i] = 2;
    return -1;
}

pdef *sm_pipelines__parse(const char *text, char **message)
{
    dparse p = { .err = g_string_new(NULL) };
    pdef *d = g_new0(pdef, 1);
    d->refs = 1;
    d->text = g_strdup(text);
    d->steps = g_ptr_array_new_with_free_func(pstep_free);
    d->by_name = g_hash_table_new(g_str_hash, g_str_equal);
    p.d = d;
    d->doc = cJSON_Parse(text);
    if (!cJSON_IsObject(d->doc)) {
        derr(&p, "Unable to parse pipeline definition: it is not a JSON object.");
        goto done;
    }
    if (g_strcmp0(api_str(d->doc, "Version"), "2020-12-01") != 0) {
        derr(&p, "Unsupported pipeline definition Version: expected 2020-12-01.");
        goto done;
    }
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(d->doc, "Parameters"), *pa;
    cJSON_ArrayForEach(pa, params) {
        const char *n = api_str(pa, "Name"), *t = api_str(pa, "Type");
        static const char *const types[] = { "String", "Integer", "Float", "Boolean", NULL };
        if (!n || !t || !known_type(t, types)) {
            derr(&p, "Every parameter needs a Name and a Type (String, Integer, Float, Boolean).");
            goto done;
        }
    }
    const cJSON *steps = cJSON_GetObjectItemCaseSensitive(d->doc, "Steps");
    if (!cJSON_IsArray(steps) || cJSON_GetArraySize(steps) == 0) {
        derr(&p, "A pipeline definition needs a non-empty Steps list.");
        goto done;
    }
    collect_steps(&p, steps, -1, false, "Steps");
    for (guint i = 0; i < d->steps->len && !p.err->len; i++) {
        pstep *s = d->steps->pdata[i];
        const cJSON *dep = cJSON_GetObjectItemCaseSensitive(s->json, "DependsOn"), *e;
        cJSON_ArrayForEach(e, dep) {
            int j = cJSON_IsString(e) ? sm_pipelines__step_index(d, e->valuestring) : -1;
            if (j < 0) {
                derr(&p, "Step '%s' depends on an undefined step: %s.", s->name,
                     cJSON_IsString(e) ? e->valuestring : "(not a string)");
                break;
            }
            if (((pstep *)d->steps->pdata[j])->type == ST_FAIL) {
                derr(&p, "Step '%s' cannot depend on the Fail step '%s'.", s->name,
                     e->valuestring);
                break;
            }
            add_dep(s, j);
        }
        scan_refs(&p, s, cJSON_GetObjectItemCaseSensitive(s->json, "Arguments"),
                  s->type == ST_CONDITION);
        if (s->cond >= 0)
            add_dep(s, s->cond);
        parse_retry(&p, s, cJSON_GetObjectItemCaseSensitive(s->json, "RetryPolicies"));
        check_step(&p, s);
        output_step(&p, s);
        emr_step(&p, s);
        /* P4: a custom prefix kept in the definition has a length limit. */
        const char *nm = KINDS[s->type].name_member;
        const char *prefix = nm ? api_str(cJSON_GetObjectItemCaseSensitive(s->json, "Arguments"),
                                          nm) : NULL;
        if (prefix && (int)strlen(prefix) > KINDS[s->type].prefix_max)
            derr(&p, "Step '%s': the job name prefix '%s' is %zu characters long; the limit for "
                 "%s steps is %d.", s->name, prefix, strlen(prefix), s->type_name,
                 KINDS[s->type].prefix_max);
    }
    if (!p.err->len) {
        g_autofree char *colour = g_new0(char, d->steps->len);
        for (guint i = 0; i < d->steps->len && !p.err->len; i++)
            if (!colour[i]) {
                int c = find_cycle(d, (int)i, colour);
                if (c >= 0)
                    derr(&p, "Cycle detected in the pipeline definition: step '%s' depends on "
                         "itself through its dependencies.",
                         ((pstep *)d->steps->pdata[c])->name);
            }
    }
done:
    if (p.err->len) {
        *message = g_string_free(p.err, FALSE);
        sm_pipelines__unref(d);
        return NULL;
    }
    g_string_free(p.err, TRUE);
    return d;
}

bool sm_pipeline_check_definition(const char *text, char **message)
{
    pdef *d = sm_pipelines__parse(text, message);
    sm_pipelines__unref(d);
    return d != NULL;
}

/* ---- names and delays --------------------------------------------------------------------- */

char *sm_pipeline_job_name(const char *prefix, const char *execution_id, const char *step,
                           const char *entity_token, int failure_count, bool tuning)
{
    if (prefix)
        return g_strdup_printf("%s-%s-%s-%d", prefix, execution_id, entity_token, failure_count);
    if (tuning)
        return g_strdup_printf("%s-%s-%d", execution_id, entity_token, failure_count);
    char part[21];
    gsize n = 0;
    for (; step[n] && n < 20; n++)
        part[n] = g_ascii_isalnum(step[n]) ? step[n] : '-';
    part[n] = '\0';
    return g_strdup_printf("pipelines-%s-%s-%s-%d", execution_id, part, entity_token,
                           failure_count);
}

double sm_pipeline_retry_delay(double interval_s, double backoff, int n)
{
    return interval_s * pow(backoff, n > 0 ? n - 1 : 0);
}
