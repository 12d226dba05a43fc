/* model/sso_admin.c: IAM Identity Center instances, their identity stores
 * and application assignments (see sso_admin.h; SPEC D1, D4).
 *
 * Owns the service slot "sso-admin": per account its instance (users and
 * groups in scenario order), and every registered application by ARN with
 * its assignments kept sorted by (PrincipalType, PrincipalId), the order
 * ListApplicationAssignments pages through.  An application belongs to one
 * account and is reached only from it: an account instance of Identity
 * Center serves its own account, so another account's application is not
 * found.
 *
 * The sso-admin operations (JSON protocol, target prefix SWBExternalService)
 * are authorised as "sso:<Operation>" (on the application's ARN, the
 * instance's for ListApplicationAssignmentsForPrincipal, "*" for
 * ListInstances) and logged in the caller's account only, with event source
 * sso.amazonaws.com.  An account's instance is seen from its own region only.
 *
 * Iteration order that reaches output is always sorted, never hash order. */
#include "model/sso_admin.h"
#include "model/world_int.h"
#include "model/api_aux.h"
#include "model/estate.h"
#include "model/service.h"

#include <string.h>

#include "model/api.h"
#include "model/sm_common.h"

#define SSO_SLOT "sso-admin"
#define ID_PATTERN "^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-" \
                   "[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$"

typedef struct ic_group {
    char *name, *id;
} ic_group;

typedef struct ic_user {
    char      *name, *id;
    GPtrArray *groups;          /* ic_group*, borrowed from the instance */
} ic_user;

typedef struct ic_inst {
    char      *account, *region, *id;
    char      *store_id;        /* IdentityStoreId: "d-" and ten hex digits */
    GPtrArray *users, *groups;  /* owned, scenario order */
} ic_inst;

typedef struct ic_assign {
    char *type, *id;            /* "USER" | "GROUP", the identity-store id */
} ic_assign;

typedef struct ic_app {
    char      *arn, *account;
    GPtrArray *assignments;     /* ic_assign*, sorted by (type, id) */
} ic_app;

typedef struct sso_state {
    GHashTable *instances;      /* account -> ic_inst* */
    GHashTable *apps;           /* arn -> ic_app* */
} sso_state;

/* ---- state ----------------------------------------------------------------------------- */

static void group_free(gpointer p)
{
    ic_group *g = p;
    g_free(g->name);
    g_free(g->id);
    g_free(g);
}

static void user_free(gpointer p)
{
    ic_user *u = p;
    g_free(u->name);
    g_free(u->id);
    g_ptr_array_unref(u->groups);
    g_free(u);
}

static void inst_free(gpointer p)
{
    ic_inst *i = p;
    g_free(i->account);
    g_free(i->region);
    g_free(i->id);
    g_free(i->store_id);
    g_ptr_array_unref(i->users);
    g_ptr_array_unref(i->groups);
    g_free(i);
}

static void assign_free(gpointer p)
{
    ic_assign *a = p;
    g_free(a->type);
    g_free(a->id);
    g_free(a);
}

static void app_free(gpointer p)
{
    ic_app *a = p;
    g_free(a->arn);
    g_free(a->account);
    g_ptr_array_unref(a->assignments);
    g_free(a);
}

static void state_free(gpointer p)
{
    sso_state *s = p;
    g_hash_table_unref(s->apps);
    g_hash_table_unref(s->instances);
    g_free(s);
}

static sso_state *state_of(world *w)
{
    sso_state *s = world_service_state(w, SSO_SLOT);
    if (!s) {
        s = g_new0(sso_state, 1);
        s->instances = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, inst_free);
        s->apps = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, app_free);
        world_set_service_state(w, SSO_SLOT, s, state_free);
    }
    return s;
}

/* A draw of n lower-case hex digits from stream r. */
static void hex(rng *r, char *out, size_t n)
{
    rng_chars(r, out, n, "0123456789abcdef");
    out[n] = '\0';
}

