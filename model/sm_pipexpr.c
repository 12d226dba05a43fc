/* model/sm_pipexpr.c: the expressions of a pipeline definition, evaluated
 * against one execution: Get references (parameters, execution variables,
 * step properties), Std:Join, Std:JsonGet through property files (read from
 * S3 as the execution role, P9), and the Condition step's conditions. */
#include "model/sm_pipelines_int.h"
#include "model/world_int.h"
#include "model/sm_common.h"

#include <math.h>
#include <string.h>

/* ---- expressions -------------------------------------------------------------------------- */

void sm_pipelines__xfail(xctx *e, const char *fmt, ...)
{
    if (e->error)
        return;
    va_list ap;
    va_start(ap, fmt);
    e->error = g_strdup_vprintf(fmt, ap);
    va_end(ap);
}

const pstep *sm_pipelines__pstep_at(const execution *x, int i)
{
    return x->def->steps->pdata[i];
}

/* Path into a property answer: "A.B[0].C" and "Outputs['name']" (the
 * element whose *Name member is name; in an object, the member name). */
static const cJSON *prop_path(const cJSON *v, const char *path)
{
    const char *p = path;
    while (v && *p) {
        if (*p == '.') {
            p++;
            continue;
        }
        if (p[0] == '[' && p[1] == '\'') {
            const char *q = strchr(p + 2, '\'');
            if (!q)
                return NULL;
            g_autofree char *key = g_strndup(p + 2, (gsize)(q - p - 2));
            const cJSON *e, *hit = NULL;
            if (cJSON_IsObject(v)) {     /* OutputParameters['name'] of Callback steps */
                hit = cJSON_GetObjectItemCaseSensitive(v, key);
            } else {
                cJSON_ArrayForEach(e, v) {
                    const cJSON *m;
                    cJSON_ArrayForEach(m, e)
                        if (g_str_has_suffix(m->string, "Name") && cJSON_IsString(m) &&
                            strcmp(m->valuestring, key) == 0)
                            hit = e;
                }
            }
            v = hit;
            p = q + 1;
            if (*p == ']')
                p++;
            continue;
        }
        if (*p == '[') {
            v = cJSON_GetArrayItem(v, atoi(p + 1));
            p = strchr(p, ']');
            if (!p)
                return NULL;
            p++;
            continue;
        }
        gsize n = strcspn(p, ".[");
        g_autofree char *key = g_strndup(p, n);
        v = cJSON_GetObjectItemCaseSensitive(v, key);
        p += n;
    }
    return v;
}


char *sm_pipelines__as_text(const cJSON *v)
{
    if (cJSON_IsString(v))
        return g_strdup(v->valuestring);
    if (cJSON_IsNumber(v)) {
        if (v->valuedouble == floor(v->valuedouble) && fabs(v->valuedouble) < 1e15)
            return g_strdup_printf("%.0f", v->valuedouble);
        return g_strdup_printf("%g", v->valuedouble);
    }
    if (cJSON_IsBool(v))
        return g_strdup(cJSON_IsTrue(v) ? "true" : "false");
    char *s = cJSON_PrintUnformatted(v);
    char *r = g_strdup(s);
    cJSON_free(s);
    return r;
}

