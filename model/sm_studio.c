/* model/sm_studio.c: SageMaker Studio's user profiles (D4), spaces (D5)
 * and apps (D4, D5, D7) within a domain: their operations and lifecycles.
 * Where an app runs and as whom is decided in model/sm_domains.c. */
#include "model/sm_domains_int.h"
#include "model/service.h"

/* ---- user profiles (D4) -------------------------------------------------------------------- */

static void profile_settle(world *w, void *data)
{
    dom_state *s = smd__state_of(w);
    profile *u = g_hash_table_lookup(s->profiles, data);
    if (!u)
        return;
    u->timer = 0;
    u->modified_us = world_now(w);
    if (u->status == SM_DELETING) {
        world_resource_remove(w, u->arn);
        g_hash_table_remove(s->profiles, data);
        return;
    }
    u->status = SM_IN_SERVICE;
}

static gint cmp_profile_name(gconstpointer a, gconstpointer b)
{
    const profile *x = *(profile *const *)a, *y = *(profile *const *)b;
    int r = strcmp(x->domain_id, y->domain_id);
    return r ? r : strcmp(x->name, y->name);
}

static bool profile_checks(api_call *c, const dom *d, const cJSON *settings)
{
    const infra_vpc *vpc = infra_vpc_get(c->w, d->account, d->vpc_id);
    return smd__pass_role(c, smd__settings_role(settings)) &&
           smd__check_sgs(c, vpc, smd__obj(settings, "SecurityGroups"), "UserSettings.SecurityGroups");
}

/* The name of the profile of Identity Center user user_name in the domain
 * (any status), or NULL. */
const char *smd__sso_profile_of(world *w, const char *domain_id, const char *user_name)
{
    g_autoptr(GPtrArray) all = sm_sorted_values(smd__state_of(w)->profiles, cmp_profile_name);
    for (guint i = 0; i < all->len; i++) {
        const profile *u = all->pdata[i];
        if (strcmp(u->domain_id, domain_id) == 0 && g_strcmp0(u->sso_value, user_name) == 0)
            return u->name;
    }
    return NULL;
}

static bool create_user_profile(api_call *c)
{
    const char *name = api_str(c->input, "UserProfileName");
    const char *did = api_str(c->input, "DomainId");
    g_autofree char *arn = smd__profile_arn_for(c->w, c->caller->account, did, name);
    api_resource(c, arn, c->caller->account, "AWS::SageMaker::UserProfile");
    if (!smd__authorize_create(c, "sagemaker:CreateUserProfile", arn))
        return false;
    dom *d = smd__domain_for(c, NULL, NULL);
    if (!d || !smd__domain_in_service(c, d))
        return false;
    const char *sso_id = api_str(c->input, "SingleSignOnUserIdentifier");
    const char *sso_value = api_str(c->input, "SingleSignOnUserValue");
    if (strcmp(d->auth_mode, "IAM") == 0 && (sso_id || sso_value)) {
        api_error_set(&c->err, "ValidationException",
                      "SingleSignOnUserIdentifier and SingleSignOnUserValue cannot be specified "
                      "for a domain whose AuthMode is IAM.");
        return false;
    }
    if (strcmp(d->auth_mode, "SSO") == 0 &&
        (g_strcmp0(sso_id, "UserName") != 0 || !sso_value)) {
        api_error_set(&c->err, "ValidationException",
                      "A domain whose AuthMode is SSO needs SingleSignOnUserIdentifier "
                      "\"UserName\" and SingleSignOnUserValue (the IAM Identity Center user).");
        return false;
    }
    /* D4: SingleSignOnUserValue "must match a valid username of a user in
     * your directory".  CreateUserProfile does not assign the user to the
     * domain's application: without an assignment (of the user or of one of
     * its groups) the profile exists but Studio refuses the user. */
    if (sso_value && !sso_admin_user_id(c->w, d->account, sso_value)) {
        api_error_set(&c->err, "ValidationException",
                      "SingleSignOnUserValue %s does not match a user in the IAM Identity Center "
                      "directory of account %s.", sso_value, d->account);
        return false;
    }
    /* In SSO mode users and profiles map one to one. */
    const char *taken = sso_value ? smd__sso_profile_of(c->w, d->id, sso_value) : NULL;
    if (taken) {
        api_error_set(&c->err, "ResourceInUse", "IAM Identity Center user %s already has user "
                      "profile %s in domain %s.", sso_value, taken, d->id);
        return false;
    }
    if (strcmp(name, DOMAIN_SHARED) == 0 || smd__profile_get(c->w, d->id, name)) {
        api_error_set(&c->err, "ResourceInUse", "UserProfile %s already exists in domain %s.",
                      name, d->id);
        return false;
    }
    const cJSON *settings = smd__obj(c->input, "UserSettings");
    if (!profile_checks(c, d, settings))
        return false;
    profile *u = g_new0(profile, 1);
    u->domain_id = g_strdup(d->id);
    u->name = g_strdup(name);
    u->arn = g_steal_pointer(&arn);
    u->status = SM_PENDING;
    u->sso_id = g_strdup(sso_id);
    u->sso_value = g_strdup(sso_value);
    u->settings = smd__dup_or_null(settings);
    u->uid = d->next_uid++;
    u->created_us = u->modified_us = c->now;
    g_hash_table_insert(smd__state_of(c->w)->profiles, smd__child_key(d->id, name), u);
    world_resource_add(c->w, u->arn, d->account, NULL);
    u->timer = world_schedule(c->w, c->now + smd__draw_us(c->rng, CHILD_CREATE_S), profile_settle,
                              smd__child_key(d->id, name), g_free);
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "UserProfileArn", u->arn);
    return true;
}

