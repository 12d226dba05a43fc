/* model/iam.c: compiling policy documents and evaluating requests.
 *
 * A compiled policy is an array of statements; each statement holds its
 * effect, its principal matchers (resource policies), lower-cased action
 * patterns, resource patterns (with a flag when they hold policy variables)
 * and compiled conditions.  Evaluation walks the layers in AWS's documented
 * order (IAM User Guide, "Policy evaluation logic" and "Cross-account policy
 * evaluation logic"):
 *   1. an explicit Deny in any applicable policy denies;
 *   2. every SCP level above the account must allow;
 *   3. KMS key policies and role trust policies must allow; an Allow that
 *      names the account only delegates to the account's identity policies;
 *   4. across accounts, the owner's resource policy AND the caller's
 *      identity policy must allow;
 *   5. in one account, a resource-policy Allow naming the user or session
 *      (or "*") suffices; naming the role, it is still limited by the
 *      permissions boundary and session policies; otherwise the identity
 *      policy must allow, then the boundary, then the session policy.
 * Without a trace nothing is allocated while evaluating. */
#include "model/iam.h"

#include <gio/gio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK(crossim-iam-error-quark, iam_error)

/* ---- compiled form --------------------------------------------------------- */

typedef enum pkind { P_ANY, P_ACCOUNT, P_ARN, P_SERVICE, P_FEDERATED, P_SET } pkind;
typedef struct pmatch { pkind kind; char *value; } pmatch;

typedef enum cop {
    OP_STR_EQ, OP_STR_EQ_IC, OP_STR_LIKE, OP_NUM_EQ, OP_NUM_LT, OP_NUM_LE, OP_NUM_GT,
    OP_NUM_GE, OP_DATE_EQ, OP_DATE_LT, OP_DATE_LE, OP_DATE_GT, OP_DATE_GE, OP_BOOL,
    OP_BINARY, OP_IP, OP_ARN_LIKE, OP_NULL
} cop;

typedef struct cond {
    cop        op;
    bool       negated, if_exists, any_value, all_values;
    char      *key;
    GPtrArray *values;       /* char* */
    bool       has_vars;
} cond;

typedef struct stmt {
    char      *sid;
    bool       allow;
    bool       has_principal, not_principal;
    GArray    *principals;   /* pmatch */
    /* Long principal lists (PIDX_MIN or more): accounts ("a:" id) and ARNs
     * ("r:" arn) hashed, the other matchers in `others`, so matching costs
     * the same for ten principals or ten thousand. */
    GHashTable *pidx;
    GArray    *others;       /* pmatch, borrowed values */
    bool       not_action;
    GPtrArray *actions;      /* lower-cased patterns */
    bool       not_resource, has_resource;
    GPtrArray *resources;
    bool       resource_vars;
    GArray    *conds;        /* cond */
} stmt;

struct iam_policy {
    gint    refs;
    char   *name;
    iam_principal_test set_test;   /* P_SET matchers ask it about set */
    const void        *set;
    bool    vars;            /* Version 2012-10-17: policy variables expand */
    GArray *stmts;           /* stmt */
};

static void stmt_clear(stmt *s)
{
    g_free(s->sid);
    if (s->principals) {
        for (guint i = 0; i < s->principals->len; i++)
            g_free(g_array_index(s->principals, pmatch, i).value);
        g_array_unref(s->principals);
    }
    if (s->pidx)
        g_hash_table_unref(s->pidx);
    if (s->others)
        g_array_unref(s->others);
    if (s->actions)
        g_ptr_array_unref(s->actions);
    if (s->resources)
        g_ptr_array_unref(s->resources);
    if (s->conds) {
        for (guint i = 0; i < s->conds->len; i++) {
            cond *c = &g_array_index(s->conds, cond, i);
            g_free(c->key);
            g_ptr_array_unref(c->values);
        }
        g_array_unref(s->conds);
    }
}

iam_policy *iam_policy_ref(iam_policy *p)
{
    g_atomic_int_inc(&p->refs);
    return p;
}

void iam_policy_unref(iam_policy *p)
{
    if (!p || !g_atomic_int_dec_and_test(&p->refs))
        return;
    for (guint i = 0; i < p->stmts->len; i++)
        stmt_clear(&g_array_index(p->stmts, stmt, i));
    g_array_unref(p->stmts);
    g_free(p->name);
    g_free(p);
}

void iam_policy_set_name(iam_policy *p, const char *name)
{
    g_free(p->name);
    p->name = g_strdup(name);
}

const char *iam_policy_name(const iam_policy *p) { return p->name ? p->name : "policy"; }
guint iam_policy_statements(const iam_policy *p) { return p->stmts->len; }

const char *iam_policy_sid(const iam_policy *p, int i)
{
    if (!p || i < 0 || (guint)i >= p->stmts->len)
        return NULL;
    return g_array_index(p->stmts, stmt, i).sid;
}

/* ---- compiling --------------------------------------------------------------- */

typedef struct cstate { GError **error; bool failed; bool with_set; } cstate;

#define PIDX_MIN 8

static bool fail(cstate *cs, const char *path, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static bool fail(cstate *cs, const char *path, const char *fmt, ...)
{
    if (cs->failed)
        return false;
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *m = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(cs->error, IAM_ERROR, IAM_ERROR_MALFORMED, "%s: %s", path, m);
    cs->failed = true;
    return false;
}

/* A string or a list of strings, into out (lower-cased when fold). */
static bool strings(cstate *cs, const cJSON *v, const char *path, GPtrArray *out, bool fold)
{
    if (cJSON_IsString(v)) {
        g_ptr_array_add(out, fold ? g_ascii_strdown(v->valuestring, -1) : g_strdup(v->valuestring));
        return true;
    }
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) == 0)
        return fail(cs, path, "must be a string or a non-empty list of strings");
    const cJSON *e;
    cJSON_ArrayForEach(e, v) {
        if (!cJSON_IsString(e))
            return fail(cs, path, "must hold strings only");
        g_ptr_array_add(out, fold ? g_ascii_strdown(e->valuestring, -1) : g_strdup(e->valuestring));
    }
    return true;
}

static bool is_account_id(const char *s)
{
    if (strlen(s) != 12)
        return false;
    for (int i = 0; i < 12; i++)
        if (!g_ascii_isdigit(s[i]))
            return false;
    return true;
}

