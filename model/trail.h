/* model/trail.h: what the model hands the recorder: one trail_event per
 * call or service happening, with everything its CloudTrail records need.
 * The recorder (sim/recorder) includes this header only, not the call path. */
#ifndef CROSSIM_TRAIL_H
#define CROSSIM_TRAIL_H

#include <cjson/cJSON.h>
#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct world world;
typedef struct principal principal;
typedef struct trail_event trail_event;

typedef enum trail_kind { TRAIL_API_CALL, TRAIL_SERVICE_EVENT } trail_kind;

/* How a call ended, for the summary's counters: the model knows which AWS
 * error codes are denials and which throttles; the recorder does not. */
typedef enum trail_outcome {
    TRAIL_OK, TRAIL_FAILED, TRAIL_DENIED, TRAIL_THROTTLED
} trail_outcome;
/* The outcome an error code stands for (NULL: TRAIL_OK). */
trail_outcome trail_outcome_of(const char *error_code);

struct trail_event {
    trail_kind  kind;
    int64_t     time_us;             /* completion time */
    char       *event_source;        /* "ram.amazonaws.com" */
    char       *region;              /* awsRegion; NULL: the scenario's (IAM: us-east-1) */
    char       *event_name;
    bool        read_only, management;
    const char *data_type;           /* a data event (eventCategory "Data"): the
                                        resource type trails select it by (static,
                                        "AWS::S3::Object"); NULL: a management event */
    char       *user_identity;       /* the caller copy's userIdentity, JSON text */
    const char *identity_type;       /* its type: "AssumedRole", "AWSService", ... */
    char       *identity_arn;        /* its arn; NULL for services */
    char       *invoked_by;          /* its invokedBy: the service acting, or NULL */
    char       *caller_account;      /* NULL for service events */
    char       *caller_principal_id; /* for AWSAccount copies */
    char       *source_ip, *user_agent, *vpc_endpoint_id;
    char       *tls_host;            /* tlsDetails' clientProvidedHostHeader: the
                                        endpoint a client called; NULL: no tlsDetails
                                        (a service's own call, a service event) */
    cJSON      *request_parameters;  /* owned; NULL -> null */
    cJSON      *response_elements;   /* owned; NULL -> null */
    cJSON      *additional_data;     /* additionalEventData, or NULL */
    cJSON      *service_details;     /* serviceEventDetails, or NULL */
    cJSON      *resources;           /* [{ARN, accountId, type}] or NULL */
    char       *error_code, *error_message;
    trail_outcome outcome;           /* what the error code means: set both with
                                        trail_event_set_error */
    char       *decision;            /* a denied call's deciding layer and statement
                                        ("scp: explicit Deny in ..."), for review
                                        beside the record, never in it; or NULL */
    char        request_id[37];
    GPtrArray  *recipients;          /* char* account ids, first = caller's */
};
trail_event *trail_event_new(trail_kind kind, const char *source, const char *name);
void         trail_event_free(trail_event *ev);
/* Sets the identity members from the caller p (invoked_by: the service
 * calling for p, or NULL). */
void         trail_event_set_identity(trail_event *ev, const world *w, const principal *p,
                                      const char *invoked_by);
/* A service acting on its own: {"type":"AWSService","invokedBy":service}. */
void         trail_event_set_service_identity(trail_event *ev, const char *service);
/* Sets the error code and message (copied) and the outcome they mean. */
void         trail_event_set_error(trail_event *ev, const char *code, const char *message);
/* Adds account to the recipients unless already there or not a 12-digit
 * account id (those name no account: nobody receives the copy). */
void         trail_event_add_recipient(trail_event *ev, const char *account);

#endif
