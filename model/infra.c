/* model/infra.c: account networks and received licenses (see infra.h).
 *
 * Owns the service slot "infra": per account, its VPCs in scenario order
 * and the license products it received.  Filled once by the scenario loader,
 * read by services afterwards; nothing here changes during a run. */
#include "model/infra.h"
#include "model/world_int.h"

#include "model/estate.h"
#include "model/service.h"

#include <string.h>

#define INFRA_SLOT "infra"

typedef struct infra_account {
    GPtrArray *vpcs;       /* infra_vpc*, owned */
    GPtrArray *licenses;   /* char*, owned */
} infra_account;

typedef struct infra_state {
    GHashTable *accounts;  /* account id -> infra_account* */
} infra_state;

static void subnet_free(gpointer p)
{
    infra_subnet *s = p;
    g_free(s->id);
    g_free(s->az);
    g_free(s->cidr);
    g_free(s);
}

static void endpoint_free(gpointer p)
{
    infra_endpoint *e = p;
    g_free(e->service);
    g_free(e->id);
    g_free(e);
}

static void sg_free(gpointer p)
{
    infra_sg *s = p;
    g_free(s->id);
    g_free(s->name);
    g_free(s->description);
    g_free(s);
}

static void vpc_free(gpointer p)
{
    infra_vpc *v = p;
    g_free(v->id); g_free(v->account); g_free(v->cidr); g_free(v->nat_ip);
    g_ptr_array_unref(v->subnets);
    g_ptr_array_unref(v->endpoints);
    g_ptr_array_unref(v->sgs);
    g_free(v);
}

static void account_free(gpointer p)
{
    infra_account *a = p;
    g_ptr_array_unref(a->vpcs);
    g_ptr_array_unref(a->licenses);
    g_free(a);
}

static void state_free(gpointer p)
{
    infra_state *s = p;
    g_hash_table_unref(s->accounts);
    g_free(s);
}

static infra_state *state_of(world *w)
{
    infra_state *s = world_service_state(w, INFRA_SLOT);
    if (!s) {
        s = g_new0(infra_state, 1);
        s->accounts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, account_free);
        world_set_service_state(w, INFRA_SLOT, s, state_free);
    }
    return s;
}

static infra_account *account_of(world *w, const char *account, bool create)
{
    infra_state *s = state_of(w);
    infra_account *a = g_hash_table_lookup(s->accounts, account);
    if (!a && create) {
        a = g_new0(infra_account, 1);
        a->vpcs = g_ptr_array_new_with_free_func(vpc_free);
        a->licenses = g_ptr_array_new_with_free_func(g_free);
        g_hash_table_insert(s->accounts, g_strdup(account), a);
    }
    return a;
}

/* v when it is an object (or a list), else NULL: loops skip the wrong type. */
static const cJSON *if_obj(const cJSON *v)
{
    return cJSON_IsObject(v) ? v : NULL;
}

static const cJSON *if_arr(const cJSON *v)
{
    return cJSON_IsArray(v) ? v : NULL;
}

/* ---- loading ------------------------------------------------------------------------ */

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

static bool known_key(const char *k, const char *const *keys)
{
    for (; *keys; keys++)
        if (strcmp(*keys, k) == 0)
            return true;
    return false;
}

static void check_keys(loader *l, const cJSON *obj, const char *path, const char *const *keys)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, obj)
        if (!known_key(e->string, keys)) {
            g_autofree char *p = g_strdup_printf("%s.%s", path, e->string);
            g_autofree char *list = g_strjoinv(", ", (char **)keys);
            bad(l, e, true, p, "unknown key \"%s\" (known keys: %s)", e->string, list);
        }
}