/* The profile of the request, authorised for action on its ARN. */
profile *smd__profile_for(api_call *c, const char *action, dom **dout)
{
    const char *name = api_str(c->input, "UserProfileName");
    const char *did = api_str(c->input, "DomainId");
    g_autofree char *arn = smd__profile_arn_for(c->w, c->caller->account, did, name);
    api_resource(c, arn, c->caller->account, "AWS::SageMaker::UserProfile");
    if (!api_authorize_simple(c, action, arn))
        return NULL;
    dom *d = smd__domain_for(c, NULL, NULL);
    if (!d)
        return NULL;
    profile *u = smd__profile_get(c->w, d->id, name);
    if (!u) {
        api_error_set(&c->err, "ResourceNotFound", "User profile %s does not exist in domain %s.",
                      name, d->id);
        return NULL;
    }
    if (dout)
        *dout = d;
    return u;
}

static bool describe_user_profile(api_call *c)
{
    profile *u = smd__profile_for(c, "sagemaker:DescribeUserProfile", NULL);
    if (!u)
        return false;
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "DomainId", u->domain_id);
    cJSON_AddStringToObject(c->output, "UserProfileArn", u->arn);
    cJSON_AddStringToObject(c->output, "UserProfileName", u->name);
    g_autofree char *uid = g_strdup_printf("%d", u->uid);
    cJSON_AddStringToObject(c->output, "HomeEfsFileSystemUid", uid);
    cJSON_AddStringToObject(c->output, "Status", sm_status_name(u->status));
    api_add_time(c->w, c->output, "LastModifiedTime", u->modified_us);
    api_add_time(c->w, c->output, "CreationTime", u->created_us);
    if (u->sso_id) {
        cJSON_AddStringToObject(c->output, "SingleSignOnUserIdentifier", u->sso_id);
        cJSON_AddStringToObject(c->output, "SingleSignOnUserValue", u->sso_value);
    }
    if (u->settings)
        cJSON_AddItemToObject(c->output, "UserSettings", cJSON_Duplicate(u->settings, 1));
    return true;
}