static ic_inst *inst_of(world *w, const char *account, bool create)
{
    sso_state *s = state_of(w);
    ic_inst *i = g_hash_table_lookup(s->instances, account);
    if (!i && create) {
        i = g_new0(ic_inst, 1);
        i->account = g_strdup(account);
        g_autofree char *stream = g_strdup_printf("sso/%s/instance", account);
        char tail[17], store[11];
        rng *r = world_rng(w, stream);
        hex(r, tail, 16);
        hex(r, store, 10);
        i->id = g_strconcat("ssoins-", tail, NULL);
        i->store_id = g_strconcat("d-", store, NULL);
        const world_account *acct = world_account_get(w, account);
        if (acct && acct->identity_center_regions->len)
            i->region = g_strdup(acct->identity_center_regions->pdata[0]);
        i->users = g_ptr_array_new_with_free_func(user_free);
        i->groups = g_ptr_array_new_with_free_func(group_free);
        g_hash_table_insert(s->instances, i->account, i);
    }
    return i;
}

/* An identity-store id as Identity Center writes them: ten hex digits, a
 * dash, a UUID; drawn from the stream of the account and the name. */
static char *draw_id(world *w, const char *account, const char *kind, const char *name)
{
    g_autofree char *stream = g_strdup_printf("identitystore/%s/%s/%s", account, kind, name);
    rng *r = world_rng(w, stream);
    char head[11], uuid[37];
    hex(r, head, 10);
    rng_uuid(r, uuid);
    return g_strdup_printf("%s-%s", head, uuid);
}

static ic_group *group_by(const ic_inst *i, const char *name, const char *id)
{
    for (guint k = 0; i && k < i->groups->len; k++) {
        ic_group *g = i->groups->pdata[k];
        if ((name && strcmp(g->name, name) == 0) || (id && strcmp(g->id, id) == 0))
            return g;
    }
    return NULL;
}

static ic_user *user_by(const ic_inst *i, const char *name, const char *id)
{
    for (guint k = 0; i && k < i->users->len; k++) {
        ic_user *u = i->users->pdata[k];
        if ((name && strcmp(u->name, name) == 0) || (id && strcmp(u->id, id) == 0))
            return u;
    }
    return NULL;
}

/* ---- loading -------------------------------------------------------------------------------- */

typedef struct loader {
    infra_report_fn report;
    void           *ud;
    bool            ok;
} loader;

static void bad(loader *l, const cJSON *node, bool at_key, const char *path, const char *fmt,
                ...) G_GNUC_PRINTF(5, 6);
static void bad(loader *l, const cJSON *node, bool at_key, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    l->ok = false;
    l->report(l->ud, node, at_key, path, msg);
}

static void check_keys(loader *l, const cJSON *o, const char *path, const char *const *keys)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, o) {
        bool known = false;
        for (const char *const *k = keys; *k; k++)
            known |= strcmp(*k, e->string) == 0;
        if (!known) {
            g_autofree char *p = g_strdup_printf("%s.%s", path, e->string);
            g_autofree char *list = g_strjoinv(", ", (char **)keys);
            bad(l, e, true, p, "unknown key \"%s\" (known keys: %s)", e->string, list);
        }
    }
}

/* The id member idkey of body (checked against the PrincipalId pattern), or
 * a drawn one; NULL after a reported problem. */
static char *principal_id(loader *l, world *w, const char *account, const char *kind,
                          const cJSON *entry, const char *idkey, const char *path)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(entry, idkey);
    if (!v)
        return draw_id(w, account, kind, entry->string);
    g_autofree char *p = g_strdup_printf("%s.%s", path, idkey);
    if (!cJSON_IsString(v) || !g_regex_match_simple(ID_PATTERN, v->valuestring, 0, 0)) {
        bad(l, v, false, p, "an identity-store id is a UUID, optionally after ten hex digits "
            "and a dash (e.g. 9067a1b2c3-0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0)");
        return NULL;
    }
    return g_strdup(v->valuestring);
}