/* An EC2 id: prefix, '-', 8 or 17 lowercase hex digits. */
bool infra_ec2_id(const char *s, const char *prefix)
{
    gsize n = strlen(prefix);
    if (strncmp(s, prefix, n) != 0 || s[n] != '-')
        return false;
    const char *h = s + n + 1;
    gsize len = strlen(h);
    if (len != 8 && len != 17)
        return false;
    for (; *h; h++)
        if (!g_ascii_isxdigit(*h) || g_ascii_isupper(*h))
            return false;
    return true;
}

static const char *const vpc_keys[] = { "default", "cidr", "subnets", "interface_endpoints",
                                        "nat_gateway", "security_groups", NULL };
static const char *const subnet_keys[] = { "az", "cidr", NULL };
static const char *const sg_keys[] = { "outbound", "name", "description", NULL };

static void load_vpc(loader *l, world *w, infra_account *a, const char *account,
                     const cJSON *v, const char *path)
{
    if (!infra_ec2_id(v->string, "vpc"))
        bad(l, v, true, path, "\"%s\" is not a VPC id (vpc- and 8 or 17 hex digits)", v->string);
    if (!cJSON_IsObject(v)) {
        bad(l, v, false, path, "a VPC is an object (default, cidr, subnets, interface_endpoints, "
            "nat_gateway, security_groups)");
        return;
    }
    check_keys(l, v, path, vpc_keys);
    infra_vpc *vpc = g_new0(infra_vpc, 1);
    vpc->id = g_strdup(v->string);
    vpc->account = g_strdup(account);
    vpc->subnets = g_ptr_array_new_with_free_func(subnet_free);
    vpc->endpoints = g_ptr_array_new_with_free_func(endpoint_free);
    vpc->sgs = g_ptr_array_new_with_free_func(sg_free);
    g_ptr_array_add(a->vpcs, vpc);

    const cJSON *d = cJSON_GetObjectItemCaseSensitive(v, "default");
    if (d && !cJSON_IsBool(d))
        bad(l, d, false, path, "default must be true or false");
    vpc->is_default = cJSON_IsTrue(d);
    const cJSON *cidr = cJSON_GetObjectItemCaseSensitive(v, "cidr");
    if (cidr && !cJSON_IsString(cidr))
        bad(l, cidr, false, path, "cidr must be a string such as \"172.31.0.0/16\"");
    vpc->cidr = g_strdup(cJSON_IsString(cidr) ? cidr->valuestring : "172.31.0.0/16");
    const cJSON *nat = cJSON_GetObjectItemCaseSensitive(v, "nat_gateway");
    if (cJSON_IsString(nat))
        vpc->nat_ip = g_strdup(nat->valuestring);
    else if (nat && !cJSON_IsFalse(nat))
        bad(l, nat, false, path, "nat_gateway is the NAT gateway's public IP address, or false");

    const cJSON *subs = cJSON_GetObjectItemCaseSensitive(v, "subnets"), *s;
    if (subs && !cJSON_IsObject(subs))
        bad(l, subs, false, path, "subnets is an object of subnet id -> {\"az\": ...}");
    cJSON_ArrayForEach(s, if_obj(subs)) {
        g_autofree char *p = g_strdup_printf("%s.subnets.%s", path, s->string);
        if (!infra_ec2_id(s->string, "subnet"))
            bad(l, s, true, p, "\"%s\" is not a subnet id", s->string);
        if (!cJSON_IsObject(s)) {
            bad(l, s, false, p, "a subnet is an object ({\"az\": \"us-east-1a\"})");
            continue;
        }
        check_keys(l, s, p, subnet_keys);
        const cJSON *az = cJSON_GetObjectItemCaseSensitive(s, "az");
        if (az && !cJSON_IsString(az))
            bad(l, az, false, p, "az must be a string");
        const cJSON *sc = cJSON_GetObjectItemCaseSensitive(s, "cidr");
        if (sc && !cJSON_IsString(sc))
            bad(l, sc, false, p, "cidr must be a string such as \"172.31.0.0/20\"");
        infra_subnet *sn = g_new0(infra_subnet, 1);
        sn->id = g_strdup(s->string);
        sn->az = g_strdup(cJSON_IsString(az) ? az->valuestring : NULL);
        sn->cidr = g_strdup(cJSON_IsString(sc) ? sc->valuestring : NULL);
        g_ptr_array_add(vpc->subnets, sn);
    }
    const cJSON *eps = cJSON_GetObjectItemCaseSensitive(v, "interface_endpoints"), *e;
    if (eps && !cJSON_IsObject(eps))
        bad(l, eps, false, path, "interface_endpoints is an object of service -> vpce id "
            "({\"sagemaker.api\": \"vpce-0123456789abcdef0\"})");
    cJSON_ArrayForEach(e, if_obj(eps)) {
        g_autofree char *p = g_strdup_printf("%s.interface_endpoints.%s", path, e->string);
        if (!cJSON_IsString(e) || !infra_ec2_id(e->valuestring, "vpce")) {
            bad(l, e, false, p, "an interface endpoint is named by its vpce id");
            continue;
        }
        infra_endpoint *ep = g_new0(infra_endpoint, 1);
        ep->service = g_strdup(e->string);
        ep->id = g_strdup(e->valuestring);
        g_ptr_array_add(vpc->endpoints, ep);
    }
    const cJSON *sgs = cJSON_GetObjectItemCaseSensitive(v, "security_groups"), *g;
    if (sgs && !cJSON_IsObject(sgs))
        bad(l, sgs, false, path, "security_groups is an object of sg id -> {\"outbound\": bool}");
    cJSON_ArrayForEach(g, if_obj(sgs)) {
        g_autofree char *p = g_strdup_printf("%s.security_groups.%s", path, g->string);
        if (!infra_ec2_id(g->string, "sg"))
            bad(l, g, true, p, "\"%s\" is not a security group id", g->string);
        if (!cJSON_IsObject(g)) {
            bad(l, g, false, p, "a security group is an object ({\"outbound\": true})");
            continue;
        }
        check_keys(l, g, p, sg_keys);
        const cJSON *ob = cJSON_GetObjectItemCaseSensitive(g, "outbound");
        if (ob && !cJSON_IsBool(ob))
            bad(l, ob, false, p, "outbound must be true or false");
        const cJSON *nm = cJSON_GetObjectItemCaseSensitive(g, "name");
        const cJSON *ds = cJSON_GetObjectItemCaseSensitive(g, "description");
        if ((nm && !cJSON_IsString(nm)) || (ds && !cJSON_IsString(ds)))
            bad(l, nm && !cJSON_IsString(nm) ? nm : ds, false, p, "name and description are strings");
        infra_sg *sg = g_new0(infra_sg, 1);
        sg->id = g_strdup(g->string);
        /* EC2 names every group; a scenario may leave it to us. */
        sg->name = g_strdup(cJSON_IsString(nm) ? nm->valuestring : g->string);
        sg->description = g_strdup(cJSON_IsString(ds) ? ds->valuestring : sg->name);
        sg->outbound = ob ? cJSON_IsTrue(ob) : true;   /* EC2's default: all outbound */
        g_ptr_array_add(vpc->sgs, sg);
    }
    (void)w;
}