static bool update_user_profile(api_call *c)
{
    dom *d = NULL;
    profile *u = smd__profile_for(c, "sagemaker:UpdateUserProfile", &d);
    if (!u)
        return false;
    if (u->status != SM_IN_SERVICE) {
        api_error_set(&c->err, "ResourceInUse", "User profile %s is in status %s.", u->name,
                      sm_status_name(u->status));
        return false;
    }
    const cJSON *settings = smd__obj(c->input, "UserSettings");
    if (!profile_checks(c, d, settings))
        return false;
    smd__merge_settings(&u->settings, settings);
    u->modified_us = c->now;
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "UserProfileArn", u->arn);
    return true;
}

static bool live_app_of(world *w, const char *domain_id, const char *profile_name,
                        const char *space_name)
{
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, smd__state_of(w)->apps);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        const app *a = v;
        if (strcmp(a->domain_id, domain_id) != 0 || a->status == SM_DELETED ||
            a->status == SM_FAILED)
            continue;
        if ((profile_name && g_strcmp0(a->profile, profile_name) == 0) ||
            (space_name && g_strcmp0(a->space, space_name) == 0))
            return true;
    }
    return false;
}

static bool delete_user_profile(api_call *c)
{
    dom *d = NULL;
    profile *u = smd__profile_for(c, "sagemaker:DeleteUserProfile", &d);
    if (!u)
        return false;
    if (live_app_of(c->w, d->id, u->name, NULL)) {
        api_error_set(&c->err, "ResourceInUse",
                      "User profile %s has apps that are not deleted; delete them first.",
                      u->name);
        return false;
    }
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, smd__state_of(c->w)->spaces);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        const sm_space *sp = v;
        if (strcmp(sp->domain_id, d->id) == 0 && g_strcmp0(sp->owner, u->name) == 0) {
            api_error_set(&c->err, "ResourceInUse",
                          "User profile %s owns spaces; delete them first.", u->name);
            return false;
        }
    }
    if (u->timer)
        world_cancel(c->w, u->timer);
    u->status = SM_DELETING;
    u->modified_us = c->now;
    u->timer = world_schedule(c->w, c->now + smd__draw_us(c->rng, CHILD_DELETE_S), profile_settle,
                              smd__child_key(d->id, u->name), g_free);
    return true;
}

typedef struct child_sort { const char *by; } child_sort;

static gint cmp_profile(gconstpointer a, gconstpointer b, gpointer user)
{
    const profile *x = *(profile *const *)a, *y = *(profile *const *)b;
    const child_sort *cs = user;
    int64_t tx = x->created_us, ty = y->created_us;
    if (g_strcmp0(cs->by, "LastModifiedTime") == 0) {
        tx = x->modified_us;
        ty = y->modified_us;
    }
    if (tx != ty)
        return tx < ty ? -1 : 1;
    int r = strcmp(x->domain_id, y->domain_id);
    return r ? r : strcmp(x->name, y->name);
}

/* The domains of the caller's account, for the List calls' DomainIdEquals. */
static bool own_domain(world *w, const char *domain_id, const char *account)
{
    const dom *d = g_hash_table_lookup(smd__state_of(w)->domains, domain_id);
    return d && strcmp(d->account, account) == 0;
}

static bool list_user_profiles(api_call *c)
{
    if (!api_authorize_simple(c, "sagemaker:ListUserProfiles", "*"))
        return false;
    const char *did = api_str(c->input, "DomainIdEquals");
    const char *contains = api_str(c->input, "UserProfileNameContains");
    g_autoptr(GPtrArray) rows = g_ptr_array_new();
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, smd__state_of(c->w)->profiles);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        profile *u = v;
        if (!own_domain(c->w, u->domain_id, c->caller->account) ||
            (did && strcmp(u->domain_id, did) != 0) || (contains && !strstr(u->name, contains)))
            continue;
        g_ptr_array_add(rows, u);
    }
    child_sort cs = { api_str(c->input, "SortBy") };
    g_ptr_array_sort_with_data(rows, cmp_profile, &cs);
    guint first, count;
    if (!sm_order_page(c, rows, &first, &count))
        return false;
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "UserProfiles");
    for (guint i = first; i < first + count; i++) {
        const profile *u = rows->pdata[i];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "DomainId", u->domain_id);
        cJSON_AddStringToObject(e, "UserProfileName", u->name);
        cJSON_AddStringToObject(e, "Status", sm_status_name(u->status));
        api_add_time(c->w, e, "CreationTime", u->created_us);
        api_add_time(c->w, e, "LastModifiedTime", u->modified_us);
        cJSON_AddItemToArray(list, e);
    }
    sm_page_token(c, first, count, rows->len);
    return true;
}