static cJSON *get_ref(xctx *e, const char *ref)
{
    execution *x = e->x;
    if (g_str_has_prefix(ref, "Parameters.")) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(x->params, ref + strlen("Parameters."));
        if (!v)
            sm_pipelines__xfail(e, "Parameter %s has no value.", ref);
        return v ? cJSON_Duplicate(v, 1) : NULL;
    }
    if (g_str_has_prefix(ref, "Execution.")) {
        const char *n = ref + strlen("Execution.");
        char iso[21];
        if (strcmp(n, "PipelineExecutionId") == 0)
            return cJSON_CreateString(x->id);
        if (strcmp(n, "PipelineExecutionArn") == 0)
            return cJSON_CreateString(x->arn);
        if (strcmp(n, "PipelineName") == 0)
            return cJSON_CreateString(x->pipeline_name);
        if (strcmp(n, "PipelineArn") == 0)
            return cJSON_CreateString(x->pipeline_arn);
        world_iso_time(e->w, strcmp(n, "CurrentDateTime") == 0 ? world_now(e->w) : x->created_us,
                       iso);
        return cJSON_CreateString(iso);
    }
    const char *n = ref + strlen("Steps.");
    gsize len = strcspn(n, ".[");
    g_autofree char *name = g_strndup(n, len);
    int i = sm_pipelines__step_index(x->def, name);
    const step_run *r = i >= 0 ? &x->runs[i] : NULL;
    if (!r || r->status != RS_SUCCEEDED) {
        sm_pipelines__xfail(e, "Step %s has not succeeded; %s cannot be read.", name, ref);
        return NULL;
    }
    const char *rest = n + len;
    if (*rest == '.')
        rest++;
    if (g_str_has_prefix(rest, "PropertyFiles.")) {
        /* Returned as {"PropertyFile": name, "Step": index} for JsonGet. */
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "PropertyFile", rest + strlen("PropertyFiles."));
        cJSON_AddNumberToObject(o, "Step", i);
        return o;
    }
    const cJSON *v = prop_path(r->props, rest);
    if (!v) {
        sm_pipelines__xfail(e, "Step %s has no property %s.", name, rest);
        return NULL;
    }
    return cJSON_Duplicate(v, 1);
}

/* The S3 URI of a property file of a processing step: its output's S3Uri
 * and the file's FilePath. */
static char *property_file_uri(xctx *e, const cJSON *pf)
{
    int i = (int)api_num(pf, "Step", -1);
    const char *name = api_str(pf, "PropertyFile");
    const pstep *s = i >= 0 ? sm_pipelines__pstep_at(e->x, i) : NULL;
    const cJSON *f, *hit = NULL;
    const cJSON *files = s ? cJSON_GetObjectItemCaseSensitive(s->json, "PropertyFiles") : NULL;
    cJSON_ArrayForEach(f, files)
        if (g_strcmp0(api_str(f, "PropertyFileName"), name) == 0)
            hit = f;
    if (!hit) {
        sm_pipelines__xfail(e, "Property file %s is not defined.", name ? name : "(none)");
        return NULL;
    }
    g_autofree char *path = g_strdup_printf("ProcessingOutputConfig.Outputs['%s'].S3Output.S3Uri",
                                            api_str(hit, "OutputName"));
    const cJSON *uri = prop_path(e->x->runs[i].props, path);
    if (!cJSON_IsString(uri)) {
        sm_pipelines__xfail(e, "Output %s of step %s has no S3Uri.", api_str(hit, "OutputName"), s->name);
        return NULL;
    }
    const char *file = api_str(hit, "FilePath");
    return g_strdup_printf("%s%s%s", uri->valuestring,
                           g_str_has_suffix(uri->valuestring, "/") ? "" : "/", file ? file : "");
}

/* Std:JsonGet: reads the JSON file at an S3 URI as the execution role, the
 * way SageMaker does (P2, P9), and takes Path from it. */
