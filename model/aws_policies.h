/* model/aws_policies.h: the AWS managed policies crossim knows
 * (arn:aws:iam::aws:policy/...), with their documents as AWS publishes
 * them (tools/aws-managed-policies/, generated into aws_policies_data.c).
 * Scenarios attach them by ARN; iam:AttachRolePolicy accepts them. */
#ifndef CROSSIM_AWS_POLICIES_H
#define CROSSIM_AWS_POLICIES_H

#include <stddef.h>

typedef struct aws_policy_row {
    const char *arn, *name, *version;   /* version: the default version id, "v29" */
    const char *document;               /* compact JSON */
} aws_policy_row;

/* Ends with arn NULL; in ARN order. */
extern const aws_policy_row aws_policies[];

/* The AWS managed policy with that ARN, or NULL. */
const aws_policy_row *aws_policy_get(const char *arn);

#endif
