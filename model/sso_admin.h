/* model/sso_admin.h: IAM Identity Center as SageMaker's SSO domains need it
 * (SPEC D1, D4): an account's Identity Center instance with its identity
 * store (users, groups, group membership), the applications services
 * register in it (a SageMaker SSO domain's "Amazon SageMaker Studio" app),
 * and the assignments of users and groups to those applications, managed
 * through the sso-admin operations in api_ops_sso_admin (IAM prefix "sso",
 * event source sso.amazonaws.com).
 *
 * The scenario loader fills the identity store (sso_admin_load_account);
 * services read it.  Ids are deterministic: given in the scenario, or drawn
 * from the world's stream named after the account and the principal. */
#ifndef CROSSIM_SSO_ADMIN_H
#define CROSSIM_SSO_ADMIN_H

#include <cjson/cJSON.h>
#include <glib.h>
#include <stdbool.h>

#include "model/infra.h"
#include "model/world.h"

/* Loads an account body's "identity_center" object ({"users": {name:
 * {"groups": [...], "user_id"}}, "groups": {name: {"group_id"}}}) into the
 * account's instance, which lives in region (the account's first
 * identity_center_regions entry; NULL when it has none, an error).  Every
 * problem goes to report (path names the object); false when there was any. */
bool sso_admin_load_account(world *w, const char *account, const char *region,
                            const cJSON *ic, const char *path, infra_report_fn report,
                            void *ud);

/* The account's Identity Center instance id ("ssoins-" and 16 hex digits),
 * made on first use (deterministic), and the region it lives in (NULL when
 * the scenario gave the account no identity_center).  Borrowed. */
const char *sso_admin_instance_id(world *w, const char *account);

/* The identity-store UserId of the account's user user_name, or NULL. */
const char *sso_admin_user_id(world *w, const char *account, const char *user_name);

/* Registers (and forgets) an application of account with that ARN: only
 * registered applications take assignments (a SageMaker SSO domain's, from
 * the time it is InService until it is deleted). */
void sso_admin_app_add(world *w, const char *account, const char *app_arn);
void sso_admin_app_remove(world *w, const char *app_arn);

/* True when the user (by UserId) may open the application: assigned to it
 * directly or through one of the groups it belongs to (D4).  When via_group
 * is not NULL it is set to the group's name (borrowed) or NULL. */
bool sso_admin_has_access(world *w, const char *app_arn, const char *user_id,
                          const char **via_group);

#endif
