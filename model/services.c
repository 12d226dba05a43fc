/* model/services.c: the list of services (as Lua's linit.c lists its
 * libraries).  Adding a service is its file and one line here.  The order
 * is the order account keys load in (IAM's managed policies before any
 * other service reads a role) and the order of the operation table. */
#include "model/service.h"

#include <string.h>

/* One line per service: X(name) stands for api_service_<name>. */
#define SERVICES(X)            \
    X(sts)                     \
    X(iam)                     \
    X(organizations)           \
    X(ram)                     \
    X(kms)                     \
    X(s3)                      \
    X(lambda)                  \
    X(emr)                     \
    X(sagemaker_cards)         \
    X(sagemaker_registry)      \
    X(cleanrooms)              \
    X(cleanrooms_ml)           \
    X(sagemaker_domains)       \
    X(sagemaker_studio)        \
    X(sso_admin)               \
    X(sagemaker_jobs)          \
    X(sagemaker_pipelines)     \
    X(ec2)                     \
    X(infra)                   \
    X(cloudtrail)              \
    X(credentials)

#define DECLARE(n) extern const api_service api_service_##n;
#define ENTRY(n) &api_service_##n,
SERVICES(DECLARE)

const api_service *const api_services[] = { SERVICES(ENTRY) NULL };

const api_service *api_service_of(const char *prefix)
{
    for (const api_service *const *s = api_services; prefix && *s; s++)
        if (g_strcmp0((*s)->prefix, prefix) == 0)
            return *s;
    return NULL;
}