static bool compile_principal(cstate *cs, const cJSON *v, const char *path, GArray *out)
{
    if (cJSON_IsString(v)) {
        if (strcmp(v->valuestring, "*") != 0)
            return fail(cs, path, "a string principal must be \"*\"");
        pmatch m = { P_ANY, NULL };
        g_array_append_val(out, m);
        return true;
    }
    if (!cJSON_IsObject(v) || !v->child)
        return fail(cs, path, "must be \"*\" or an object such as {\"AWS\": ...}");
    const cJSON *e;
    cJSON_ArrayForEach(e, v) {
        g_autofree char *p = g_strdup_printf("%s.%s", path, e->string);
        g_autoptr(GPtrArray) vals = g_ptr_array_new_with_free_func(g_free);
        if (!strings(cs, e, p, vals, false))
            return false;
        for (guint i = 0; i < vals->len; i++) {
            const char *s = vals->pdata[i];
            pmatch m = { P_ARN, NULL };
            if (strcmp(e->string, "AWS") == 0) {
                if (cs->with_set && strcmp(s, IAM_PRINCIPAL_SET) == 0)
                    m.kind = P_SET;
                else if (strcmp(s, "*") == 0)
                    m.kind = P_ANY;
                else if (is_account_id(s)) {
                    m.kind = P_ACCOUNT;
                    m.value = g_strdup(s);
                } else if (g_str_has_prefix(s, "arn:aws:iam::") && g_str_has_suffix(s, ":root")) {
                    m.kind = P_ACCOUNT;
                    m.value = g_strndup(s + 13, strlen(s) - 13 - 5);
                } else if (g_str_has_prefix(s, "arn:")) {
                    m.value = g_strdup(s);
                } else {
                    return fail(cs, p, "\"%s\" is not an account id or an ARN", s);
                }
            } else if (strcmp(e->string, "Service") == 0) {
                m.kind = P_SERVICE;
                m.value = g_strdup(s);
            } else if (strcmp(e->string, "Federated") == 0 ||
                       strcmp(e->string, "CanonicalUser") == 0) {
                m.kind = P_FEDERATED;
                m.value = g_strdup(s);
            } else {
                return fail(cs, p, "unknown principal type \"%s\" (AWS, Service, Federated, CanonicalUser)",
                            e->string);
            }
            g_array_append_val(out, m);
        }
    }
    return true;
}

static const struct { const char *name; cop op; bool negated; } ops[] = {
    { "StringEquals", OP_STR_EQ, false }, { "StringNotEquals", OP_STR_EQ, true },
    { "StringEqualsIgnoreCase", OP_STR_EQ_IC, false },
    { "StringNotEqualsIgnoreCase", OP_STR_EQ_IC, true },
    { "StringLike", OP_STR_LIKE, false }, { "StringNotLike", OP_STR_LIKE, true },
    { "NumericEquals", OP_NUM_EQ, false }, { "NumericNotEquals", OP_NUM_EQ, true },
    { "NumericLessThan", OP_NUM_LT, false }, { "NumericLessThanEquals", OP_NUM_LE, false },
    { "NumericGreaterThan", OP_NUM_GT, false }, { "NumericGreaterThanEquals", OP_NUM_GE, false },
    { "DateEquals", OP_DATE_EQ, false }, { "DateNotEquals", OP_DATE_EQ, true },
    { "DateLessThan", OP_DATE_LT, false }, { "DateLessThanEquals", OP_DATE_LE, false },
    { "DateGreaterThan", OP_DATE_GT, false }, { "DateGreaterThanEquals", OP_DATE_GE, false },
    { "Bool", OP_BOOL, false }, { "BinaryEquals", OP_BINARY, false },
    { "IpAddress", OP_IP, false }, { "NotIpAddress", OP_IP, true },
    { "ArnEquals", OP_ARN_LIKE, false }, { "ArnLike", OP_ARN_LIKE, false },
    { "ArnNotEquals", OP_ARN_LIKE, true }, { "ArnNotLike", OP_ARN_LIKE, true },
    { "Null", OP_NULL, false },
};

static bool compile_conditions(cstate *cs, const cJSON *v, const char *path, GArray *out)
{
    if (!cJSON_IsObject(v))
        return fail(cs, path, "must be an object of operator -> {key: values}");
    const cJSON *o;
    cJSON_ArrayForEach(o, v) {
        g_autofree char *p = g_strdup_printf("%s.%s", path, o->string);
        const char *name = o->string;
        cond c = { 0 };
        if (g_str_has_prefix(name, "ForAnyValue:")) {
            c.any_value = true;
            name += strlen("ForAnyValue:");
        } else if (g_str_has_prefix(name, "ForAllValues:")) {
            c.all_values = true;
            name += strlen("ForAllValues:");
        }
        g_autofree char *base = g_strdup(name);
        if (g_str_has_suffix(base, "IfExists")) {
            c.if_exists = true;
            base[strlen(base) - strlen("IfExists")] = '\0';
        }
        bool found = false;
        for (gsize i = 0; i < G_N_ELEMENTS(ops); i++)
            if (strcmp(ops[i].name, base) == 0) {
                c.op = ops[i].op;
                c.negated = ops[i].negated;
                found = true;
            }
        if (!found || (c.op == OP_NULL && c.if_exists))
            return fail(cs, p, "unknown condition operator \"%s\"", o->string);
        if (!cJSON_IsObject(o) || !o->child)
            return fail(cs, p, "must be an object of condition key -> value(s)");
        const cJSON *k;
        cJSON_ArrayForEach(k, o) {
            g_autofree char *pk = g_strdup_printf("%s.%s", p, k->string);
            cond one = c;
            one.key = g_ascii_strdown(k->string, -1);
            one.values = g_ptr_array_new_with_free_func(g_free);
            bool ok = true;
            if (cJSON_IsString(k) || cJSON_IsArray(k)) {
                const cJSON *e;
                if (cJSON_IsString(k))
                    g_ptr_array_add(one.values, g_strdup(k->valuestring));
                else
                    cJSON_ArrayForEach(e, k) {
                        if (cJSON_IsString(e))
                            g_ptr_array_add(one.values, g_strdup(e->valuestring));
                        else if (cJSON_IsBool(e))
                            g_ptr_array_add(one.values, g_strdup(cJSON_IsTrue(e) ? "true" : "false"));
                        else if (cJSON_IsNumber(e))
                            g_ptr_array_add(one.values, g_strdup_printf("%.15g", e->valuedouble));
                        else
                            ok = fail(cs, pk, "condition values are strings, numbers or booleans");
                    }
            } else if (cJSON_IsBool(k)) {
                g_ptr_array_add(one.values, g_strdup(cJSON_IsTrue(k) ? "true" : "false"));
            } else if (cJSON_IsNumber(k)) {
                g_ptr_array_add(one.values, g_strdup_printf("%.15g", k->valuedouble));
            } else {
                ok = fail(cs, pk, "condition values are strings, numbers or booleans");
            }
            for (guint i = 0; i < one.values->len; i++)
                if (strstr(one.values->pdata[i], "${"))
                    one.has_vars = true;
            for (guint i = 0; ok && one.op == OP_IP && !one.has_vars && i < one.values->len; i++) {
                /* IAM refuses the document (MalformedPolicyDocument); it
                 * must not compile and then match nothing. */
                GInetAddressMask *m = g_inet_address_mask_new_from_string(one.values->pdata[i], NULL);
                if (!m)
                    ok = fail(cs, pk, "\"%s\" is not an IP address or CIDR block",
                              (const char *)one.values->pdata[i]);
                else
                    g_object_unref(m);
            }
            g_array_append_val(out, one);
            if (!ok)
                return false;
        }
    }
    return true;
}

static const char *const stmt_keys[] = { "Sid", "Effect", "Principal", "NotPrincipal", "Action",
                                         "NotAction", "Resource", "NotResource", "Condition", NULL };