bool sso_admin_load_account(world *w, const char *account, const char *region, const cJSON *ic,
                            const char *path, infra_report_fn report, void *ud)
{
    loader l = { report, ud, true };
    if (!ic)
        return true;
    if (!cJSON_IsObject(ic)) {
        bad(&l, ic, false, path, "identity_center is an object: {\"users\": {...}, \"groups\": {...}}");
        return false;
    }
    if (!region) {
        bad(&l, ic, true, path, "identity_center needs the instance's region in "
            "identity_center_regions");
        return false;
    }
    static const char *const top_keys[] = { "users", "groups", NULL };
    static const char *const user_keys[] = { "groups", "user_id", NULL };
    static const char *const group_keys[] = { "group_id", NULL };
    check_keys(&l, ic, path, top_keys);
    ic_inst *inst = inst_of(w, account, true);
    g_free(inst->region);
    inst->region = g_strdup(region);
    const cJSON *groups = cJSON_GetObjectItemCaseSensitive(ic, "groups"), *g;
    g_autofree char *gpath = g_strdup_printf("%s.groups", path);
    if (groups && !cJSON_IsObject(groups))
        bad(&l, groups, false, gpath, "groups is an object of group name -> {\"group_id\"}");
    const cJSON *gl = cJSON_IsObject(groups) ? groups : NULL;
    cJSON_ArrayForEach(g, gl) {
        g_autofree char *p = g_strdup_printf("%s.%s", gpath, g->string);
        if (!cJSON_IsObject(g)) {
            bad(&l, g, false, p, "a group is an object ({} or {\"group_id\": ...})");
            continue;
        }
        check_keys(&l, g, p, group_keys);
        char *id = principal_id(&l, w, account, "group", g, "group_id", p);
        if (!id)
            continue;
        if (group_by(inst, g->string, id)) {
            bad(&l, g, true, p, "group \"%s\" or id %s is already defined", g->string, id);
            g_free(id);
            continue;
        }
        ic_group *ng = g_new0(ic_group, 1);
        ng->name = g_strdup(g->string);
        ng->id = id;
        g_ptr_array_add(inst->groups, ng);
    }
    const cJSON *users = cJSON_GetObjectItemCaseSensitive(ic, "users"), *u;
    g_autofree char *upath = g_strdup_printf("%s.users", path);
    if (users && !cJSON_IsObject(users))
        bad(&l, users, false, upath, "users is an object of user name -> {\"groups\": [...]}");
    const cJSON *ul = cJSON_IsObject(users) ? users : NULL;
    cJSON_ArrayForEach(u, ul) {
        g_autofree char *p = g_strdup_printf("%s.%s", upath, u->string);
        if (!cJSON_IsObject(u)) {
            bad(&l, u, false, p, "a user is an object ({\"groups\": [...], \"user_id\": ...})");
            continue;
        }
        check_keys(&l, u, p, user_keys);
        char *id = principal_id(&l, w, account, "user", u, "user_id", p);
        if (!id)
            continue;
        if (user_by(inst, u->string, id) || group_by(inst, NULL, id)) {
            bad(&l, u, true, p, "user \"%s\" or id %s is already defined", u->string, id);
            g_free(id);
            continue;
        }
        ic_user *nu = g_new0(ic_user, 1);
        nu->name = g_strdup(u->string);
        nu->id = id;
        nu->groups = g_ptr_array_new();
        g_ptr_array_add(inst->users, nu);
        const cJSON *ml = cJSON_GetObjectItemCaseSensitive(u, "groups"), *m;
        g_autofree char *mp = g_strdup_printf("%s.groups", p);
        if (ml && !cJSON_IsArray(ml))
            bad(&l, ml, false, mp, "groups is a list of group names");
        int k = 0;
        const cJSON *mlist = cJSON_IsArray(ml) ? ml : NULL;
        cJSON_ArrayForEach(m, mlist) {
            g_autofree char *ep = g_strdup_printf("%s[%d]", mp, k++);
            ic_group *mg = cJSON_IsString(m) ? group_by(inst, m->valuestring, NULL) : NULL;
            if (!mg)
                bad(&l, m, false, ep, "%s is not a group of this account's identity_center",
                    cJSON_IsString(m) ? m->valuestring : "this");
            else
                g_ptr_array_add(nu->groups, mg);
        }
    }
    return l.ok;
}

/* ---- what services read ------------------------------------------------------------------- */

const char *sso_admin_instance_id(world *w, const char *account)
{
    return inst_of(w, account, true)->id;
}

