/* model/sm_domains_int.h: what model/sm_domains.c (domains, where apps
 * run and as whom, presigned URLs, sign-in) and model/sm_studio.c (user
 * profiles, spaces and apps: the operations) share: the state's types and
 * the helpers both use.  Internal to the SageMaker domains module. */
#ifndef CROSSIM_SM_DOMAINS_INT_H
#define CROSSIM_SM_DOMAINS_INT_H

#include "model/sm_domains.h"
#include "model/world_int.h"
#include "model/api_aux.h"

#include <string.h>

#include "model/kms.h"
#include "model/sm_common.h"
#include "model/sso_admin.h"

#define DOM_SLOT "sagemaker-domains"
#define DOMAIN_QUOTA "sagemaker:domains"
#define DOMAIN_QUOTA_DEFAULT 5
#define RESTART_QUOTA "sagemaker:rstudio-restart-attempts"
#define RESTART_QUOTA_DEFAULT 3
#define RSTUDIO_PRODUCT "RStudio Workbench"
#define DOMAIN_SHARED "domain-shared"
#define APP_SESSION "SageMaker"

/* Durations in seconds: median and 99th percentile of a log-normal draw. */
#define DOMAIN_CREATE_S 240.0, 600.0
#define DOMAIN_UPDATE_S 30.0, 120.0
#define DOMAIN_DELETE_S 120.0, 360.0
#define CHILD_CREATE_S 15.0, 60.0
#define CHILD_DELETE_S 10.0, 45.0
#define APP_CREATE_S 90.0, 300.0
#define APP_DELETE_S 30.0, 120.0
#define RESTART_S 60.0, 180.0

typedef struct dom {
    char      *id, *arn, *name, *account, *url;
    char      *auth_mode, *failure;
    sm_status  status;
    char      *vpc_id, *network;         /* AppNetworkAccessType */
    GPtrArray *subnets;                  /* char* */
    char      *kms_key_id;               /* as given; NULL: AWS managed key */
    char      *efs_id, *sso_instance, *sso_app_arn;
    cJSON     *user_settings;            /* DefaultUserSettings */
    cJSON     *domain_settings;          /* DomainSettings or NULL */
    cJSON     *space_settings;           /* DefaultSpaceSettings or NULL */
    char      *sg_management, *tag_propagation;
    int64_t    created_us, modified_us;
    principal *creator;                  /* its rights build the file system (D6) */
    uint64_t   timer;
    int        next_uid;                 /* HomeEfsFileSystemUid of the next profile */
    int        rstudio_failures;         /* consecutive failed RStudio starts (D7) */
    uint64_t   restart_timer;
} dom;

typedef struct profile {
    char      *domain_id, *name, *arn, *failure;
    sm_status  status;
    char      *sso_id, *sso_value;
    cJSON     *settings;                 /* UserSettings or NULL */
    int        uid;
    int64_t    created_us, modified_us;
    uint64_t   timer;
} profile;

typedef struct sm_space {
    char      *domain_id, *name, *arn, *failure, *display;
    sm_status  status;
    char      *owner, *sharing;          /* OwnerUserProfileName, SharingType */
    cJSON     *settings;                 /* SpaceSettings or NULL */
    int64_t    created_us, modified_us;
    uint64_t   timer;
} sm_space;

typedef struct app {
    char      *domain_id, *profile, *space, *type, *name, *arn, *failure;
    sm_status  status;
    cJSON     *spec;                     /* ResourceSpec */
    int64_t    created_us;
    uint64_t   timer;
} app;

typedef struct dom_state {
    GHashTable *domains;    /* id -> dom* */
    GHashTable *profiles;   /* "<domain>/<name>" -> profile* */
    GHashTable *spaces;     /* "<domain>/<name>" -> space* */
    GHashTable *apps;       /* arn -> app* */
} dom_state;

/* Shared helpers, defined in model/sm_domains.c or model/sm_studio.c. */
cJSON *smd__app_json(world *w, const app *a);
app *smd__app_put(world *w, dom *d, const char *profile_name, const char *space_name,
                  const char *type, const char *name, const cJSON *spec, rng *r);
void smd__app_settle(world *w, void *data);
bool smd__authorize_create(api_call *c, const char *action, const char *arn);
bool smd__check_sgs(api_call *c, const infra_vpc *vpc, const cJSON *list, const char *member);
char *smd__child_key(const char *domain_id, const char *name);
dom *smd__domain_for(api_call *c, const char *action, const iam_ctx *extra);
bool smd__domain_in_service(api_call *c, const dom *d);
int64_t smd__draw_us(rng *r, double median, double p99);
cJSON *smd__dup_or_null(const cJSON *v);
void smd__merge_settings(cJSON **into, const cJSON *patch);
const cJSON *smd__obj(const cJSON *o, const char *member);
bool smd__pass_role(api_call *c, const char *role_arn);
const cJSON *smd__profile_settings(world *w, const dom *d, const char *name);
const char *smd__rstudio_role(const cJSON *domain_settings);
const char *smd__settings_role(const cJSON *settings);
dom_state *smd__state_of(world *w);
profile *smd__profile_get(world *w, const char *domain_id, const char *name);
sm_space *smd__space_get(world *w, const char *domain_id, const char *name);
char *smd__profile_arn_for(world *w, const char *account, const char *domain_id, const char *name);
char *smd__space_arn_for(world *w, const char *account, const char *domain_id, const char *name);
profile *smd__profile_for(api_call *c, const char *action, dom **dout);
const char *smd__sso_profile_of(world *w, const char *domain_id, const char *user_name);

#endif
