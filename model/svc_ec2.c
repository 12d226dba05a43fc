/* model/svc_ec2.c: the EC2 calls a SageMaker set-up makes before it creates
 * a domain (seed 003's CLI path): DescribeVpcs, DescribeSubnets,
 * DescribeSecurityGroups and DescribeVpcEndpoints, answered from the
 * caller's networks as the scenario declares them (model/infra, the
 * account's "vpcs").
 *
 * Each call is one listing over one kind of network object, so one
 * table row per kind carries what differs (members, filter names, error
 * codes), and one function lists, filters, pages and shapes the record:
 * - ids in the input (VpcIds, ...) must be well formed and the caller's,
 *   else EC2's Malformed / NotFound error for the first bad one;
 * - Filters: a filter name EC2 does not know for that call is
 *   InvalidParameterValue; values of one filter are ORed (with EC2's * and
 *   ? wildcards), filters are ANDed; tag filters match nothing (the
 *   scenario declares no tags);
 * - MaxResults/NextToken pages, as EC2 refuses MaxResults with ids;
 * - the record's requestParameters are in EC2's own CloudTrail form
 *   ("vpcSet", "filterSet": {"items": [...]}), and DescribeVpcEndpoints in
 *   the newer "DescribeVpcEndpointsRequest" form EC2 logs for it.
 * Describe actions take no resource-level permissions: Resource is "*". */
#include "model/api_aux.h"
#include "model/world_int.h"
#include "model/infra.h"
#include "model/service.h"

#include <string.h>

/* A filter name and the member of the answer it tests (a string, or a
 * boolean tested as "true"/"false"). */
typedef struct ec2_filter { const char *name, *member; } ec2_filter;

typedef struct ec2_kind {
    const char       *ids_member;       /* "VpcIds" */
    const char       *id_prefix;        /* "vpc" */
    const char       *id_member;        /* the answer's id member: "VpcId" */
    const char       *list_member;      /* "Vpcs" */
    const char       *malformed_code, *not_found_code, *not_found_fmt;
    const char       *log_ids_set, *log_id_key;   /* "vpcSet", "vpcId" */
    const ec2_filter *filters;          /* ends with name NULL */
    /* Appends this kind's answers for one VPC of the caller to out. */
    void            (*answers)(api_call *c, const infra_vpc *v, cJSON *out);
} ec2_kind;

static const ec2_filter vpc_filters[] = {
    { "vpc-id", "VpcId" }, { "cidr", "CidrBlock" },
    { "cidr-block-association.cidr-block", "CidrBlock" }, { "is-default", "IsDefault" },
    { "isDefault", "IsDefault" }, { "owner-id", "OwnerId" }, { "state", "State" },
    { NULL, NULL },
};
static const ec2_filter subnet_filters[] = {
    { "vpc-id", "VpcId" }, { "vpcId", "VpcId" }, { "subnet-id", "SubnetId" },
    { "subnet-arn", "SubnetArn" }, { "availability-zone", "AvailabilityZone" },
    { "availabilityZone", "AvailabilityZone" }, { "cidr-block", "CidrBlock" },
    { "cidrBlock", "CidrBlock" }, { "cidr", "CidrBlock" }, { "default-for-az", "DefaultForAz" },
    { "defaultForAz", "DefaultForAz" }, { "owner-id", "OwnerId" }, { "state", "State" },
    { NULL, NULL },
};
static const ec2_filter sg_filters[] = {
    { "vpc-id", "VpcId" }, { "group-id", "GroupId" }, { "group-name", "GroupName" },
    { "description", "Description" }, { "owner-id", "OwnerId" }, { NULL, NULL },
};
static const ec2_filter endpoint_filters[] = {
    { "vpc-id", "VpcId" }, { "vpc-endpoint-id", "VpcEndpointId" },
    { "service-name", "ServiceName" }, { "vpc-endpoint-state", "State" },
    { "vpc-endpoint-type", "VpcEndpointType" }, { NULL, NULL },
};

static void vpc_answers(api_call *c, const infra_vpc *v, cJSON *out)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "CidrBlock", v->cidr);
    cJSON_AddStringToObject(o, "State", "available");
    cJSON_AddStringToObject(o, "VpcId", v->id);
    cJSON_AddStringToObject(o, "OwnerId", v->account);
    cJSON_AddStringToObject(o, "InstanceTenancy", "default");
    cJSON *set = cJSON_AddArrayToObject(o, "CidrBlockAssociationSet");
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "CidrBlock", v->cidr);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(a, "CidrBlockState"), "State", "associated");
    cJSON_AddItemToArray(set, a);
    cJSON_AddBoolToObject(o, "IsDefault", v->is_default);
    cJSON_AddItemToArray(out, o);
    (void)c;
}