/* ---- spaces (D5) ---------------------------------------------------------------------------- */

static void space_settle(world *w, void *data)
{
    dom_state *s = smd__state_of(w);
    sm_space *sp = g_hash_table_lookup(s->spaces, data);
    if (!sp)
        return;
    sp->timer = 0;
    sp->modified_us = world_now(w);
    if (sp->status == SM_DELETING) {
        world_resource_remove(w, sp->arn);
        g_hash_table_remove(s->spaces, data);
        return;
    }
    sp->status = SM_IN_SERVICE;
}

/* The largest EBS volume (GB) a space may ask for: the owner's settings,
 * else (shared spaces first) DefaultSpaceSettings, else the domain's
 * DefaultUserSettings; 100 GB when none says (the console's default). */
static double max_ebs(world *w, const dom *d, const char *owner)
{
    const char *m = "MaximumEbsVolumeSizeInGb";
    const cJSON *cands[] = {
        owner ? smd__profile_settings(w, d, owner) : d->space_settings, d->user_settings,
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cands); i++) {
        const cJSON *e = smd__obj(smd__obj(cands[i], "SpaceStorageSettings"), "DefaultEbsStorageSettings");
        if (smd__obj(e, m))
            return api_num(e, m, 100);
    }
    return 100;
}

static bool create_space(api_call *c)
{
    const char *name = api_str(c->input, "SpaceName");
    const char *did = api_str(c->input, "DomainId");
    g_autofree char *arn = smd__space_arn_for(c->w, c->caller->account, did, name);
    api_resource(c, arn, c->caller->account, "AWS::SageMaker::Space");
    if (!smd__authorize_create(c, "sagemaker:CreateSpace", arn))
        return false;
    dom *d = smd__domain_for(c, NULL, NULL);
    if (!d || !smd__domain_in_service(c, d))
        return false;
    const char *owner = api_str(smd__obj(c->input, "OwnershipSettings"), "OwnerUserProfileName");
    const char *sharing = api_str(smd__obj(c->input, "SpaceSharingSettings"), "SharingType");
    if (sharing && !owner) {
        api_error_set(&c->err, "ValidationException",
                      "OwnershipSettings is required when SpaceSharingSettings is specified.");
        return false;
    }
    if (owner && !smd__profile_get(c->w, d->id, owner)) {
        api_error_set(&c->err, "ResourceNotFound", "User profile %s does not exist in domain %s.",
                      owner, d->id);
        return false;
    }
    const cJSON *ebs = smd__obj(smd__obj(smd__obj(c->input, "SpaceSettings"), "SpaceStorageSettings"),
                           "EbsStorageSettings");
    double max = max_ebs(c->w, d, owner);
    if (ebs && api_num(ebs, "EbsVolumeSizeInGb", 0) > max) {
        api_error_set(&c->err, "ValidationException",
                      "EbsVolumeSizeInGb (%g) exceeds the domain's MaximumEbsVolumeSizeInGb (%g).",
                      api_num(ebs, "EbsVolumeSizeInGb", 0), max);
        return false;
    }
    if (smd__space_get(c->w, d->id, name)) {
        api_error_set(&c->err, "ResourceInUse", "Space %s already exists in domain %s.", name,
                      d->id);
        return false;
    }
    sm_space *sp = g_new0(sm_space, 1);
    sp->domain_id = g_strdup(d->id);
    sp->name = g_strdup(name);
    sp->arn = g_steal_pointer(&arn);
    sp->status = SM_PENDING;
    sp->display = g_strdup(api_str(c->input, "SpaceDisplayName"));
    sp->owner = g_strdup(owner);
    /* A space without an owner is the domain's: shared. */
    sp->sharing = g_strdup(sharing ? sharing : owner ? "Private" : "Shared");
    sp->settings = smd__dup_or_null(smd__obj(c->input, "SpaceSettings"));
    sp->created_us = sp->modified_us = c->now;
    g_hash_table_insert(smd__state_of(c->w)->spaces, smd__child_key(d->id, name), sp);
    world_resource_add(c->w, sp->arn, d->account, NULL);
    sp->timer = world_schedule(c->w, c->now + smd__draw_us(c->rng, CHILD_CREATE_S), space_settle,
                               smd__child_key(d->id, name), g_free);
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "SpaceArn", sp->arn);
    return true;
}

