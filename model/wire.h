/* model/wire.h: the AWS wire protocols, both ways, for `crossim serve`.
 *
 * A request as received is routed to "prefix:Operation" with its input as the
 * call path takes it (the model's member names and types), and an answer or an
 * error is written back in the service's own protocol, from the facts of
 * botocore's models (model/shapes_data.c):
 *   json       POST /, X-Amz-Target "<targetPrefix>.<Op>", a JSON body both ways,
 *              errors {"__type", "message"} (SageMaker, KMS, sso-admin, EMR);
 *   rest-json  method and the model's requestUri template, members from the
 *              path, query string, headers and JSON body; errors with
 *              x-amzn-ErrorType (RAM, Clean Rooms, Clean Rooms ML, Lambda);
 *   query      form-encoded Action=<Op>&Version=... with the model's list and
 *              map flattening; XML answers <OpResponse><OpResult>; errors
 *              <ErrorResponse><Error> (STS, IAM);
 *   ec2        as query, lists always flattened and named by queryName or
 *              locationName; answers <OpResponse> with <requestId>, lists of
 *              <item>; errors <Response><Errors><Error>.
 * Statuses are the model's: an operation's responseCode on success, an error
 * shape's httpStatusCode on failure (else AWS's usual status for the code).
 *   rest-xml   S3: path- or virtual-hosted-style, members from the path, query
 *              string, headers (x-amz-meta-* as a map) and an XML or raw payload
 *              (aws-chunked bodies decoded); XML answers, headers in HTTP's
 *              date form; errors <Error><Code>. */
#ifndef CROSSIM_WIRE_H
#define CROSSIM_WIRE_H

#include <cjson/cJSON.h>
#include <glib.h>
#include <stdbool.h>

#include "model/sigv4.h"

typedef struct wire_reply {
    int      status;
    GString *headers;        /* "Name: value\n" lines */
    GString *body;
    const char *content_type;   /* static; NULL when a header line carries it */
} wire_reply;

void wire_reply_init(wire_reply *r);
void wire_reply_clear(wire_reply *r);

typedef struct wire_call {
    const char *prefix;      /* "ram" (static); NULL when the service is unknown */
    char       *op;          /* "CreateResourceShare", or NULL */
    cJSON      *input;       /* owned; {} when the request has none */
} wire_call;

void wire_call_clear(wire_call *c);

/* Routes and decodes.  signing: the SigV4 credential scope's service (NULL
 * when unsigned).  On failure returns false with *code (static) and
 * *message (owned) set, and c->prefix set when the service was found (so
 * the error takes its protocol's form). */
bool wire_decode(const sigv4_request *r, const char *signing, wire_call *c,
                 const char **code, char **message);

/* The service whose requests are signed for this name ("sagemaker",
 * "sso", "cleanrooms-ml"), or NULL. */
const char *wire_prefix_for_signing(const char *signing);
/* A service's protocol ("json", ...), NULL when unknown. */
const char *wire_protocol(const char *prefix);

/* The success answer of prefix:op with output (may be NULL). */
void wire_answer(const char *prefix, const char *op, const cJSON *output,
                 const char *request_id, wire_reply *out);
/* An error answer.  prefix may be NULL (unknown service: the json form). */
void wire_error(const char *prefix, const char *code, const char *message,
                const char *request_id, wire_reply *out);

/* How a request's authentication failed, and the code and message each
 * protocol answers it with (AWS's own words). */
typedef enum wire_auth_failure {
    WIRE_AUTH_MISSING,        /* no Authorization header */
    WIRE_AUTH_MALFORMED,      /* an Authorization header AWS cannot read */
    WIRE_AUTH_UNKNOWN_KEY,
    WIRE_AUTH_BAD_SIGNATURE,
    WIRE_AUTH_EXPIRED_TOKEN,
    WIRE_AUTH_SKEWED,         /* request time too far from the server's clock */
    WIRE_AUTH_SCOPE_DATE,     /* the credential scope's date is not the request's */
    WIRE_AUTH_REGION,         /* signed for another region than the service's */
    WIRE_AUTH_PAYLOAD_HASH    /* S3: x-amz-content-sha256 is not the body's */
} wire_auth_failure;
/* *message is owned; detail completes it where AWS's text has a part
 * (the skew: "20150830T123600Z is now earlier than ..."). */
void wire_auth_error(const char *prefix, wire_auth_failure f, const char *detail,
                     const char **code, char **message);
/* S3: whether the x-amz-content-sha256 a request signed is its body's hash
 * (always true for other services, UNSIGNED-PAYLOAD and streaming bodies). */
bool wire_payload_hash_ok(const char *prefix, const sigv4_request *r);
/* The region a request to prefix must be signed for: the world's, or a
 * global service's own (IAM: us-east-1). */
const char *wire_signing_region(const char *prefix, const char *world_region);
/* The largest clock skew a service accepts, in seconds (S3: 15 min, else 5). */
int  wire_max_skew_s(const char *prefix);

#endif
