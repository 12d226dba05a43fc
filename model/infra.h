/* model/infra.h: what a scenario puts in an account besides IAM, KMS and S3:
 * VPC networks (subnets, interface endpoints, a NAT gateway, security
 * groups) and the licenses the account received through AWS License
 * Manager.  Services read it to decide what their resources can reach
 * (SageMaker domains in VpcOnly mode, RStudio on SageMaker).
 *
 * The world's service slot "infra" holds it; everything is added by the
 * scenario loader (infra_load_account) and read-only afterwards.  Lists
 * keep the scenario's order. */
#ifndef CROSSIM_INFRA_H
#define CROSSIM_INFRA_H

#include <cjson/cJSON.h>
#include <glib.h>
#include <stdbool.h>

#include "model/world.h"

typedef struct infra_subnet {
    char *id, *az;
    char *cidr;           /* may be NULL */
} infra_subnet;

typedef struct infra_endpoint {
    char *service;        /* short name: "sagemaker.api", "sagemaker.runtime", "sts" */
    char *id;             /* "vpce-..." */
} infra_endpoint;

typedef struct infra_sg {
    char *id;
    char *name, *description;
    bool  outbound;       /* allows outbound HTTPS (443) */
} infra_sg;

typedef struct infra_vpc {
    char      *id, *account, *cidr;
    bool       is_default;
    char      *nat_ip;    /* public address of a NAT gateway with internet access, or NULL */
    GPtrArray *subnets;   /* infra_subnet* */
    GPtrArray *endpoints; /* infra_endpoint* */
    GPtrArray *sgs;       /* infra_sg* */
} infra_vpc;

/* Reports one problem of a scenario's account body: node is the offending
 * JSON node, path its JSON path, msg the message. */
typedef void (*infra_report_fn)(void *ud, const cJSON *node, bool at_key, const char *path,
                                const char *msg);

/* Loads the "vpcs" object and the "licenses" list of an account body
 * (either may be NULL) into the world for account.  Every problem goes to
 * report; returns false when there was any. */
bool infra_load_account(world *w, const char *account, const cJSON *vpcs,
                        const cJSON *licenses, const char *path, infra_report_fn report,
                        void *ud);

/* The account's VPC with that id, or NULL.  Borrowed. */
const infra_vpc      *infra_vpc_get(world *w, const char *account, const char *vpc_id);
/* The account's VPCs (infra_vpc*, scenario order), or NULL when none.  Borrowed. */
const GPtrArray      *infra_vpcs(world *w, const char *account);
/* True when s is an EC2 id of that kind: prefix-, then 8 or 17 lower-case hex digits. */
bool                  infra_ec2_id(const char *s, const char *prefix);
/* The account's default VPC, or NULL. */
const infra_vpc      *infra_default_vpc(world *w, const char *account);
/* The subnet of vpc with that id, or NULL. */
const infra_subnet   *infra_subnet_get(const infra_vpc *vpc, const char *subnet_id);
/* The interface endpoint of vpc for service ("sagemaker.api"), or NULL. */
const infra_endpoint *infra_endpoint_get(const infra_vpc *vpc, const char *service);
/* The security group of vpc with that id, or NULL. */
const infra_sg       *infra_sg_get(const infra_vpc *vpc, const char *sg_id);

/* True when account received a license for product ("RStudio Workbench"). */
bool infra_has_license(world *w, const char *account, const char *product);

#endif