const char *sso_admin_user_id(world *w, const char *account, const char *user_name)
{
    const ic_user *u = user_by(inst_of(w, account, false), user_name, NULL);
    return u ? u->id : NULL;
}

void sso_admin_app_add(world *w, const char *account, const char *app_arn)
{
    sso_state *s = state_of(w);
    if (g_hash_table_lookup(s->apps, app_arn))
        return;
    ic_app *a = g_new0(ic_app, 1);
    a->arn = g_strdup(app_arn);
    a->account = g_strdup(account);
    a->assignments = g_ptr_array_new_with_free_func(assign_free);
    g_hash_table_insert(s->apps, a->arn, a);
}

void sso_admin_app_remove(world *w, const char *app_arn)
{
    g_hash_table_remove(state_of(w)->apps, app_arn);
}

static const ic_assign *assignment_of(const ic_app *a, const char *type, const char *id)
{
    for (guint k = 0; k < a->assignments->len; k++) {
        const ic_assign *x = a->assignments->pdata[k];
        if (strcmp(x->type, type) == 0 && strcmp(x->id, id) == 0)
            return x;
    }
    return NULL;
}

bool sso_admin_has_access(world *w, const char *app_arn, const char *user_id,
                          const char **via_group)
{
    if (via_group)
        *via_group = NULL;
    const ic_app *a = g_hash_table_lookup(state_of(w)->apps, app_arn);
    if (!a || !user_id)
        return false;
    if (assignment_of(a, "USER", user_id))
        return true;
    const ic_user *u = user_by(inst_of(w, a->account, false), NULL, user_id);
    for (guint k = 0; u && k < u->groups->len; k++) {
        const ic_group *g = u->groups->pdata[k];
        if (assignment_of(a, "GROUP", g->id)) {
            if (via_group)
                *via_group = g->name;
            return true;
        }
    }
    return false;
}

/* ---- operations --------------------------------------------------------------------------- */

static const cJSON *obj_of(const cJSON *o, const char *member)
{
    return cJSON_GetObjectItemCaseSensitive(o, member);
}

/* The caller's application ApplicationArn, authorised for action first.
 * NULL with c->err set. */
static ic_app *app_for(api_call *c, const char *action)
{
    const char *arn = api_str(c->input, "ApplicationArn");
    g_autofree char *owner = api_arn_account(arn);
    api_resource(c, arn, owner ? owner : c->caller->account, "AWS::SSO::Application");
    if (!api_authorize(c, action, arn, owner, NULL, API_RES_OPTIONAL, NULL))
        return NULL;
    ic_app *a = g_hash_table_lookup(state_of(c->w)->apps, arn);
    if (!a || strcmp(a->account, c->caller->account) != 0) {
        api_error_set(&c->err, "ResourceNotFoundException", "Application %s does not exist in "
                      "the IAM Identity Center instance of account %s.", arn, c->caller->account);
        return NULL;
    }
    return a;
}

/* The request's principal must exist in the application's identity store. */
static bool principal_exists(api_call *c, const ic_app *a)
{
    const char *type = api_str(c->input, "PrincipalType");
    const char *id = api_str(c->input, "PrincipalId");
    const ic_inst *i = inst_of(c->w, a->account, false);
    bool found = strcmp(type, "USER") == 0 ? user_by(i, NULL, id) != NULL
                                           : group_by(i, NULL, id) != NULL;
    if (!found)
        api_error_set(&c->err, "ResourceNotFoundException", "%s %s does not exist in the "
                      "identity store.", strcmp(type, "USER") == 0 ? "User" : "Group", id);
    return found;
}

static gint cmp_assign(gconstpointer x, gconstpointer y)
{
    const ic_assign *a = *(ic_assign *const *)x, *b = *(ic_assign *const *)y;
    int r = strcmp(a->type, b->type);
    return r ? r : strcmp(a->id, b->id);
}