bool infra_load_account(world *w, const char *account, const cJSON *vpcs,
                        const cJSON *licenses, const char *path, infra_report_fn report,
                        void *ud)
{
    loader l = { report, ud, true };
    infra_account *a = account_of(w, account, true);
    g_autofree char *vpath = g_strdup_printf("%s.vpcs", path);
    if (vpcs && !cJSON_IsObject(vpcs))
        bad(&l, vpcs, false, vpath, "vpcs is an object of VPC id -> VPC");
    const cJSON *v;
    int defaults = 0;
    cJSON_ArrayForEach(v, if_obj(vpcs)) {
        g_autofree char *p = g_strdup_printf("%s.%s", vpath, v->string);
        load_vpc(&l, w, a, account, v, p);
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "default")) && ++defaults == 2)
            bad(&l, v, true, p, "an account has at most one default VPC per region");
    }
    g_autofree char *lpath = g_strdup_printf("%s.licenses", path);
    if (licenses && !cJSON_IsArray(licenses))
        bad(&l, licenses, false, lpath, "licenses is a list of product names "
            "([\"RStudio Workbench\"])");
    const cJSON *lic;
    int i = 0;
    cJSON_ArrayForEach(lic, if_arr(licenses)) {
        g_autofree char *p = g_strdup_printf("%s[%d]", lpath, i++);
        if (!cJSON_IsString(lic)) {
            bad(&l, lic, false, p, "a license is named by its product name");
            continue;
        }
        g_ptr_array_add(a->licenses, g_strdup(lic->valuestring));
    }
    return l.ok;
}