static void subnet_answers(api_call *c, const infra_vpc *v, cJSON *out)
{
    for (guint i = 0; i < v->subnets->len; i++) {
        const infra_subnet *s = v->subnets->pdata[i];
        cJSON *o = cJSON_CreateObject();
        if (s->az)
            cJSON_AddStringToObject(o, "AvailabilityZone", s->az);
        if (s->cidr)
            cJSON_AddStringToObject(o, "CidrBlock", s->cidr);
        /* A default VPC's subnets are its AZs' default subnets. */
        cJSON_AddBoolToObject(o, "DefaultForAz", v->is_default);
        cJSON_AddBoolToObject(o, "MapPublicIpOnLaunch", v->is_default);
        cJSON_AddStringToObject(o, "State", "available");
        cJSON_AddStringToObject(o, "SubnetId", s->id);
        cJSON_AddStringToObject(o, "VpcId", v->id);
        cJSON_AddStringToObject(o, "OwnerId", v->account);
        g_autofree char *arn = g_strdup_printf("arn:aws:ec2:%s:%s:subnet/%s", world_region(c->w),
                                               v->account, s->id);
        cJSON_AddStringToObject(o, "SubnetArn", arn);
        cJSON_AddItemToArray(out, o);
    }
}

static void sg_answers(api_call *c, const infra_vpc *v, cJSON *out)
{
    for (guint i = 0; i < v->sgs->len; i++) {
        const infra_sg *g = v->sgs->pdata[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "GroupId", g->id);
        cJSON_AddStringToObject(o, "GroupName", g->name);
        cJSON_AddStringToObject(o, "Description", g->description);
        cJSON_AddStringToObject(o, "OwnerId", v->account);
        cJSON_AddStringToObject(o, "VpcId", v->id);
        cJSON_AddArrayToObject(o, "IpPermissions");
        cJSON *egress = cJSON_AddArrayToObject(o, "IpPermissionsEgress");
        if (g->outbound) {
            /* EC2's default egress rule: everything, anywhere. */
            cJSON *r = cJSON_CreateObject();
            cJSON_AddStringToObject(r, "IpProtocol", "-1");
            cJSON *ranges = cJSON_AddArrayToObject(r, "IpRanges");
            cJSON *any = cJSON_CreateObject();
            cJSON_AddStringToObject(any, "CidrIp", "0.0.0.0/0");
            cJSON_AddItemToArray(ranges, any);
            cJSON_AddItemToArray(egress, r);
        }
        g_autofree char *arn = g_strdup_printf("arn:aws:ec2:%s:%s:security-group/%s",
                                               world_region(c->w), v->account, g->id);
        cJSON_AddStringToObject(o, "SecurityGroupArn", arn);
        cJSON_AddItemToArray(out, o);
    }
}

static void endpoint_answers(api_call *c, const infra_vpc *v, cJSON *out)
{
    for (guint i = 0; i < v->endpoints->len; i++) {
        const infra_endpoint *e = v->endpoints->pdata[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "VpcEndpointId", e->id);
        cJSON_AddStringToObject(o, "VpcEndpointType", "Interface");
        cJSON_AddStringToObject(o, "VpcId", v->id);
        g_autofree char *name = g_strdup_printf("com.amazonaws.%s.%s", world_region(c->w),
                                                e->service);
        cJSON_AddStringToObject(o, "ServiceName", name);
        cJSON_AddStringToObject(o, "State", "available");
        cJSON_AddBoolToObject(o, "PrivateDnsEnabled", true);
        cJSON_AddStringToObject(o, "OwnerId", v->account);
        cJSON_AddItemToArray(out, o);
    }
}