static cJSON *json_get(xctx *e, const cJSON *args)
{
    const cJSON *pf = cJSON_GetObjectItemCaseSensitive(args, "PropertyFile");
    const cJSON *s3 = cJSON_GetObjectItemCaseSensitive(args, "S3Uri");
    g_autofree char *uri = NULL;
    if (pf) {
        g_autoptr(cJSON) ref = sm_pipelines__resolve(e, pf);
        if (!ref)
            return NULL;
        uri = property_file_uri(e, ref);
    } else if (s3) {
        g_autoptr(cJSON) u = sm_pipelines__resolve(e, s3);
        if (u)
            uri = sm_pipelines__as_text(u);
    }
    if (!uri) {
        sm_pipelines__xfail(e, "Std:JsonGet needs a PropertyFile or an S3Uri.");
        return NULL;
    }
    const char *path = g_str_has_prefix(uri, "s3://") ? uri + 5 : NULL;
    const char *slash = path ? strchr(path, '/') : NULL;
    if (!slash) {
        sm_pipelines__xfail(e, "Std:JsonGet: %s is not an S3 URI.", uri);
        return NULL;
    }
    g_autofree char *bucket = g_strndup(path, (gsize)(slash - path));
    g_autoptr(cJSON) in = cJSON_CreateObject();
    cJSON_AddStringToObject(in, "Bucket", bucket);
    cJSON_AddStringToObject(in, "Key", slash + 1);
    g_autoptr(cJSON) out = NULL;
    api_error err = { 0 };
    g_autofree char *stream = g_strdup_printf("sagemaker/pipeline-execution/%s", e->x->arn);
    if (!api_invoke_via(e->w, e->x->role, SM_SERVICE, "s3:GetObject", in, world_rng(e->w, stream),
                        &out, &err)) {
        sm_pipelines__xfail(e, "Std:JsonGet could not read %s as %s: %s: %s", uri, e->x->role->arn, err.code,
              err.message ? err.message : "");
        api_error_clear(&err);
        return NULL;
    }
    gsize n = 0;
    const char *body = api_str(out, "Body");
    g_autofree guchar *raw = g_base64_decode(body ? body : "", &n);
    g_autofree char *text = g_strndup((const char *)raw, n);
    g_autoptr(cJSON) doc = cJSON_Parse(text);
    const char *jp = api_str(args, "Path");
    const cJSON *v = doc && jp ? prop_path(doc, jp) : NULL;
    if (!v) {
        sm_pipelines__xfail(e, "Std:JsonGet: %s has no JSON value at %s.", uri, jp ? jp : "(no Path)");
        return NULL;
    }
    return cJSON_Duplicate(v, 1);
}

/* A resolved copy of v with every Get, Std:Join and Std:JsonGet replaced by
 * its value; NULL with e->error set. */
cJSON *sm_pipelines__resolve(xctx *e, const cJSON *v)
{
    if (cJSON_IsArray(v)) {
        cJSON *a = cJSON_CreateArray();
        const cJSON *m;
        cJSON_ArrayForEach(m, v) {
            cJSON *r = sm_pipelines__resolve(e, m);
            if (!r) {
                cJSON_Delete(a);
                return NULL;
            }
            cJSON_AddItemToArray(a, r);
        }
        return a;
    }
    if (!cJSON_IsObject(v))
        return cJSON_Duplicate(v, 1);
    if (cJSON_GetArraySize(v) == 1) {
        const cJSON *m = v->child;
        if (strcmp(m->string, "Get") == 0 && cJSON_IsString(m))
            return get_ref(e, m->valuestring);
        if (strcmp(m->string, "Std:JsonGet") == 0)
            return json_get(e, m);
        if (strcmp(m->string, "Std:Join") == 0) {
            g_autoptr(cJSON) on = sm_pipelines__resolve(e, cJSON_GetObjectItemCaseSensitive(m, "On"));
            g_autoptr(cJSON) vals = sm_pipelines__resolve(e, cJSON_GetObjectItemCaseSensitive(m, "Values"));
            if (!on || !vals)
                return NULL;
            g_autofree char *sep = sm_pipelines__as_text(on);
            GString *g = g_string_new(NULL);
            const cJSON *x;
            cJSON_ArrayForEach(x, vals) {
                g_autofree char *t = sm_pipelines__as_text(x);
                g_string_append_printf(g, "%s%s", g->len || x != vals->child ? sep : "", t);
            }
            cJSON *r = cJSON_CreateString(g->str);
            g_string_free(g, TRUE);
            return r;
        }
    }
    cJSON *o = cJSON_CreateObject();
    const cJSON *m;
    cJSON_ArrayForEach(m, v) {
        cJSON *r = sm_pipelines__resolve(e, m);
        if (!r) {
            cJSON_Delete(o);
            return NULL;
        }
        cJSON_AddItemToObject(o, m->string, r);
    }
    return o;
}