static bool compile_stmt(cstate *cs, const cJSON *v, const char *path, stmt *s)
{
    if (!cJSON_IsObject(v))
        return fail(cs, path, "a statement must be an object");
    const cJSON *e;
    cJSON_ArrayForEach(e, v) {
        bool known = false;
        for (int i = 0; stmt_keys[i]; i++)
            if (strcmp(stmt_keys[i], e->string) == 0)
                known = true;
        if (!known)
            return fail(cs, path, "unknown element \"%s\"", e->string);
    }
    const cJSON *sid = cJSON_GetObjectItemCaseSensitive(v, "Sid");
    if (sid && !cJSON_IsString(sid))
        return fail(cs, path, "Sid must be a string");
    s->sid = sid ? g_strdup(sid->valuestring) : NULL;
    const cJSON *eff = cJSON_GetObjectItemCaseSensitive(v, "Effect");
    g_autofree char *pe = g_strdup_printf("%s.Effect", path);
    if (!eff)
        return fail(cs, path, "missing Effect");
    if (!cJSON_IsString(eff) || (strcmp(eff->valuestring, "Allow") && strcmp(eff->valuestring, "Deny")))
        return fail(cs, pe, "Effect must be \"Allow\" or \"Deny\"");
    s->allow = strcmp(eff->valuestring, "Allow") == 0;

    const cJSON *pr = cJSON_GetObjectItemCaseSensitive(v, "Principal");
    const cJSON *npr = cJSON_GetObjectItemCaseSensitive(v, "NotPrincipal");
    if (pr && npr)
        return fail(cs, path, "Principal and NotPrincipal cannot both be given");
    if (pr || npr) {
        s->has_principal = true;
        s->not_principal = npr != NULL;
        s->principals = g_array_new(FALSE, TRUE, sizeof(pmatch));
        g_autofree char *pp = g_strdup_printf("%s.%s", path, pr ? "Principal" : "NotPrincipal");
        if (!compile_principal(cs, pr ? pr : npr, pp, s->principals))
            return false;
        if (s->principals->len >= PIDX_MIN) {
            s->pidx = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
            s->others = g_array_new(FALSE, FALSE, sizeof(pmatch));
            for (guint i = 0; i < s->principals->len; i++) {
                const pmatch *m = &g_array_index(s->principals, pmatch, i);
                if (m->kind == P_ACCOUNT || m->kind == P_ARN)
                    g_hash_table_add(s->pidx, g_strconcat(m->kind == P_ACCOUNT ? "a:" : "r:",
                                                          m->value, NULL));
                else
                    g_array_append_val(s->others, *m);
            }
        }
    }
    const cJSON *ac = cJSON_GetObjectItemCaseSensitive(v, "Action");
    const cJSON *nac = cJSON_GetObjectItemCaseSensitive(v, "NotAction");
    if (ac && nac)
        return fail(cs, path, "Action and NotAction cannot both be given");
    if (!ac && !nac)
        return fail(cs, path, "missing Action or NotAction");
    s->not_action = nac != NULL;
    s->actions = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *pa = g_strdup_printf("%s.%s", path, ac ? "Action" : "NotAction");
    if (!strings(cs, ac ? ac : nac, pa, s->actions, true))
        return false;
    for (guint i = 0; i < s->actions->len; i++) {
        const char *a = s->actions->pdata[i];
        if (strcmp(a, "*") != 0 && !strchr(a, ':'))
            return fail(cs, pa, "\"%s\" is not service:action", a);
    }
    const cJSON *rs = cJSON_GetObjectItemCaseSensitive(v, "Resource");
    const cJSON *nrs = cJSON_GetObjectItemCaseSensitive(v, "NotResource");
    if (rs && nrs)
        return fail(cs, path, "Resource and NotResource cannot both be given");
    s->resources = g_ptr_array_new_with_free_func(g_free);
    if (rs || nrs) {
        s->has_resource = true;
        s->not_resource = nrs != NULL;
        g_autofree char *pres = g_strdup_printf("%s.%s", path, rs ? "Resource" : "NotResource");
        if (!strings(cs, rs ? rs : nrs, pres, s->resources, false))
            return false;
        for (guint i = 0; i < s->resources->len; i++) {
            const char *r = s->resources->pdata[i];
            if (strcmp(r, "*") != 0 && !g_str_has_prefix(r, "arn:"))
                return fail(cs, pres, "\"%s\" is neither \"*\" nor an ARN", r);
            if (strstr(r, "${"))
                s->resource_vars = true;
        }
    }
    s->conds = g_array_new(FALSE, TRUE, sizeof(cond));
    const cJSON *co = cJSON_GetObjectItemCaseSensitive(v, "Condition");
    if (co) {
        g_autofree char *pc = g_strdup_printf("%s.Condition", path);
        if (!compile_conditions(cs, co, pc, s->conds))
            return false;
    }
    return true;
}

static iam_policy *compile(cstate cs, const cJSON *doc);

iam_policy *iam_policy_compile(const cJSON *doc, GError **error)
{
    return compile((cstate){ error, false, false }, doc);
}

iam_policy *iam_policy_compile_with_set(const cJSON *doc, iam_principal_test test,
                                        const void *set, GError **error)
{
    g_return_val_if_fail(test != NULL, NULL);
    iam_policy *p = compile((cstate){ error, false, true }, doc);
    if (p) {
        p->set_test = test;
        p->set = set;
    }
    return p;
}

static iam_policy *compile(cstate cs, const cJSON *doc)
{
    if (!cJSON_IsObject(doc)) {
        fail(&cs, "$", "a policy document must be a JSON object");
        return NULL;
    }
    const cJSON *e;
    cJSON_ArrayForEach(e, doc)
        if (strcmp(e->string, "Version") && strcmp(e->string, "Id") && strcmp(e->string, "Statement")) {
            fail(&cs, e->string, "unknown element (a policy has Version, Id, Statement)");
            return NULL;
        }
    iam_policy *p = g_new0(iam_policy, 1);
    p->refs = 1;
    p->stmts = g_array_new(FALSE, TRUE, sizeof(stmt));
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(doc, "Version");
    if (ver && (!cJSON_IsString(ver) ||
                (strcmp(ver->valuestring, "2012-10-17") && strcmp(ver->valuestring, "2008-10-17"))))
        fail(&cs, "Version", "must be \"2012-10-17\" or \"2008-10-17\"");
    p->vars = ver && cJSON_IsString(ver) && strcmp(ver->valuestring, "2012-10-17") == 0;
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(doc, "Statement");
    if (!st && !cs.failed)
        fail(&cs, "Statement", "missing Statement");
    if (cJSON_IsObject(st)) {
        stmt s = { 0 };
        bool ok = compile_stmt(&cs, st, "Statement", &s);
        g_array_append_val(p->stmts, s);
        (void)ok;
    } else if (cJSON_IsArray(st)) {
        int i = 0;
        cJSON_ArrayForEach(e, st) {
            g_autofree char *path = g_strdup_printf("Statement[%d]", i++);
            stmt s = { 0 };
            bool ok = compile_stmt(&cs, e, path, &s);
            g_array_append_val(p->stmts, s);
            if (!ok)
                break;
        }
    } else if (st && !cs.failed) {
        fail(&cs, "Statement", "must be an object or a list of objects");
    }
    if (cs.failed) {
        iam_policy_unref(p);
        return NULL;
    }
    return p;
}