static sm_space *space_for(api_call *c, const char *action, dom **dout)
{
    const char *name = api_str(c->input, "SpaceName");
    const char *did = api_str(c->input, "DomainId");
    g_autofree char *arn = smd__space_arn_for(c->w, c->caller->account, did, name);
    api_resource(c, arn, c->caller->account, "AWS::SageMaker::Space");
    if (!api_authorize_simple(c, action, arn))
        return NULL;
    dom *d = smd__domain_for(c, NULL, NULL);
    if (!d)
        return NULL;
    sm_space *sp = smd__space_get(c->w, d->id, name);
    if (!sp) {
        api_error_set(&c->err, "ResourceNotFound", "Space %s does not exist in domain %s.", name,
                      d->id);
        return NULL;
    }
    if (dout)
        *dout = d;
    return sp;
}

static bool describe_space(api_call *c)
{
    dom *d = NULL;
    sm_space *sp = space_for(c, "sagemaker:DescribeSpace", &d);
    if (!sp)
        return false;
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "DomainId", sp->domain_id);
    cJSON_AddStringToObject(c->output, "SpaceArn", sp->arn);
    cJSON_AddStringToObject(c->output, "SpaceName", sp->name);
    cJSON_AddStringToObject(c->output, "Status", sm_status_name(sp->status));
    api_add_time(c->w, c->output, "LastModifiedTime", sp->modified_us);
    api_add_time(c->w, c->output, "CreationTime", sp->created_us);
    if (sp->settings)
        cJSON_AddItemToObject(c->output, "SpaceSettings", cJSON_Duplicate(sp->settings, 1));
    if (sp->owner) {
        cJSON *o = cJSON_AddObjectToObject(c->output, "OwnershipSettings");
        cJSON_AddStringToObject(o, "OwnerUserProfileName", sp->owner);
    }
    cJSON *ss = cJSON_AddObjectToObject(c->output, "SpaceSharingSettings");
    cJSON_AddStringToObject(ss, "SharingType", sp->sharing);
    if (sp->display)
        cJSON_AddStringToObject(c->output, "SpaceDisplayName", sp->display);
    g_autofree char *url = g_strdup_printf("%s/jupyterlab/default/spaces/%s", d->url, sp->name);
    cJSON_AddStringToObject(c->output, "Url", url);
    return true;
}

static bool delete_space(api_call *c)
{
    dom *d = NULL;
    sm_space *sp = space_for(c, "sagemaker:DeleteSpace", &d);
    if (!sp)
        return false;
    if (live_app_of(c->w, d->id, NULL, sp->name)) {
        api_error_set(&c->err, "ResourceInUse",
                      "Space %s has apps that are not deleted; delete them first.", sp->name);
        return false;
    }
    if (sp->timer)
        world_cancel(c->w, sp->timer);
    sp->status = SM_DELETING;
    sp->modified_us = c->now;
    sp->timer = world_schedule(c->w, c->now + smd__draw_us(c->rng, CHILD_DELETE_S), space_settle,
                               smd__child_key(d->id, sp->name), g_free);
    return true;
}

static gint cmp_space(gconstpointer a, gconstpointer b, gpointer user)
{
    const sm_space *x = *(sm_space *const *)a, *y = *(sm_space *const *)b;
    const child_sort *cs = user;
    int64_t tx = x->created_us, ty = y->created_us;
    if (g_strcmp0(cs->by, "LastModifiedTime") == 0) {
        tx = x->modified_us;
        ty = y->modified_us;
    }
    if (tx != ty)
        return tx < ty ? -1 : 1;
    int r = strcmp(x->domain_id, y->domain_id);
    return r ? r : strcmp(x->name, y->name);
}