static const ec2_kind VPCS = {
    "VpcIds", "vpc", "VpcId", "Vpcs", "InvalidVpcID.Malformed", "InvalidVpcID.NotFound",
    "The vpc ID '%s' does not exist", "vpcSet", "vpcId", vpc_filters, vpc_answers,
};
static const ec2_kind SUBNETS = {
    "SubnetIds", "subnet", "SubnetId", "Subnets", "InvalidSubnetID.Malformed",
    "InvalidSubnetID.NotFound", "The subnet ID '%s' does not exist", "subnetSet", "subnetId",
    subnet_filters, subnet_answers,
};
static const ec2_kind GROUPS = {
    "GroupIds", "sg", "GroupId", "SecurityGroups", "InvalidGroupId.Malformed",
    "InvalidGroup.NotFound", "The security group '%s' does not exist", "securityGroupIdSet",
    "groupId", sg_filters, sg_answers,
};
static const ec2_kind ENDPOINTS = {
    "VpcEndpointIds", "vpce", "VpcEndpointId", "VpcEndpoints", "InvalidVpcEndpointId.Malformed",
    "InvalidVpcEndpointId.NotFound", "The VpcEndpoint Id '%s' does not exist", NULL, NULL,
    endpoint_filters, endpoint_answers,
};

static const api_paging EC2_PAGING = {
    .token = "NextToken", .max = "MaxResults", .dflt = 1000,
    .bad_code = "InvalidPaginationToken", .bad_fmt = "Invalid pagination token: %s" };

/* ---- the record ------------------------------------------------------------------------ */

/* {"items": [{key: v}, ...]} of a string list, {} when empty or absent. */
static cJSON *item_set(const cJSON *list, const char *key)
{
    cJSON *set = cJSON_CreateObject();
    if (cJSON_GetArraySize(list) == 0)
        return set;
    cJSON *items = cJSON_AddArrayToObject(set, "items");
    const cJSON *e;
    cJSON_ArrayForEach(e, list) {
        cJSON *it = cJSON_CreateObject();
        cJSON_AddItemToObject(it, key, cJSON_Duplicate(e, 1));
        cJSON_AddItemToArray(items, it);
    }
    return set;
}

/* EC2's classic requestParameters: id sets, then filterSet, then paging. */
static cJSON *classic_params(const api_call *c, const ec2_kind *k)
{
    cJSON *p = cJSON_CreateObject();
    if (k == &GROUPS)
        cJSON_AddItemToObject(p, "securityGroupSet",
                              item_set(cJSON_GetObjectItemCaseSensitive(c->input, "GroupNames"),
                                       "groupName"));
    cJSON_AddItemToObject(p, k->log_ids_set,
                          item_set(cJSON_GetObjectItemCaseSensitive(c->input, k->ids_member),
                                   k->log_id_key));
    cJSON *fs = cJSON_AddObjectToObject(p, "filterSet");
    const cJSON *filters = cJSON_GetObjectItemCaseSensitive(c->input, "Filters"), *f;
    if (cJSON_GetArraySize(filters) > 0) {
        cJSON *items = cJSON_AddArrayToObject(fs, "items");
        cJSON_ArrayForEach(f, filters) {
            cJSON *it = cJSON_CreateObject();
            cJSON_AddStringToObject(it, "name", api_str(f, "Name"));
            cJSON_AddItemToObject(it, "valueSet",
                                  item_set(cJSON_GetObjectItemCaseSensitive(f, "Values"), "value"));
            cJSON_AddItemToArray(items, it);
        }
    }
    const cJSON *max = cJSON_GetObjectItemCaseSensitive(c->input, "MaxResults");
    if (cJSON_IsNumber(max))
        cJSON_AddNumberToObject(p, "maxResults", max->valuedouble);
    if (api_str(c->input, "NextToken"))
        cJSON_AddStringToObject(p, "nextToken", api_str(c->input, "NextToken"));
    return p;
}

/* One {"content": v, "tag": n} or a list of them, as the newer form writes
 * repeated members. */
static cJSON *tagged(const cJSON *list)
{
    cJSON *a = cJSON_CreateArray();
    const cJSON *e;
    int n = 1;
    cJSON_ArrayForEach(e, list) {
        cJSON *t = cJSON_CreateObject();
        cJSON_AddItemToObject(t, "content", cJSON_Duplicate(e, 1));
        cJSON_AddNumberToObject(t, "tag", n++);
        cJSON_AddItemToArray(a, t);
    }
    if (cJSON_GetArraySize(a) == 1) {
        cJSON *one = cJSON_DetachItemFromArray(a, 0);
        cJSON_Delete(a);
        return one;
    }
    return a;
}