/* ---- queries ------------------------------------------------------------------------ */

const infra_vpc *infra_vpc_get(world *w, const char *account, const char *vpc_id)
{
    infra_account *a = account && vpc_id ? account_of(w, account, false) : NULL;
    for (guint i = 0; a && i < a->vpcs->len; i++) {
        const infra_vpc *v = a->vpcs->pdata[i];
        if (strcmp(v->id, vpc_id) == 0)
            return v;
    }
    return NULL;
}

const GPtrArray *infra_vpcs(world *w, const char *account)
{
    infra_account *a = account ? account_of(w, account, false) : NULL;
    return a ? a->vpcs : NULL;
}

const infra_vpc *infra_default_vpc(world *w, const char *account)
{
    infra_account *a = account ? account_of(w, account, false) : NULL;
    for (guint i = 0; a && i < a->vpcs->len; i++) {
        const infra_vpc *v = a->vpcs->pdata[i];
        if (v->is_default)
            return v;
    }
    return NULL;
}

const infra_subnet *infra_subnet_get(const infra_vpc *vpc, const char *subnet_id)
{
    for (guint i = 0; vpc && subnet_id && i < vpc->subnets->len; i++) {
        const infra_subnet *s = vpc->subnets->pdata[i];
        if (strcmp(s->id, subnet_id) == 0)
            return s;
    }
    return NULL;
}

const infra_endpoint *infra_endpoint_get(const infra_vpc *vpc, const char *service)
{
    for (guint i = 0; vpc && service && i < vpc->endpoints->len; i++) {
        const infra_endpoint *e = vpc->endpoints->pdata[i];
        if (strcmp(e->service, service) == 0)
            return e;
    }
    return NULL;
}

const infra_sg *infra_sg_get(const infra_vpc *vpc, const char *sg_id)
{
    for (guint i = 0; vpc && sg_id && i < vpc->sgs->len; i++) {
        const infra_sg *s = vpc->sgs->pdata[i];
        if (strcmp(s->id, sg_id) == 0)
            return s;
    }
    return NULL;
}

bool infra_has_license(world *w, const char *account, const char *product)
{
    infra_account *a = account ? account_of(w, account, false) : NULL;
    for (guint i = 0; a && i < a->licenses->len; i++)
        if (strcmp(a->licenses->pdata[i], product) == 0)
            return true;
    return false;
}

/* ---- the service entry: the scenario's account networks and licenses ------------------- */

static const char *const account_keys[] = { "vpcs", "licenses", NULL };

static void load_account(world *w, world_account *a, const cJSON *ac, const char *path, jload *l)
{
    infra_load_account(w, a->id, jload_member(ac, "vpcs"), jload_member(ac, "licenses"), path,
                       estate_forward, l);
}

static const api_op ops[] = {
    { NULL, NULL, false, API_TO_CALLER },
};

/* No operations of its own: services read it (model/infra.h). */
const api_service api_service_infra = {
    .name = "infra", .ops = ops, .account_keys = account_keys, .load_account = load_account,
};