static bool list_spaces(api_call *c)
{
    if (!api_authorize_simple(c, "sagemaker:ListSpaces", "*"))
        return false;
    const char *did = api_str(c->input, "DomainIdEquals");
    const char *contains = api_str(c->input, "SpaceNameContains");
    g_autoptr(GPtrArray) rows = g_ptr_array_new();
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, smd__state_of(c->w)->spaces);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        sm_space *sp = v;
        if (!own_domain(c->w, sp->domain_id, c->caller->account) ||
            (did && strcmp(sp->domain_id, did) != 0) || (contains && !strstr(sp->name, contains)))
            continue;
        g_ptr_array_add(rows, sp);
    }
    child_sort cs = { api_str(c->input, "SortBy") };
    g_ptr_array_sort_with_data(rows, cmp_space, &cs);
    guint first, count;
    if (!sm_order_page(c, rows, &first, &count))
        return false;
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "Spaces");
    for (guint i = first; i < first + count; i++) {
        const sm_space *sp = rows->pdata[i];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "DomainId", sp->domain_id);
        cJSON_AddStringToObject(e, "SpaceName", sp->name);
        cJSON_AddStringToObject(e, "Status", sm_status_name(sp->status));
        api_add_time(c->w, e, "CreationTime", sp->created_us);
        api_add_time(c->w, e, "LastModifiedTime", sp->modified_us);
        cJSON *ss = cJSON_AddObjectToObject(e, "SpaceSharingSettingsSummary");
        cJSON_AddStringToObject(ss, "SharingType", sp->sharing);
        if (sp->owner) {
            cJSON *o = cJSON_AddObjectToObject(e, "OwnershipSettingsSummary");
            cJSON_AddStringToObject(o, "OwnerUserProfileName", sp->owner);
        }
        if (sp->display)
            cJSON_AddStringToObject(e, "SpaceDisplayName", sp->display);
        cJSON_AddItemToArray(list, e);
    }
    sm_page_token(c, first, count, rows->len);
    return true;
}

/* ---- apps ----------------------------------------------------------------------------------- */

static bool rstudio_enabled(const dom *d)
{
    return smd__rstudio_role(d->domain_settings) != NULL;
}

/* Where an app type may run: JupyterLab and CodeEditor only in spaces; the
 * RStudioServerPro app only as the domain-shared app of an RStudio domain;
 * RSessionGateway only in an RStudio domain. */
static bool app_placement(api_call *c, const dom *d, const char *type, const char *prof,
                          const char *sp)
{
    if ((prof != NULL) == (sp != NULL)) {
        api_error_set(&c->err, "ValidationException",
                      "Exactly one of UserProfileName and SpaceName must be specified.");
        return false;
    }
    bool rs = strcmp(type, "RStudioServerPro") == 0;
    if (rs != (g_strcmp0(prof, DOMAIN_SHARED) == 0) || (rs && !rstudio_enabled(d))) {
        api_error_set(&c->err, "ValidationException",
                      rs ? "The RStudioServerPro app runs only as the domain-shared app of a domain "
                           "with RStudioServerProDomainSettings."
                         : "User profile domain-shared runs only the RStudioServerPro app.");
        return false;
    }
    if (strcmp(type, "RSessionGateway") == 0 && !rstudio_enabled(d)) {
        api_error_set(&c->err, "ValidationException",
                      "App type RSessionGateway needs a domain with RStudio enabled.");
        return false;
    }
    if ((strcmp(type, "JupyterLab") == 0 || strcmp(type, "CodeEditor") == 0) && !sp) {
        api_error_set(&c->err, "ValidationException",
                      "App type %s must be created in a space (SpaceName).", type);
        return false;
    }
    if (sp) {
        const sm_space *s = smd__space_get(c->w, d->id, sp);
        if (!s) {
            api_error_set(&c->err, "ResourceNotFound", "Space %s does not exist in domain %s.",
                          sp, d->id);
            return false;
        }
        const char *want = api_str(s->settings, "AppType");
        if (want && strcmp(want, type) != 0) {
            api_error_set(&c->err, "ValidationException",
                          "Space %s is for %s apps, not %s.", sp, want, type);
            return false;
        }
    } else if (!rs) {
        const profile *u = smd__profile_get(c->w, d->id, prof);
        if (!u) {
            api_error_set(&c->err, "ResourceNotFound", "User profile %s does not exist in "
                          "domain %s.", prof, d->id);
            return false;
        }
        if (u->status != SM_IN_SERVICE) {
            api_error_set(&c->err, "ResourceInUse", "User profile %s is in status %s.", prof,
                          sm_status_name(u->status));
            return false;
        }
    }
    return true;
}