iam_policy *iam_policy_compile_text(const char *text, GError **error)
{
    cJSON *doc = cJSON_Parse(text);
    if (!doc) {
        g_set_error(error, IAM_ERROR, IAM_ERROR_MALFORMED, "$: the policy is not valid JSON");
        return NULL;
    }
    iam_policy *p = iam_policy_compile(doc, error);
    cJSON_Delete(doc);
    return p;
}

/* ---- context ---------------------------------------------------------------------- */

/* A request's keys and values live in the context itself: a list of
 * entries and a bump pool of strings, both inline until they outgrow it,
 * so a typical request context is one allocation (a hash table of arrays
 * of copies was about fifty, a fifth of a cheap call's allocations). */
#define CTX_INLINE_ENTS 24
#define CTX_INLINE_POOL 2048

typedef struct ctx_ent {
    const char  *key;          /* lower-cased, in the pool */
    guint32      hash;         /* of key, compared before it */
    const char **vals;         /* NULL: the one value is in `one` */
    const char  *one;
    guint        n, cap;
} ctx_ent;

struct iam_ctx {
    ctx_ent *ents;
    guint    n_ents, cap_ents;
    char    *pool;              /* next free byte of the current block */
    gsize    pool_left;
    GSList  *blocks;            /* g_malloc'd overflow: pool blocks and grown arrays */
    ctx_ent  inl_ents[CTX_INLINE_ENTS];
    char     inl_pool[CTX_INLINE_POOL];
};

/* The last contexts freed, kept for the next requests: a context is a few
 * kilobytes, past malloc's per-size caches, and a call makes one or two. */
enum { CTX_SPARES = 4 };
static __thread iam_ctx *spares[CTX_SPARES];
static __thread guint n_spares;

iam_ctx *iam_ctx_new(void)
{
    iam_ctx *c = n_spares ? spares[--n_spares] : g_malloc(sizeof *c);
    c->ents = c->inl_ents;
    c->n_ents = 0;
    c->cap_ents = CTX_INLINE_ENTS;
    c->pool = c->inl_pool;
    c->pool_left = sizeof c->inl_pool;
    c->blocks = NULL;
    return c;
}

void iam_ctx_free(iam_ctx *c)
{
    if (!c)
        return;
    g_slist_free_full(c->blocks, g_free);
    if (n_spares < CTX_SPARES)
        spares[n_spares++] = c;
    else
        g_free(c);
}

static void *ctx_heap(iam_ctx *c, gsize n)
{
    void *p = g_malloc(n);
    c->blocks = g_slist_prepend(c->blocks, p);
    return p;
}

static char *ctx_bytes(iam_ctx *c, gsize n)
{
    n = (n + 7) & ~(gsize)7;
    if (n > c->pool_left) {
        gsize block = MAX(n, (gsize)CTX_INLINE_POOL);
        c->pool = ctx_heap(c, block);
        c->pool_left = block;
    }
    char *p = c->pool;
    c->pool += n;
    c->pool_left -= n;
    return p;
}

static const char *ctx_strdup(iam_ctx *c, const char *s)
{
    gsize n = strlen(s);
    char *p = ctx_bytes(c, n + 1);
    memcpy(p, s, n + 1);
    return p;
}

/* ASCII lower case of key into buf (or a new string, *heap, when longer). */
static char *lower_key(const char *key, char *buf, gsize size, char **heap)
{
    gsize n = strlen(key);
    char *out = n < size ? buf : (*heap = g_malloc(n + 1));
    for (gsize i = 0; i <= n; i++) {
        char ch = key[i];
        out[i] = ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
    }
    return out;
}

static guint32 key_hash(const char *lower)
{
    guint32 h = 2166136261u;                 /* FNV-1a */
    for (; *lower; lower++)
        h = (h ^ (guchar)*lower) * 16777619u;
    return h;
}

static ctx_ent *ctx_find_hashed(const iam_ctx *c, const char *lower, guint32 h)
{
    for (guint i = 0; c && i < c->n_ents; i++)
        if (c->ents[i].hash == h && strcmp(c->ents[i].key, lower) == 0)
            return (ctx_ent *)&c->ents[i];
    return NULL;
}

static ctx_ent *ctx_find(const iam_ctx *c, const char *lower)
{
    return ctx_find_hashed(c, lower, key_hash(lower));
}

/* The entry of key, made when absent; reset empties its values. */
static ctx_ent *ctx_slot(iam_ctx *c, const char *key, bool reset)
{
    g_autofree char *heap = NULL;
    char buf[256];
    char *lower = lower_key(key, buf, sizeof buf, &heap);
    guint32 h = key_hash(lower);
    ctx_ent *e = ctx_find_hashed(c, lower, h);
    if (e) {
        if (reset)
            e->n = 0;
        return e;
    }
    if (c->n_ents == c->cap_ents) {
        ctx_ent *grown = ctx_heap(c, 2 * c->cap_ents * sizeof *grown);
        memcpy(grown, c->ents, c->n_ents * sizeof *grown);
        c->ents = grown;
        c->cap_ents *= 2;
    }
    e = &c->ents[c->n_ents++];
    *e = (ctx_ent){ .key = ctx_strdup(c, lower), .hash = h };
    return e;
}

static void ent_add(iam_ctx *c, ctx_ent *e, const char *value)
{
    const char *v = ctx_strdup(c, value);
    if (e->n == 0 && !e->vals) {
        e->one = v;
        e->n = 1;
        return;
    }
    if (!e->vals || e->n == e->cap) {
        guint cap = e->vals ? 2 * e->cap : 4;
        const char **grown = (const char **)ctx_bytes(c, cap * sizeof *grown);
        if (e->vals)
            memcpy(grown, e->vals, e->n * sizeof *grown);
        else if (e->n)
            grown[0] = e->one;
        e->vals = grown;
        e->cap = cap;
    }
    e->vals[e->n++] = v;
}

void iam_ctx_set(iam_ctx *c, const char *key, const char *value)
{
    if (key && value)
        ent_add(c, ctx_slot(c, key, true), value);
}

void iam_ctx_add(iam_ctx *c, const char *key, const char *value)
{
    if (key && value)
        ent_add(c, ctx_slot(c, key, false), value);
}

static iam_vals ent_vals(const ctx_ent *e)
{
    if (!e || e->n == 0)
        return (iam_vals){ NULL, 0 };
    return (iam_vals){ e->vals ? e->vals : &e->one, e->n };
}

/* Keys are stored lower-cased; lookups of lower-case keys skip the copy. */
static iam_vals ctx_get_lower(const iam_ctx *c, const char *lower)
{
    return ent_vals(ctx_find(c, lower));
}

iam_vals iam_ctx_get(const iam_ctx *c, const char *key)
{
    if (!c)
        return (iam_vals){ NULL, 0 };
    g_autofree char *heap = NULL;
    char buf[256];
    return ctx_get_lower(c, lower_key(key, buf, sizeof buf, &heap));
}