/* {"DescribeVpcEndpointsRequest": {...}}: members as on the wire. */
static cJSON *request_form_params(const api_call *c)
{
    cJSON *p = cJSON_CreateObject();
    cJSON *r = cJSON_AddObjectToObject(p, "DescribeVpcEndpointsRequest");
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(c->input, "VpcEndpointIds");
    if (cJSON_GetArraySize(ids) > 0)
        cJSON_AddItemToObject(r, "VpcEndpointId", tagged(ids));
    const cJSON *filters = cJSON_GetObjectItemCaseSensitive(c->input, "Filters"), *f;
    if (cJSON_GetArraySize(filters) > 0) {
        cJSON *fl = cJSON_CreateArray();
        int n = 1;
        cJSON_ArrayForEach(f, filters) {
            cJSON *it = cJSON_CreateObject();
            cJSON_AddStringToObject(it, "Name", api_str(f, "Name"));
            cJSON_AddItemToObject(it, "Value",
                                  tagged(cJSON_GetObjectItemCaseSensitive(f, "Values")));
            cJSON_AddNumberToObject(it, "tag", n++);
            cJSON_AddItemToArray(fl, it);
        }
        if (cJSON_GetArraySize(fl) == 1) {
            cJSON_AddItemToObject(r, "Filter", cJSON_DetachItemFromArray(fl, 0));
            cJSON_Delete(fl);
        } else {
            cJSON_AddItemToObject(r, "Filter", fl);
        }
    }
    const cJSON *max = cJSON_GetObjectItemCaseSensitive(c->input, "MaxResults");
    if (cJSON_IsNumber(max))
        cJSON_AddNumberToObject(r, "MaxResults", max->valuedouble);
    if (api_str(c->input, "NextToken"))
        cJSON_AddStringToObject(r, "NextToken", api_str(c->input, "NextToken"));
    return p;
}

/* ---- the listing ----------------------------------------------------------------------- */

static const char *filter_member(const ec2_kind *k, const char *name)
{
    for (const ec2_filter *f = k->filters; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f->member;
    return NULL;
}

/* The answer's value of member as filter text, or NULL. */
static const char *member_text(const cJSON *o, const char *member)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, member);
    if (cJSON_IsBool(v))
        return cJSON_IsTrue(v) ? "true" : "false";
    return cJSON_GetStringValue(v);
}

static bool value_matches(const cJSON *values, const char *have)
{
    const cJSON *v;
    cJSON_ArrayForEach(v, values)
        if (have && cJSON_IsString(v) &&
            (strpbrk(v->valuestring, "*?") ? g_pattern_match_simple(v->valuestring, have)
                                           : strcmp(v->valuestring, have) == 0))
            return true;
    return false;
}

/* Every filter is known (else c->err) ; *keep: o passes them all. */
static bool filters_pass(api_call *c, const ec2_kind *k, const cJSON *o, bool *keep)
{
    const cJSON *f;
    *keep = true;
    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(c->input, "Filters")) {
        const char *name = api_str(f, "Name");
        bool tag = name && (g_str_has_prefix(name, "tag:") || strcmp(name, "tag-key") == 0);
        const char *member = name ? filter_member(k, name) : NULL;
        if (!member && !tag) {
            api_error_set(&c->err, "InvalidParameterValue", "The filter '%s' is invalid",
                          name ? name : "null");
            return false;
        }
        /* Tags: none declared, so a tag filter matches nothing. */
        if (tag || !value_matches(cJSON_GetObjectItemCaseSensitive(f, "Values"),
                                  member_text(o, member)))
            *keep = false;
    }
    return true;
}

/* Checks the ids the input names; false with EC2's error for the first bad one. */
static bool ids_known(api_call *c, const ec2_kind *k, const cJSON *all)
{
    const cJSON *id, *o;
    cJSON_ArrayForEach(id, cJSON_GetObjectItemCaseSensitive(c->input, k->ids_member)) {
        if (!infra_ec2_id(id->valuestring, k->id_prefix)) {
            api_error_set(&c->err, k->malformed_code, "Invalid id: \"%s\" (expecting \"%s-...\")",
                          id->valuestring, k->id_prefix);
            return false;
        }
        bool found = false;
        cJSON_ArrayForEach(o, all)
            if (g_strcmp0(api_str(o, k->id_member), id->valuestring) == 0)
                found = true;
        if (!found) {
            api_error_set(&c->err, k->not_found_code, k->not_found_fmt, id->valuestring);
            return false;
        }
    }
    return true;
}