static bool num_of(const cJSON *v, double *out)
{
    if (cJSON_IsNumber(v)) {
        *out = v->valuedouble;
        return true;
    }
    char *end = NULL;
    if (cJSON_IsString(v) && *v->valuestring) {
        *out = g_ascii_strtod(v->valuestring, &end);
        return end && !*end;
    }
    return false;
}

/* One condition of a Condition step; -1 with e->error set on failure. */
int sm_pipelines__eval_condition(xctx *e, const cJSON *cond)
{
    const char *type = api_str(cond, "Type");
    if (g_strcmp0(type, "Not") == 0) {
        int r = sm_pipelines__eval_condition(e, cJSON_GetObjectItemCaseSensitive(cond, "Expression"));
        return r < 0 ? -1 : !r;
    }
    if (g_strcmp0(type, "Or") == 0) {
        const cJSON *c;
        int any = 0;
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(cond, "Conditions")) {
            int r = sm_pipelines__eval_condition(e, c);
            if (r < 0)
                return -1;
            any = any || r;
        }
        return any;
    }
    const char *lm = g_strcmp0(type, "In") == 0 ? "QueryValue" : "LeftValue";
    g_autoptr(cJSON) left = sm_pipelines__resolve(e, cJSON_GetObjectItemCaseSensitive(cond, lm));
    if (!left)
        return -1;
    if (g_strcmp0(type, "In") == 0) {
        g_autoptr(cJSON) vals = sm_pipelines__resolve(e, cJSON_GetObjectItemCaseSensitive(cond, "Values"));
        const cJSON *x;
        cJSON_ArrayForEach(x, vals)
            if (cJSON_Compare(x, left, 1))
                return 1;
        return vals ? 0 : -1;
    }
    g_autoptr(cJSON) right = sm_pipelines__resolve(e, cJSON_GetObjectItemCaseSensitive(cond, "RightValue"));
    if (!right)
        return -1;
    if (g_strcmp0(type, "Equals") == 0) {
        double a, b;
        if (num_of(left, &a) && num_of(right, &b))
            return a == b;
        return cJSON_Compare(left, right, 1);
    }
    double a, b;
    if (!num_of(left, &a) || !num_of(right, &b)) {
        sm_pipelines__xfail(e, "Condition %s compares values that are not numbers.", type ? type : "(none)");
        return -1;
    }
    if (g_strcmp0(type, "GreaterThan") == 0)
        return a > b;
    if (g_strcmp0(type, "GreaterThanOrEqualTo") == 0)
        return a >= b;
    if (g_strcmp0(type, "LessThan") == 0)
        return a < b;
    if (g_strcmp0(type, "LessThanOrEqualTo") == 0)
        return a <= b;
    sm_pipelines__xfail(e, "Unknown condition type %s.", type ? type : "(none)");
    return -1;
}

/* The value of an output parameter as its declared OutputType reads it
 * (String when undeclared), or NULL when the text is not of that type. */
cJSON *sm_pipelines__typed_output(const pstep *ps, const char *name, const char *text)
{
    const cJSON *o;
    const char *type = "String";
    cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(ps->json, "OutputParameters"))
        if (g_strcmp0(api_str(o, "OutputName"), name) == 0 && api_str(o, "OutputType"))
            type = api_str(o, "OutputType");
    char *end = NULL;
    if (strcmp(type, "Integer") == 0) {
        gint64 v = g_ascii_strtoll(text, &end, 10);
        return *text && !*end ? cJSON_CreateNumber((double)v) : NULL;
    }
    if (strcmp(type, "Float") == 0) {
        double v = g_ascii_strtod(text, &end);
        return *text && !*end && isfinite(v) ? cJSON_CreateNumber(v) : NULL;
    }
    if (strcmp(type, "Boolean") == 0) {
        if (g_ascii_strcasecmp(text, "true") == 0 || g_ascii_strcasecmp(text, "false") == 0)
            return cJSON_CreateBool(g_ascii_strcasecmp(text, "true") == 0);
        return NULL;
    }
    return cJSON_CreateString(text);
}
