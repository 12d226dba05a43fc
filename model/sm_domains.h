/* model/sm_domains.h: SageMaker domains, user profiles, spaces and apps
 * (SPEC D1-D7).  The operations are in the table api_ops_sagemaker_domains
 * (declared in model/api.h); the helpers below are the module's rules that tests pin directly. */
#ifndef CROSSIM_SM_DOMAINS_H
#define CROSSIM_SM_DOMAINS_H

#include <glib.h>
#include <stdbool.h>

#include "model/api.h"
#include "model/infra.h"

/* The app ARN SageMaker gives an app: ".../app/<domain>/<profile or space>/
 * <app type in lower case>/<app name>".  A new string. */
char *sm_domains_app_arn(const char *region, const char *account, const char *domain_id,
                         const char *owner, const char *app_type, const char *app_name);

/* Why an app in a VpcOnly domain cannot reach the SageMaker API from vpc
 * with the given security groups (char*), or NULL when it can (D5): it needs
 * a security group allowing outbound connections, and interface endpoints
 * for sagemaker.api and sagemaker.runtime or a NAT gateway.  A new string. */
char *sm_domains_unreachable(const infra_vpc *vpc, const GPtrArray *sgs,
                             const char *region);

/* An IAM Identity Center user opening the Studio of SSO domain domain_id
 * of account from the AWS access portal (D4): the name of the user's
 * profile (a new string) when the user is assigned to the domain's
 * application, directly or through a group, and has an InService profile
 * (SingleSignOnUserValue = user_name); else NULL with *why (a new string).
 * Writes no record: crossim models no Identity Center sign-in events. */
char *sm_domains_sso_sign_in(world *w, const char *account, const char *domain_id,
                             const char *user_name, char **why);

#endif