static bool in_list(const cJSON *list, const char *s)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, list)
        if (g_strcmp0(cJSON_GetStringValue(e), s) == 0)
            return true;
    return false;
}

static bool describe(api_call *c, const ec2_kind *k)
{
    c->request_params = k == &ENDPOINTS ? request_form_params(c) : classic_params(c, k);
    if (!api_authorize_simple(c, c->op->action, "*"))
        return false;
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(c->input, k->ids_member);
    if (cJSON_GetArraySize(ids) > 0 && cJSON_GetObjectItemCaseSensitive(c->input, "MaxResults")) {
        g_autofree char *lc = g_strdup(k->ids_member);
        lc[0] = g_ascii_tolower(lc[0]);
        api_error_set(&c->err, "InvalidParameterCombination",
                      "The parameter %s cannot be used with the parameter maxResults", lc);
        return false;
    }
    g_autoptr(cJSON) all = cJSON_CreateArray();
    const GPtrArray *vpcs = infra_vpcs(c->w, c->caller->account);
    for (guint i = 0; vpcs && i < vpcs->len; i++)
        k->answers(c, vpcs->pdata[i], all);
    if (!ids_known(c, k, all))
        return false;
    const cJSON *names = k == &GROUPS ? cJSON_GetObjectItemCaseSensitive(c->input, "GroupNames")
                                      : NULL;
    const cJSON *name;
    cJSON_ArrayForEach(name, names) {
        /* Names are looked up in the default VPC, as EC2 does. */
        const infra_vpc *dv = infra_default_vpc(c->w, c->caller->account);
        bool found = false;
        const cJSON *o;
        cJSON_ArrayForEach(o, all)
            if (dv && g_strcmp0(api_str(o, "VpcId"), dv->id) == 0 &&
                g_strcmp0(api_str(o, "GroupName"), name->valuestring) == 0)
                found = true;
        if (!found) {
            api_error_set(&c->err, "InvalidGroup.NotFound",
                          "The security group '%s' does not exist in default VPC '%s'",
                          name->valuestring, dv ? dv->id : "none");
            return false;
        }
    }
    g_autoptr(GPtrArray) rows = g_ptr_array_new();
    cJSON *o;
    cJSON_ArrayForEach(o, all) {
        bool keep;
        if (!filters_pass(c, k, o, &keep))
            return false;
        if (keep && cJSON_GetArraySize(ids) > 0 && !in_list(ids, api_str(o, k->id_member)))
            keep = false;
        if (keep && cJSON_GetArraySize(names) > 0 && !in_list(names, api_str(o, "GroupName")))
            keep = false;
        if (keep)
            g_ptr_array_add(rows, o);
    }
    guint first, count;
    if (!api_page(c, &EC2_PAGING, rows->len, &first, &count))
        return false;
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, k->list_member);
    for (guint i = first; i < first + count; i++)
        cJSON_AddItemToArray(list, cJSON_Duplicate(rows->pdata[i], 1));
    api_page_token(&EC2_PAGING, c->output, first, count, rows->len);
    return true;
}

static bool describe_vpcs(api_call *c) { return describe(c, &VPCS); }
static bool describe_subnets(api_call *c) { return describe(c, &SUBNETS); }
static bool describe_security_groups(api_call *c) { return describe(c, &GROUPS); }
static bool describe_vpc_endpoints(api_call *c) { return describe(c, &ENDPOINTS); }

static const api_op ops[] = {
    { "ec2:DescribeVpcs", describe_vpcs, API_READS, API_TO_CALLER },
    { "ec2:DescribeSubnets", describe_subnets, API_READS, API_TO_CALLER },
    { "ec2:DescribeSecurityGroups", describe_security_groups, API_READS, API_TO_CALLER },
    { "ec2:DescribeVpcEndpoints", describe_vpc_endpoints, API_READS, API_TO_CALLER },
    { NULL, NULL, false, API_TO_CALLER },
};

/* EC2 answers a denial with UnauthorizedOperation and this sentence first. */
const api_service api_service_ec2 = {
    .name = "ec2", .prefix = "ec2", .event_source = "ec2.amazonaws.com",
    .endpoint = "ec2.%s.amazonaws.com", .ops = ops,
    .denied_code = "UnauthorizedOperation",
    .denied_preamble = "You are not authorized to perform this operation. ",
};