static bool create_application_assignment(api_call *c)
{
    ic_app *a = app_for(c, "sso:CreateApplicationAssignment");
    if (!a || !principal_exists(c, a))
        return false;
    const char *type = api_str(c->input, "PrincipalType");
    const char *id = api_str(c->input, "PrincipalId");
    if (assignment_of(a, type, id)) {
        api_error_set(&c->err, "ConflictException", "%s %s is already assigned to application "
                      "%s.", type, id, a->arn);
        return false;
    }
    ic_assign *x = g_new0(ic_assign, 1);
    x->type = g_strdup(type);
    x->id = g_strdup(id);
    g_ptr_array_add(a->assignments, x);
    g_ptr_array_sort(a->assignments, cmp_assign);
    c->output = cJSON_CreateObject();
    return true;
}

/* The assignment the request names; NULL (ResourceNotFoundException) when absent. */
static const ic_assign *assignment_for(api_call *c, const ic_app *a)
{
    const ic_assign *x = assignment_of(a, api_str(c->input, "PrincipalType"),
                                       api_str(c->input, "PrincipalId"));
    if (!x)
        api_error_set(&c->err, "ResourceNotFoundException", "%s %s is not assigned to "
                      "application %s.", api_str(c->input, "PrincipalType"),
                      api_str(c->input, "PrincipalId"), a->arn);
    return x;
}

static bool delete_application_assignment(api_call *c)
{
    ic_app *a = app_for(c, "sso:DeleteApplicationAssignment");
    if (!a)
        return false;
    const ic_assign *x = assignment_for(c, a);
    if (!x)
        return false;
    g_ptr_array_remove(a->assignments, (gpointer)x);
    c->output = cJSON_CreateObject();
    return true;
}

static cJSON *assign_json(const ic_app *a, const ic_assign *x)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ApplicationArn", a->arn);
    cJSON_AddStringToObject(o, "PrincipalId", x->id);
    cJSON_AddStringToObject(o, "PrincipalType", x->type);
    return o;
}

static bool describe_application_assignment(api_call *c)
{
    ic_app *a = app_for(c, "sso:DescribeApplicationAssignment");
    if (!a)
        return false;
    const ic_assign *x = assignment_for(c, a);
    if (!x)
        return false;
    c->output = assign_json(a, x);
    return true;
}

static bool list_application_assignments(api_call *c)
{
    ic_app *a = app_for(c, "sso:ListApplicationAssignments");
    if (!a)
        return false;
    guint first, count;
    if (!sm_page(c, a->assignments->len, &first, &count))
        return false;
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "ApplicationAssignments");
    for (guint k = first; k < first + count; k++)
        cJSON_AddItemToArray(list, assign_json(a, a->assignments->pdata[k]));
    sm_page_token(c, first, count, a->assignments->len);
    return true;
}

static char *instance_arn(const ic_inst *i)
{
    return g_strdup_printf("arn:aws:sso:::instance/%s", i->id);
}

/* The caller's instance when the call's region is the instance's. */
static ic_inst *own_instance(api_call *c)
{
    ic_inst *i = inst_of(c->w, c->caller->account, false);
    return i && g_strcmp0(i->region, world_region(c->w)) == 0 ? i : NULL;
}

static bool list_instances(api_call *c)
{
    if (!api_authorize_simple(c, "sso:ListInstances", "*"))
        return false;
    const ic_inst *i = own_instance(c);
    guint n = i ? 1 : 0, first, count;
    if (!sm_page(c, n, &first, &count))
        return false;
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "Instances");
    if (i && count) {
        cJSON *o = cJSON_CreateObject();
        g_autofree char *arn = instance_arn(i);
        cJSON_AddStringToObject(o, "InstanceArn", arn);
        cJSON_AddStringToObject(o, "IdentityStoreId", i->store_id);
        cJSON_AddStringToObject(o, "OwnerAccountId", i->account);
        char t[21];
        world_iso_time(c->w, 0, t);
        cJSON_AddStringToObject(o, "CreatedDate", t);
        cJSON_AddStringToObject(o, "Status", "ACTIVE");
        cJSON_AddItemToArray(list, o);
    }
    sm_page_token(c, first, count, n);
    return true;
}

static gint cmp_app(gconstpointer x, gconstpointer y)
{
    const ic_app *a = *(ic_app *const *)x, *b = *(ic_app *const *)y;
    return strcmp(a->arn, b->arn);
}

/* The applications the principal reaches: for a user, those it is assigned
 * to directly or through one of its groups (what AWS says to use "to test
 * access to an application for a user"); for a group, its own assignments.
 * Each row names the principal asked about. */