void iam_ctx_merge(iam_ctx *dst, const iam_ctx *src)
{
    for (guint i = 0; src && i < src->n_ents; i++) {
        iam_vals from = ent_vals(&src->ents[i]);
        if (!from.n)
            continue;
        ctx_ent *to = ctx_slot(dst, src->ents[i].key, true);
        for (guint j = 0; j < from.n; j++)
            ent_add(dst, to, from.v[j]);
    }
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char *iam_ctx_describe(const iam_ctx *c)
{
    GString *s = g_string_new(NULL);
    if (!c)
        return g_string_free(s, FALSE);
    g_autoptr(GPtrArray) keys = g_ptr_array_new();
    for (guint i = 0; i < c->n_ents; i++)
        if (c->ents[i].n)
            g_ptr_array_add(keys, (gpointer)c->ents[i].key);
    g_ptr_array_sort(keys, cmp_str);
    for (guint i = 0; i < keys->len; i++) {
        iam_vals v = ctx_get_lower(c, keys->pdata[i]);
        g_string_append_printf(s, "  %s=", (char *)keys->pdata[i]);
        for (guint j = 0; j < v.n; j++)
            g_string_append_printf(s, "%s%s", j ? "," : "", v.v[j]);
        g_string_append_c(s, '\n');
    }
    return g_string_free(s, FALSE);
}

/* ---- matching ------------------------------------------------------------------------ */

bool iam_glob(const char *p, const char *t, bool fold)
{
    const char *star = NULL, *resume = NULL;
    while (*t) {
        if (*p == '*') {
            star = p++;
            resume = t;
        } else if (*p == '?' ||
                   (fold ? g_ascii_tolower(*p) == g_ascii_tolower(*t) : *p == *t)) {
            p++;
            t++;
        } else if (star) {
            p = star + 1;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (*p == '*')
        p++;
    return *p == '\0';
}

/* Expands ${...} policy variables of s into out; false when a variable has
 * no value and no default (the value then matches nothing). */
static bool expand_vars(const char *s, const iam_ctx *ctx, GString **outp)
{
    /* Made on first use: requests without policy variables allocate nothing. */
    if (!*outp)
        *outp = g_string_sized_new(128);
    GString *out = *outp;
    g_string_truncate(out, 0);
    while (*s) {
        const char *a = strstr(s, "${");
        const char *b = a ? strchr(a, '}') : NULL;
        if (!a || !b) {
            g_string_append(out, s);
            break;
        }
        g_string_append_len(out, s, a - s);
        g_autofree char *inner = g_strndup(a + 2, (gsize)(b - a - 2));
        char *comma = strchr(inner, ',');
        char *dflt = NULL;
        if (comma) {
            *comma = '\0';
            dflt = g_strstrip(comma + 1);
            gsize n = strlen(dflt);
            if (n >= 2 && dflt[0] == '\'' && dflt[n - 1] == '\'') {
                dflt[n - 1] = '\0';
                dflt++;
            }
        }
        g_strstrip(inner);
        if (strcmp(inner, "*") == 0 || strcmp(inner, "?") == 0 || strcmp(inner, "$") == 0) {
            g_string_append(out, inner);
        } else {
            iam_vals v = iam_ctx_get(ctx, inner);
            if (v.n)
                g_string_append(out, v.v[0]);
            else if (dflt)
                g_string_append(out, dflt);
            else
                return false;
        }
        s = b + 1;
    }
    return true;
}

typedef enum pmatch_kind { PM_NONE, PM_ACCOUNT, PM_ROLE, PM_EXACT, PM_STAR } pmatch_kind;

static pmatch_kind match_one(const iam_policy *p, const pmatch *m, const iam_request *rq)
{
    bool svc = rq->kind == IAM_PRINCIPAL_SERVICE;
    switch (m->kind) {
    case P_ANY:
        return PM_STAR;
    case P_ACCOUNT:
        if (!svc && g_strcmp0(m->value, rq->principal_account) == 0)
            return rq->kind == IAM_PRINCIPAL_ROOT ? PM_EXACT : PM_ACCOUNT;
        return PM_NONE;
    case P_ARN:
        if (g_strcmp0(m->value, rq->principal_arn) == 0)
            return PM_EXACT;
        if (rq->role_arn && strcmp(m->value, rq->role_arn) == 0)
            return PM_ROLE;
        return PM_NONE;
    case P_SERVICE:
        return svc && g_strcmp0(m->value, rq->principal_arn) == 0 ? PM_EXACT : PM_NONE;
    case P_FEDERATED:
        return PM_NONE;
    case P_SET:
        /* The set holds account ids and role or user ARNs, as P_ACCOUNT and
         * P_ARN values would. */
        if (!svc && rq->principal_arn && p->set_test(p->set, rq->principal_arn))
            return PM_EXACT;
        if (!svc && rq->role_arn && p->set_test(p->set, rq->role_arn))
            return PM_ROLE;
        if (!svc && rq->principal_account && p->set_test(p->set, rq->principal_account))
            return rq->kind == IAM_PRINCIPAL_ROOT ? PM_EXACT : PM_ACCOUNT;
        return PM_NONE;
    }
    return PM_NONE;
}

static bool pidx_has(const stmt *s, const char *tag, const char *v)
{
    char buf[512];
    if (!v || strlen(v) + 3 > sizeof buf)
        return false;
    buf[0] = tag[0];
    buf[1] = ':';
    strcpy(buf + 2, v);
    return g_hash_table_contains(s->pidx, buf);
}

static pmatch_kind principal_matches(const iam_policy *p, const stmt *s, const iam_request *rq)
{
    pmatch_kind best = PM_NONE;
    const GArray *list = s->pidx ? s->others : s->principals;
    for (guint i = 0; i < list->len && best < PM_STAR; i++) {
        pmatch_kind k = match_one(p, &g_array_index(list, pmatch, i), rq);
        if (k > best)
            best = k;
    }
    if (s->pidx) {
        if (rq->kind != IAM_PRINCIPAL_SERVICE && pidx_has(s, "a", rq->principal_account))
            best = MAX(best, rq->kind == IAM_PRINCIPAL_ROOT ? PM_EXACT : PM_ACCOUNT);
        if (pidx_has(s, "r", rq->principal_arn))
            best = MAX(best, PM_EXACT);
        else if (pidx_has(s, "r", rq->role_arn))
            best = MAX(best, PM_ROLE);
    }
    return best;
}

static bool action_matches(const stmt *s, const char *action_lower)
{
    bool any = false;
    for (guint i = 0; i < s->actions->len && !any; i++)
        any = iam_glob(s->actions->pdata[i], action_lower, false);
    return s->not_action ? !any : any;
}

static bool resource_matches(const stmt *s, const iam_policy *p, const iam_request *rq,
                             GString **scratch)
{
    if (!s->has_resource)
        return true;      /* trust policies have no Resource */
    bool any = false;
    for (guint i = 0; i < s->resources->len && !any; i++) {
        const char *pat = s->resources->pdata[i];
        if (s->resource_vars && p->vars && strstr(pat, "${")) {
            if (!expand_vars(pat, rq->ctx, scratch))
                continue;
            pat = (*scratch)->str;
        }
        any = iam_glob(pat, rq->resource, false);
    }
    return s->not_resource ? !any : any;
}

/* ---- conditions ---------------------------------------------------------------------- */

static bool parse_num(const char *s, double *out)
{
    char *end;
    *out = g_ascii_strtod(s, &end);
    return end != s && *end == '\0';
}

static bool parse_date(const char *s, double *out)
{
    if (parse_num(s, out))
        return true;
    GDateTime *dt = g_date_time_new_from_iso8601(s, NULL);
    if (!dt) {
        /* A date alone ("2026-01-05") is midnight UTC. */
        g_autofree char *full = g_strdup_printf("%sT00:00:00Z", s);
        dt = g_date_time_new_from_iso8601(full, NULL);
    }
    if (!dt)
        return false;
    *out = (double)g_date_time_to_unix(dt) + g_date_time_get_microsecond(dt) / 1e6;
    g_date_time_unref(dt);
    return true;
}

static bool ip_matches(const char *cidr, const char *ip)
{
    GError *e = NULL;
    GInetAddressMask *m = g_inet_address_mask_new_from_string(cidr, &e);
    if (!m) {
        g_error_free(e);
        return false;
    }
    GInetAddress *a = g_inet_address_new_from_string(ip);
    bool ok = a && g_inet_address_mask_matches(m, a);
    if (a)
        g_object_unref(a);
    g_object_unref(m);
    return ok;
}

static bool arn_matches(const char *pat, const char *arn)
{
    /* Each of the six ARN fields is matched on its own (the last keeps
     * its colons). */
    const char *p = pat, *a = arn;
    for (int field = 0; field < 6; field++) {
        const char *pe = field < 5 ? strchr(p, ':') : p + strlen(p);
        const char *ae = field < 5 ? strchr(a, ':') : a + strlen(a);
        if (!pe || !ae)
            return false;
        char pb[512], ab[512];
        gsize pl = (gsize)(pe - p), al = (gsize)(ae - a);
        if (pl >= sizeof pb || al >= sizeof ab)
            return false;
        memcpy(pb, p, pl);
        pb[pl] = '\0';
        memcpy(ab, a, al);
        ab[al] = '\0';
        if (!iam_glob(pb, ab, false))
            return false;
        p = pe + (field < 5);
        a = ae + (field < 5);
    }
    return true;
}

/* The positive form of op: does request value rv match policy value pv? */
static bool op_match(cop op, const char *pv, const char *rv)
{
    double x, y;
    switch (op) {
    case OP_STR_EQ:     return strcmp(pv, rv) == 0;
    case OP_STR_EQ_IC:  return g_ascii_strcasecmp(pv, rv) == 0;
    case OP_STR_LIKE:   return iam_glob(pv, rv, false);
    case OP_NUM_EQ:     return parse_num(pv, &x) && parse_num(rv, &y) && y == x;
    case OP_NUM_LT:     return parse_num(pv, &x) && parse_num(rv, &y) && y < x;
    case OP_NUM_LE:     return parse_num(pv, &x) && parse_num(rv, &y) && y <= x;
    case OP_NUM_GT:     return parse_num(pv, &x) && parse_num(rv, &y) && y > x;
    case OP_NUM_GE:     return parse_num(pv, &x) && parse_num(rv, &y) && y >= x;
    case OP_DATE_EQ:    return parse_date(pv, &x) && parse_date(rv, &y) && y == x;
    case OP_DATE_LT:    return parse_date(pv, &x) && parse_date(rv, &y) && y < x;
    case OP_DATE_LE:    return parse_date(pv, &x) && parse_date(rv, &y) && y <= x;
    case OP_DATE_GT:    return parse_date(pv, &x) && parse_date(rv, &y) && y > x;
    case OP_DATE_GE:    return parse_date(pv, &x) && parse_date(rv, &y) && y >= x;
    case OP_BOOL:       return g_ascii_strcasecmp(pv, rv) == 0;
    case OP_BINARY:     return strcmp(pv, rv) == 0;
    case OP_IP:         return ip_matches(pv, rv);
    case OP_ARN_LIKE:   return arn_matches(pv, rv);
    case OP_NULL:       return false;
    }
    return false;
}

/* Does request value rv match any of the policy values? */
static bool any_value(const cond *c, const iam_policy *p, const iam_ctx *ctx, const char *rv,
                      GString **scratch)
{
    for (guint i = 0; i < c->values->len; i++) {
        const char *pv = c->values->pdata[i];
        if (c->has_vars && p->vars && strstr(pv, "${")) {
            if (!expand_vars(pv, ctx, scratch))
                continue;
            pv = (*scratch)->str;
        }
        if (op_match(c->op, pv, rv))
            return true;
    }
    return false;
}

static bool cond_holds(const cond *c, const iam_policy *p, const iam_ctx *ctx, GString **scratch)
{
    iam_vals rv = ctx_get_lower(ctx, c->key);
    bool present = rv.n > 0;
    if (c->op == OP_NULL) {
        bool want_absent = c->values->len && g_ascii_strcasecmp(c->values->pdata[0], "true") == 0;
        return want_absent ? !present : present;
    }
    if (!present) {
        if (c->if_exists || c->all_values)
            return true;
        if (c->any_value)
            return false;
        return c->negated;
    }
    if (c->all_values) {
        /* Every request value matches (negated: matches none of the values). */
        for (guint i = 0; i < rv.n; i++) {
            bool m = any_value(c, p, ctx, rv.v[i], scratch);
            if (c->negated ? m : !m)
                return false;
        }
        return true;
    }
    if (c->any_value) {
        for (guint i = 0; i < rv.n; i++) {
            bool m = any_value(c, p, ctx, rv.v[i], scratch);
            if (c->negated ? !m : m)
                return true;
        }
        return false;
    }
    bool m = false;
    for (guint i = 0; i < rv.n && !m; i++)
        m = any_value(c, p, ctx, rv.v[i], scratch);
    return c->negated ? !m : m;
}

/* ---- evaluation ------------------------------------------------------------------------ */

typedef struct layer_result {
    bool              deny, allow;
    pmatch_kind       allow_kind;     /* resource layers: how the Allow named the caller */
    const iam_policy *deny_p, *allow_p;
    int               deny_s, allow_s;
} layer_result;

typedef struct ev {
    const iam_request *rq;
    char               action[256];
    GString           *trace;
    GString           *scratch;
} ev;

static const char *layer_label(iam_layer l)
{
    switch (l) {
    case IAM_LAYER_SCP:      return "service control policy";
    case IAM_LAYER_RCP:      return "resource control policy";
    case IAM_LAYER_RESOURCE: return "resource-based policy";
    case IAM_LAYER_IDENTITY: return "identity-based policy";
    case IAM_LAYER_BOUNDARY: return "permissions boundary";
    case IAM_LAYER_SESSION:  return "session policy";
    case IAM_LAYER_NONE:     break;
    }
    return "policy";
}

static void eval_policy(ev *e, const iam_policy *p, bool resource_side, layer_result *r,
                        iam_layer layer)
{
    gsize mark = e->trace ? e->trace->len : 0;
    for (guint i = 0; i < p->stmts->len; i++) {
        const stmt *s = &g_array_index(p->stmts, stmt, i);
        pmatch_kind pk = PM_EXACT;
        if (resource_side) {
            if (!s->has_principal)
                continue;
            pk = principal_matches(p, s, e->rq);
            if (s->not_principal)
                pk = pk == PM_NONE ? PM_STAR : PM_NONE;
            /* "The NotPrincipal element with a Deny effect will always deny
             * any IAM principal that has a permissions boundary policy
             * attached, regardless of the values specified in the
             * NotPrincipal element" (the IAM User Guide). */
            if (s->not_principal && !s->allow && e->rq->boundary)
                pk = PM_STAR;
            if (pk == PM_NONE)
                continue;
        }
        if (!action_matches(s, e->action) || !resource_matches(s, p, e->rq, &e->scratch))
            continue;
        bool conds = true;
        for (guint k = 0; k < s->conds->len && conds; k++)
            conds = cond_holds(&g_array_index(s->conds, cond, k), p, e->rq->ctx, &e->scratch);
        if (e->trace)
            g_string_append_printf(e->trace, "  %-22s %-32s statement %u%s%s%s: %s%s\n",
                                   layer_label(layer), iam_policy_name(p), i,
                                   s->sid ? " (" : "", s->sid ? s->sid : "", s->sid ? ")" : "",
                                   s->allow ? "Allow" : "Deny",
                                   conds ? " applies" : " does not apply (condition not met)");
        if (!conds)
            continue;
        if (!s->allow && !r->deny) {
            r->deny = true;
            r->deny_p = p;
            r->deny_s = (int)i;
        } else if (s->allow && (!r->allow || pk > r->allow_kind)) {
            r->allow = true;
            r->allow_kind = pk;
            r->allow_p = p;
            r->allow_s = (int)i;
        }
    }
    if (e->trace && e->trace->len == mark)
        g_string_append_printf(e->trace, "  %-22s %-32s no statement applies\n",
                               layer_label(layer), iam_policy_name(p));
}

static void eval_layer(ev *e, const iam_layer_set *set, bool resource_side, layer_result *r,
                       iam_layer layer)
{
    memset(r, 0, sizeof *r);
    r->deny_s = r->allow_s = -1;
    for (size_t i = 0; i < set->n; i++)
        eval_policy(e, set->policies[i], resource_side, r, layer);
    if (e->trace && set->n == 0 && layer != IAM_LAYER_SESSION)
        g_string_append_printf(e->trace, "  %-22s (none)\n", layer_label(layer));
}

/* Organization levels (SCPs over the principal, RCPs over the resource):
 * the first explicit Deny, and the first level no statement allows. */
typedef struct levels_result {
    const iam_policy *deny_p;
    int               deny_s;
    int               missing;       /* the first level without an Allow, or -1 */
} levels_result;

static levels_result eval_levels(ev *e, const iam_layer_set *levels, size_t n,
                                 bool resource_side, iam_layer layer)
{
    levels_result out = { NULL, -1, -1 };
    layer_result r;
    for (size_t l = 0; l < n; l++) {
        eval_layer(e, &levels[l], resource_side, &r, layer);
        if (r.deny && !out.deny_p) {
            out.deny_p = r.deny_p;
            out.deny_s = r.deny_s;
        }
        if (!r.allow && out.missing < 0)
            out.missing = (int)l;
    }
    return out;
}

static void decide(iam_decision *d, iam_effect eff, iam_layer layer, const iam_policy *p, int s)
{
    d->effect = eff;
    d->layer = layer;
    d->policy = p;
    d->statement = s;
}

void iam_evaluate(const iam_request *rq, iam_decision *d, GString *trace)
{
    ev e = { .rq = rq, .trace = trace };
    gsize n = strlen(rq->action);
    if (n >= sizeof e.action)
        n = sizeof e.action - 1;
    for (gsize i = 0; i < n; i++)
        e.action[i] = g_ascii_tolower(rq->action[i]);
    e.action[n] = '\0';

    bool cross = rq->resource_account && rq->principal_account &&
                 strcmp(rq->resource_account, rq->principal_account) != 0;
    bool service = rq->kind == IAM_PRINCIPAL_SERVICE;
    layer_result id = { 0 }, bd = { 0 }, ss = { 0 }, rs = { 0 };
    id.deny_s = id.allow_s = bd.deny_s = bd.allow_s = ss.deny_s = ss.allow_s = -1;

    if (trace)
        g_string_append_printf(trace, "request: %s wants %s on %s%s%s%s\n", rq->principal_arn,
                               rq->action, rq->resource, cross ? " (owned by " : "",
                               cross ? rq->resource_account : "", cross ? ")" : "");
    eval_layer(&e, &rq->resource_policies, true, &rs, IAM_LAYER_RESOURCE);
    if (!service) {
        eval_layer(&e, &rq->identity, false, &id, IAM_LAYER_IDENTITY);
        if (rq->boundary) {
            iam_layer_set one = { &rq->boundary, 1 };
            eval_layer(&e, &one, false, &bd, IAM_LAYER_BOUNDARY);
        }
        eval_layer(&e, &rq->session, false, &ss, IAM_LAYER_SESSION);
    }
    /* 1. explicit deny anywhere.  SCPs bind principals (not AWS services);
     * RCPs bind the resource's account for every principal, services too. */
    levels_result scp = eval_levels(&e, rq->scp_levels, service ? 0 : rq->n_scp_levels, false,
                                    IAM_LAYER_SCP);
    levels_result rcp = eval_levels(&e, rq->rcp_levels, rq->n_rcp_levels, true, IAM_LAYER_RCP);
    if (scp.deny_p)
        decide(d, IAM_EXPLICIT_DENY, IAM_LAYER_SCP, scp.deny_p, scp.deny_s);
    else if (rcp.deny_p)
        decide(d, IAM_EXPLICIT_DENY, IAM_LAYER_RCP, rcp.deny_p, rcp.deny_s);
    else if (rs.deny)
        decide(d, IAM_EXPLICIT_DENY, IAM_LAYER_RESOURCE, rs.deny_p, rs.deny_s);
    else if (id.deny)
        decide(d, IAM_EXPLICIT_DENY, IAM_LAYER_IDENTITY, id.deny_p, id.deny_s);
    else if (bd.deny)
        decide(d, IAM_EXPLICIT_DENY, IAM_LAYER_BOUNDARY, bd.deny_p, bd.deny_s);
    else if (ss.deny)
        decide(d, IAM_EXPLICIT_DENY, IAM_LAYER_SESSION, ss.deny_p, ss.deny_s);
    else if (scp.missing >= 0)   /* 2. every SCP level must allow */
        decide(d, IAM_IMPLICIT_DENY, IAM_LAYER_SCP, NULL, scp.missing);
    else if (rcp.missing >= 0)   /* and every RCP level */
        decide(d, IAM_IMPLICIT_DENY, IAM_LAYER_RCP, NULL, rcp.missing);
    else if (service) {
        if (rs.allow)
            decide(d, IAM_ALLOW, IAM_LAYER_RESOURCE, rs.allow_p, rs.allow_s);
        else
            decide(d, IAM_IMPLICIT_DENY, IAM_LAYER_RESOURCE, NULL, -1);
    } else {
        bool boundary_ok = !rq->boundary || bd.allow;
        bool session_ok = rq->session.n == 0 || ss.allow;
        /* What the principal's own side says: identity, then boundary, then session. */
        iam_layer principal_gap = !id.allow ? IAM_LAYER_IDENTITY
                                : !boundary_ok ? IAM_LAYER_BOUNDARY
                                : !session_ok ? IAM_LAYER_SESSION : IAM_LAYER_NONE;
        if (rq->mode != IAM_RES_OPTIONAL) {
            /* 3. key and trust policies are the root of access */
            if (!rs.allow)
                decide(d, IAM_IMPLICIT_DENY, IAM_LAYER_RESOURCE, NULL, -1);
            else if (!cross && (rs.allow_kind == PM_EXACT || rs.allow_kind == PM_STAR) &&
                     boundary_ok && session_ok)
                decide(d, IAM_ALLOW, IAM_LAYER_RESOURCE, rs.allow_p, rs.allow_s);
            else if (!cross && rs.allow_kind == PM_ROLE && boundary_ok && session_ok)
                decide(d, IAM_ALLOW, IAM_LAYER_RESOURCE, rs.allow_p, rs.allow_s);
            else if (principal_gap != IAM_LAYER_NONE)
                decide(d, IAM_IMPLICIT_DENY, principal_gap, NULL, -1);
            else
                decide(d, IAM_ALLOW, IAM_LAYER_IDENTITY, id.allow_p, id.allow_s);
        } else if (cross) {
            /* 4. both accounts must allow */
            if (!rs.allow)
                decide(d, IAM_IMPLICIT_DENY, IAM_LAYER_RESOURCE, NULL, -1);
            else if (principal_gap != IAM_LAYER_NONE)
                decide(d, IAM_IMPLICIT_DENY, principal_gap, NULL, -1);
            else
                decide(d, IAM_ALLOW, IAM_LAYER_IDENTITY, id.allow_p, id.allow_s);
        } else {
            /* 5. one account */
            if (rs.allow && (rs.allow_kind == PM_EXACT || rs.allow_kind == PM_STAR))
                decide(d, IAM_ALLOW, IAM_LAYER_RESOURCE, rs.allow_p, rs.allow_s);
            else if (rs.allow && rs.allow_kind == PM_ROLE && boundary_ok && session_ok)
                decide(d, IAM_ALLOW, IAM_LAYER_RESOURCE, rs.allow_p, rs.allow_s);
            else if (rs.allow && rs.allow_kind == PM_ROLE)
                /* Granted to the role: only the boundary or session policy stops it. */
                decide(d, IAM_IMPLICIT_DENY, !boundary_ok ? IAM_LAYER_BOUNDARY : IAM_LAYER_SESSION,
                       NULL, -1);
            else if (principal_gap != IAM_LAYER_NONE)
                decide(d, IAM_IMPLICIT_DENY, principal_gap, NULL, -1);
            else
                decide(d, IAM_ALLOW, IAM_LAYER_IDENTITY, id.allow_p, id.allow_s);
        }
    }
    if (trace) {
        g_string_append_printf(trace, "decision: %s", iam_effect_name(d->effect));
        if (d->effect == IAM_IMPLICIT_DENY)
            g_string_append_printf(trace, " (no %s allows it)", layer_label(d->layer));
        else if (d->policy)
            g_string_append_printf(trace, " by %s %s statement %d", layer_label(d->layer),
                                   iam_policy_name(d->policy), d->statement);
        g_string_append_c(trace, '\n');
    }
    if (e.scratch)
        g_string_free(e.scratch, TRUE);
}

const char *iam_effect_name(iam_effect e)
{
    switch (e) {
    case IAM_ALLOW:         return "Allow";
    case IAM_IMPLICIT_DENY: return "ImplicitDeny";
    case IAM_EXPLICIT_DENY: return "ExplicitDeny";
    }
    return "?";
}

const char *iam_layer_name(iam_layer l)
{
    switch (l) {
    case IAM_LAYER_SCP:      return "scp";
    case IAM_LAYER_RCP:      return "rcp";
    case IAM_LAYER_RESOURCE: return "resource";
    case IAM_LAYER_IDENTITY: return "identity";
    case IAM_LAYER_BOUNDARY: return "boundary";
    case IAM_LAYER_SESSION:  return "session";
    case IAM_LAYER_NONE:     break;
    }
    return "none";
}

/* The policies of a layer, as a reviewer reads them. */
static const char *layer_policies(iam_layer l)
{
    switch (l) {
    case IAM_LAYER_SCP:      return "the service control policies";
    case IAM_LAYER_RCP:      return "the resource control policies";
    case IAM_LAYER_RESOURCE: return "the resource-based policy";
    case IAM_LAYER_IDENTITY: return "the identity-based policies";
    case IAM_LAYER_BOUNDARY: return "the permissions boundary";
    case IAM_LAYER_SESSION:  return "the session policy";
    case IAM_LAYER_NONE:     break;
    }
    return "any policy";
}

char *iam_decision_text(const iam_decision *d)
{
    const char *layer = iam_layer_name(d->layer);
    if (d->effect == IAM_ALLOW)
        return d->policy ? g_strdup_printf("%s: Allow in %s, statement %d", layer,
                                           iam_policy_name(d->policy), d->statement)
                         : g_strdup_printf("%s: allowed without a policy", layer);
    if (d->effect == IAM_EXPLICIT_DENY && d->policy) {
        const char *sid = iam_policy_sid(d->policy, d->statement);
        return g_strdup_printf("%s: explicit Deny in %s, statement %d%s%s%s", layer,
                               iam_policy_name(d->policy), d->statement, sid ? " (Sid " : "",
                               sid ? sid : "", sid ? ")" : "");
    }
    if (d->effect == IAM_EXPLICIT_DENY)
        return g_strdup_printf("%s: explicit Deny in %s", layer, layer_policies(d->layer));
    return g_strdup_printf("%s: no statement of %s allows it", layer, layer_policies(d->layer));
}

char *iam_denied_message(const iam_request *rq, const iam_decision *d)
{
    GString *m = g_string_new(NULL);
    g_string_printf(m, "User: %s is not authorized to perform: %s", rq->principal_arn, rq->action);
    if (rq->resource && strcmp(rq->resource, "*") != 0)
        g_string_append_printf(m, " on resource: %s", rq->resource);
    const char *label = layer_label(d->layer);
    const char *an = d->layer == IAM_LAYER_IDENTITY ? "an" : "a";
    if (d->effect == IAM_EXPLICIT_DENY)
        g_string_append_printf(m, " with an explicit deny in %s %s", an, label);
    else
        g_string_append_printf(m, " because no %s allows the %s action", label, rq->action);
    return g_string_free(m, FALSE);
}

const char *iam_doc_principal_rule(const cJSON *doc, iam_doc_kind kind)
{
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(doc, "Statement"), *one;
    bool named = false, unnamed = false;
    if (cJSON_IsObject(st)) {
        named = cJSON_HasObjectItem(st, "Principal") || cJSON_HasObjectItem(st, "NotPrincipal");
        unnamed = !named;
    } else {
        cJSON_ArrayForEach(one, st) {
            bool has = cJSON_HasObjectItem(one, "Principal") || cJSON_HasObjectItem(one, "NotPrincipal");
            named |= has;
            unnamed |= !has;
        }
    }
    if (kind == IAM_DOC_IDENTITY && named)
        return "Policy document should not specify a principal.";
    if (kind == IAM_DOC_RESOURCE && unnamed)
        return "Missing required field Principal";
    return NULL;
}