/* The app of the request: its ARN, authorised for action. */
static char *app_arn_of(api_call *c, const char *action)
{
    const char *did = api_str(c->input, "DomainId");
    const char *prof = api_str(c->input, "UserProfileName");
    const char *sp = api_str(c->input, "SpaceName");
    g_autofree char *arn = sm_domains_app_arn(world_region(c->w), c->caller->account, did,
                                              sp ? sp : prof ? prof : "",
                                              api_str(c->input, "AppType"),
                                              api_str(c->input, "AppName"));
    api_resource(c, arn, c->caller->account, "AWS::SageMaker::App");
    if (strcmp(action, "sagemaker:CreateApp") == 0 ? !smd__authorize_create(c, action, arn)
        : !api_authorize_simple(c, action, arn))
        return NULL;
    return g_steal_pointer(&arn);
}

static bool create_app(api_call *c)
{
    g_autofree char *arn = app_arn_of(c, "sagemaker:CreateApp");
    if (!arn)
        return false;
    dom *d = smd__domain_for(c, NULL, NULL);
    if (!d || !smd__domain_in_service(c, d))
        return false;
    const char *type = api_str(c->input, "AppType");
    const char *prof = api_str(c->input, "UserProfileName");
    const char *sp = api_str(c->input, "SpaceName");
    if (!app_placement(c, d, type, prof, sp))
        return false;
    const app *cur = g_hash_table_lookup(smd__state_of(c->w)->apps, arn);
    if (cur && cur->status != SM_DELETED && cur->status != SM_FAILED) {
        api_error_set(&c->err, "ResourceInUse", "App %s already exists with status %s.", arn,
                      sm_status_name(cur->status));
        return false;
    }
    /* D7: HiddenAppTypes only hide an app type in the Studio UI; the API
     * still creates it. */
    const app *a = smd__app_put(c->w, d, prof, sp, type, api_str(c->input, "AppName"),
                           smd__obj(c->input, "ResourceSpec"), c->rng);
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "AppArn", a->arn);
    return true;
}

static app *app_for(api_call *c, const char *action)
{
    g_autofree char *arn = app_arn_of(c, action);
    if (!arn)
        return NULL;
    dom *d = smd__domain_for(c, NULL, NULL);
    if (!d)
        return NULL;
    app *a = g_hash_table_lookup(smd__state_of(c->w)->apps, arn);
    if (!a) {
        api_error_set(&c->err, "ResourceNotFound", "App %s does not exist.", arn);
        return NULL;
    }
    return a;
}

static bool describe_app(api_call *c)
{
    app *a = app_for(c, "sagemaker:DescribeApp");
    if (!a)
        return false;
    c->output = smd__app_json(c->w, a);
    return true;
}

static bool delete_app(api_call *c)
{
    app *a = app_for(c, "sagemaker:DeleteApp");
    if (!a)
        return false;
    if (a->status == SM_DELETED || a->status == SM_DELETING) {
        api_error_set(&c->err, "ResourceInUse", "App %s is already %s.", a->arn, sm_status_name(a->status));
        return false;
    }
    if (a->timer)
        world_cancel(c->w, a->timer);
    a->status = SM_DELETING;
    a->timer = world_schedule(c->w, c->now + smd__draw_us(c->rng, APP_DELETE_S), smd__app_settle,
                              g_strdup(a->arn), g_free);
    return true;
}