static bool list_application_assignments_for_principal(api_call *c)
{
    const char *arn = api_str(c->input, "InstanceArn");
    api_resource(c, arn, c->caller->account, "AWS::SSO::Instance");
    if (!api_authorize(c, "sso:ListApplicationAssignmentsForPrincipal", arn, NULL, NULL,
                       API_RES_OPTIONAL, NULL))
        return false;
    ic_inst *i = own_instance(c);
    g_autofree char *mine = i ? instance_arn(i) : NULL;
    if (!i || strcmp(mine, arn) != 0) {
        api_error_set(&c->err, "ResourceNotFoundException", "Instance %s does not exist in "
                      "account %s in %s.", arn, c->caller->account, world_region(c->w));
        return false;
    }
    const char *type = api_str(c->input, "PrincipalType");
    const char *id = api_str(c->input, "PrincipalId");
    bool user = strcmp(type, "USER") == 0;
    if (user ? !user_by(i, NULL, id) : !group_by(i, NULL, id)) {
        api_error_set(&c->err, "ResourceNotFoundException", "%s %s does not exist in the "
                      "identity store.", user ? "User" : "Group", id);
        return false;
    }
    const char *only = api_str(obj_of(c->input, "Filter"), "ApplicationArn");
    g_autoptr(GPtrArray) rows = g_ptr_array_new();
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, state_of(c->w)->apps);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        const ic_app *a = v;
        if (strcmp(a->account, i->account) != 0 || (only && strcmp(only, a->arn) != 0))
            continue;
        if (user ? sso_admin_has_access(c->w, a->arn, id, NULL) : assignment_of(a, type, id) != NULL)
            g_ptr_array_add(rows, v);
    }
    g_ptr_array_sort(rows, cmp_app);
    guint first, count;
    if (!sm_page(c, rows->len, &first, &count))
        return false;
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "ApplicationAssignments");
    for (guint k = first; k < first + count; k++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "ApplicationArn", ((const ic_app *)rows->pdata[k])->arn);
        cJSON_AddStringToObject(o, "PrincipalId", id);
        cJSON_AddStringToObject(o, "PrincipalType", type);
        cJSON_AddItemToArray(list, o);
    }
    sm_page_token(c, first, count, rows->len);
    return true;
}

/* Assignments are data of the caller's own instance: logged in its account only. */

static const api_op ops[] = {
    { "sso:CreateApplicationAssignment", create_application_assignment, false, API_TO_CALLER },
    { "sso:DeleteApplicationAssignment", delete_application_assignment, false, API_TO_CALLER },
    { "sso:DescribeApplicationAssignment", describe_application_assignment, true, API_TO_CALLER },
    { "sso:ListApplicationAssignments", list_application_assignments, true, API_TO_CALLER },
    { "sso:ListApplicationAssignmentsForPrincipal", list_application_assignments_for_principal,
      true, API_TO_CALLER },
    { "sso:ListInstances", list_instances, true, API_TO_CALLER },
    { NULL, NULL, false, API_TO_CALLER },
};

static const char *const account_keys[] = { "identity_center_regions", "identity_center", NULL };

static void load_account(world *w, world_account *a, const cJSON *ac, const char *path, jload *l)
{
    const cJSON *ic = jload_list(l, ac, "identity_center_regions", path), *re;
    cJSON_ArrayForEach(re, ic)
        if (cJSON_IsString(re))
            g_ptr_array_add(a->identity_center_regions, g_strdup(re->valuestring));
    g_autofree char *icp = jload_sub(path, "identity_center");
    sso_admin_load_account(w, a->id, a->identity_center_regions->len
                                     ? a->identity_center_regions->pdata[0] : NULL,
                           jload_member(ac, "identity_center"), icp, estate_forward, l);
}

/* IAM Identity Center's records have eventSource sso.amazonaws.com. */
const api_service api_service_sso_admin = {
    .name = "sso-admin", .prefix = "sso", .event_source = "sso.amazonaws.com",
    .endpoint = "sso.%s.amazonaws.com", .ops = ops,
    .account_keys = account_keys, .load_account = load_account,
};
