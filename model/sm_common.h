/* model/sm_common.h: helpers every SageMaker module shares. */
#ifndef CROSSIM_SM_COMMON_H
#define CROSSIM_SM_COMMON_H

#include "model/api.h"
#include "model/base/enumx.h"

/* The status SageMaker's Studio resources (domains, user profiles, spaces,
 * apps) report, spelt as SageMaker spells it. */
#define SM_STATUS_MAP(X) X(SM_PENDING, "Pending") X(SM_IN_SERVICE, "InService") \
    X(SM_UPDATING, "Updating") X(SM_DELETING, "Deleting") X(SM_FAILED, "Failed") \
    X(SM_DELETED, "Deleted") X(SM_UPDATE_FAILED, "Update_Failed") \
    X(SM_DELETE_FAILED, "Delete_Failed")
typedef enum sm_status { SM_STATUS_MAP(ENUMX_ID) } sm_status;
const char *sm_status_name(sm_status s);

#define SM_SERVICE "sagemaker.amazonaws.com"

/* A UserContext ({"IamIdentity": {"Arn", "PrincipalId"}}) for p. */
cJSON *sm_user_context(const principal *p);
/* False when t falls outside the input's CreationTimeAfter/CreationTimeBefore. */
bool   sm_time_filter(const api_call *c, int64_t t);
/* MaxResults (default 10) / NextToken paging over n sorted rows: the first
 * row and the count of this page; false (ValidationException) on a bad token. */
bool   sm_page(api_call *c, guint n, guint *first, guint *count);
/* Adds NextToken to c->output when rows remain after this page. */
void   sm_page_token(api_call *c, guint first, guint count, guint n);
/* SortOrder: Descending unless the input says Ascending (SageMaker's default). */
bool   sm_descending(const api_call *c);

/* The values of t sorted by cmp (a new array of borrowed pointers): the only
 * way a table reaches output, never in hash order. */
GPtrArray *sm_sorted_values(GHashTable *t, GCompareFunc cmp);
/* Rows sorted ascending, put in the input's SortOrder (reversed unless
 * Ascending), then paged as sm_page does. */
bool   sm_order_page(api_call *c, GPtrArray *rows, guint *first, guint *count);

/* A role SageMaker is to run as (ExecutionRoleArn, RoleArn): the caller must
 * be allowed iam:PassRole on it (iam:PassedToService sagemaker), and it must
 * exist and trust sagemaker.amazonaws.com.  False with AWS's error set:
 * AccessDeniedException, or ValidationException "Could not assume role". */
bool   sm_pass_role(api_call *c, const char *role_arn);

/* `crossim explain` for a SageMaker resource RAM can share (a model card, a
 * pipeline, a model package group): when resource is arn or below it
 * (arn/...), appends the policies RAM holds for arn as caller sees them
 * (borrowed) to out, sets *owner to arn's account and returns true. */
bool   sm_explain_shared(world *w, const principal *caller, const char *arn,
                         const char *resource, GPtrArray *out, char **owner);
/* The same for the resource of type marker (":model-card/") that resource
 * is or is below, read as the call path reads it (mode: an ordinary
 * resource policy): a service's whole resource_policies hook. */
bool   sm_explain_under(world *w, const principal *caller, const char *marker,
                        const char *resource, GPtrArray *out, api_resource_mode *mode,
                        char **owner);
/* The ARN of the resource of type marker ("model-card/") that resource is,
 * or is below (".../model-card/NAME/export-job/X" -> ".../model-card/NAME");
 * a new string, or NULL when resource is not of that type. */
char  *sm_arn_upto(const char *resource, const char *marker);

#endif