static gint cmp_app(gconstpointer a, gconstpointer b)
{
    const app *x = *(app *const *)a, *y = *(app *const *)b;
    if (x->created_us != y->created_us)
        return x->created_us < y->created_us ? -1 : 1;
    return strcmp(x->arn, y->arn);
}

static bool list_apps(api_call *c)
{
    if (!api_authorize_simple(c, "sagemaker:ListApps", "*"))
        return false;
    const char *did = api_str(c->input, "DomainIdEquals");
    const char *prof = api_str(c->input, "UserProfileNameEquals");
    const char *sp = api_str(c->input, "SpaceNameEquals");
    g_autoptr(GPtrArray) all = sm_sorted_values(smd__state_of(c->w)->apps, cmp_app);
    g_autoptr(GPtrArray) rows = g_ptr_array_new();
    for (guint i = 0; i < all->len; i++) {
        const app *a = all->pdata[i];
        if (!own_domain(c->w, a->domain_id, c->caller->account) ||
            (did && strcmp(a->domain_id, did) != 0) || (prof && g_strcmp0(a->profile, prof) != 0) ||
            (sp && g_strcmp0(a->space, sp) != 0))
            continue;
        g_ptr_array_add(rows, all->pdata[i]);
    }
    guint first, count;
    if (!sm_order_page(c, rows, &first, &count))
        return false;
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "Apps");
    for (guint i = first; i < first + count; i++) {
        const app *a = rows->pdata[i];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "DomainId", a->domain_id);
        if (a->profile)
            cJSON_AddStringToObject(e, "UserProfileName", a->profile);
        if (a->space)
            cJSON_AddStringToObject(e, "SpaceName", a->space);
        cJSON_AddStringToObject(e, "AppType", a->type);
        cJSON_AddStringToObject(e, "AppName", a->name);
        cJSON_AddStringToObject(e, "Status", sm_status_name(a->status));
        api_add_time(c->w, e, "CreationTime", a->created_us);
        if (a->spec)
            cJSON_AddItemToObject(e, "ResourceSpec", cJSON_Duplicate(a->spec, 1));
        cJSON_AddItemToArray(list, e);
    }
    sm_page_token(c, first, count, rows->len);
    return true;
}

static const api_op ops[] = {
    { "sagemaker:CreateUserProfile", create_user_profile, false, API_TO_CALLER },
    { "sagemaker:DescribeUserProfile", describe_user_profile, true, API_TO_CALLER },
    { "sagemaker:ListUserProfiles", list_user_profiles, true, API_TO_CALLER },
    { "sagemaker:UpdateUserProfile", update_user_profile, false, API_TO_CALLER },
    { "sagemaker:DeleteUserProfile", delete_user_profile, false, API_TO_CALLER },
    { "sagemaker:CreateSpace", create_space, false, API_TO_CALLER },
    { "sagemaker:DescribeSpace", describe_space, true, API_TO_CALLER },
    { "sagemaker:ListSpaces", list_spaces, true, API_TO_CALLER },
    { "sagemaker:DeleteSpace", delete_space, false, API_TO_CALLER },
    { "sagemaker:CreateApp", create_app, false, API_TO_CALLER },
    { "sagemaker:DescribeApp", describe_app, true, API_TO_CALLER },
    { "sagemaker:ListApps", list_apps, true, API_TO_CALLER },
    { "sagemaker:DeleteApp", delete_app, false, API_TO_CALLER },
    { NULL, NULL, false, API_TO_CALLER },
};

/* Profiles, spaces and apps live in the domains' state: one family with
 * model/sm_domains.c, as SageMaker's registry and cards are. */
const api_service api_service_sagemaker_studio = {
    .name = "sagemaker-studio", .prefix = "sagemaker", .event_source = "sagemaker.amazonaws.com",
    .endpoint = "api.sagemaker.%s.amazonaws.com",
    .ops = ops,
};
