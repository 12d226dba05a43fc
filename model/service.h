/* model/service.h: what one service is to the rest of crossim.
 *
 * Every service module exports one api_service, and model/services.c lists
 * them all, as Lua's linit.c lists its libraries.  The call path
 * (model/api.c), the scenario loader, `crossim explain` and the run summary
 * loop over that list: none of them names a service.  Adding a service is
 * its file plus one line in model/services.c (and its operations in
 * tools/gen-shapes.py, for input validation).
 *
 * A family of modules may share one IAM prefix (SageMaker's cards,
 * registry, domains, jobs and pipelines are five descriptors with prefix
 * "sagemaker"); facts about the prefix (event source, log region, API
 * version) must then agree, which tests/unit/test-shapes.c checks. */
#ifndef CROSSIM_SERVICE_H
#define CROSSIM_SERVICE_H

#include <cjson/cJSON.h>
#include <glib.h>
#include <stdbool.h>

#include "model/api.h"
#include "model/base/jload.h"

typedef struct api_service {
    const char   *name;            /* the module, for messages: "sagemaker-jobs" */
    const char   *prefix;          /* IAM action prefix of its operations: "sagemaker" */
    const char   *event_source;    /* eventSource of its records: "sagemaker.amazonaws.com" */
    const char   *log_region;      /* awsRegion of its records; NULL: the scenario's */
    const char   *endpoint;        /* the host a client calls, its records' tlsDetails
                                      clientProvidedHostHeader: "ram.%s.amazonaws.com"
                                      (%s: the region) or a global host; NULL: none */
    const char   *api_version;     /* query protocol: the version InvalidAction names */
    const api_op *ops;             /* its operations; the last has action NULL */
    const char   *denied_code;     /* a denial's error code; NULL: by protocol
                                      (AccessDenied, AccessDeniedException) */
    const char   *denied_preamble; /* put before IAM's denial message, or NULL */
    const char *const *happenings; /* kinds it sends with world_notify; NULL-terminated */
    const char *const *unauthorized; /* its operations no policy decides (they need no
                                      permission, and a Deny does not stop them);
                                      NULL-terminated, or NULL */
    bool          rcp;             /* resource control policies bound its resources (the
                                      services the Organizations User Guide lists) */
    /* A request the service refuses before any policy is read (reserved
     * names such as KMS's alias/aws/): AWS's message and *code, or NULL. */
    const char *(*refuses)(const char *action, const char *resource, const char **code);

    /* Scenario set-up.  account_keys: the keys of an account body it loads
     * (NULL-terminated, or NULL), with load_account called once per account
     * in services order; scenario_key: a top-level key it configures
     * ("jobs"), with configure, called only when the key is present.  Problems go
     * to l, located by path; the loader goes on after each. */
    const char *const *account_keys;
    void  (*load_account)(world *w, world_account *a, const cJSON *body, const char *path,
                          jload *l);
    const char   *scenario_key;
    void  (*configure)(world *w, const cJSON *v, const char *path, jload *l);
    /* Once every service has loaded and configured: checks what depends on
     * another service's set-up (an organization trail on the organization's
     * management account), or NULL. */
    void  (*check)(world *w, jload *l);

    /* `crossim explain`: when resource is one of this service's resources
     * with a resource-side policy that decides action for caller, appends
     * the compiled policies (borrowed: they live as long as the world) to
     * out, sets *mode and *owner (a new string, may be left NULL: the ARN's
     * account) and returns true; the same policies the call path reads. */
    bool  (*resource_policies)(world *w, const principal *caller, const char *action,
                               const char *resource, GPtrArray *out, api_resource_mode *mode,
                               char **owner);

    /* `crossim explain`: whether a grant of this service's lets c's caller do
     * action on resource (the policies having left it implicitly denied),
     * with the request's encryption context ectx (may be NULL); the deciding
     * grant's id in *grant_id (borrowed).  NULL: the service has no grants. */
    api_grant_match (*grant_for)(api_call *c, const char *action, const char *resource,
                                 const cJSON *ectx, const char **grant_id);

    /* The run summary: summary.json's "services".stats_key, or NULL. */
    const char   *stats_key;
    cJSON       *(*stats)(world *w);
} api_service;

/* Every service, in the order their account keys load; NULL-terminated. */
extern const api_service *const api_services[];

/* The service of an IAM prefix (the first listed with it), or NULL. */
const api_service *api_service_of(const char *prefix);

#endif
