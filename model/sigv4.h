/* model/sigv4.h: AWS Signature Version 4, as a service checks it.
 *
 * The request as received (method, the raw percent-encoded path and query,
 * headers, body); the Authorization header "AWS4-HMAC-SHA256 Credential=
 * KEY/DATE/REGION/SERVICE/aws4_request, SignedHeaders=a;b, Signature=hex"
 * parsed; then the canonical request, the string to sign and the signature
 * computed with the secret of the key, as AWS's "Create a signed AWS API
 * request" describes it: the path normalised and encoded again except for
 * S3, the query re-encoded and sorted, the signed headers' values trimmed and
 * their inner spaces folded, the payload hash from x-amz-content-sha256 when
 * sent (S3's UNSIGNED-PAYLOAD included) or the body's SHA-256.  Hashing is
 * GLib's (GChecksum, GHmac); the compare runs in constant time. */
#ifndef CROSSIM_SIGV4_H
#define CROSSIM_SIGV4_H

#include <glib.h>
#include <stdbool.h>

typedef struct sigv4_header { const char *name, *value; } sigv4_header;

typedef struct sigv4_request {
    const char         *method;
    const char         *path;        /* as sent, percent-encoded, no query */
    const char         *query;       /* as sent after '?', or NULL */
    const sigv4_header *headers;     /* as received, any case, repeats allowed */
    gsize               n_headers;
    const char         *body;
    gsize               body_len;
} sigv4_request;

typedef struct sigv4_auth {
    char *key, *date, *region, *service;   /* from Credential= */
    char *signed_headers, *signature;
    char *amz_date;                         /* X-Amz-Date (or Date) */
} sigv4_auth;

void sigv4_auth_clear(sigv4_auth *a);

typedef enum sigv4_parse_status {
    SIGV4_PARSED,
    SIGV4_MISSING,          /* no Authorization header */
    SIGV4_MALFORMED         /* present but not SigV4 as AWS reads it (*why says how) */
} sigv4_parse_status;

/* Reads the Authorization header and the request time. */
sigv4_parse_status sigv4_parse(const sigv4_request *r, sigv4_auth *out, char **why);

/* The first value of a header (case-insensitive name), or NULL. */
const char *sigv4_header_value(const sigv4_request *r, const char *name);

/* The canonical request and the signature (64 hex digits) for secret; s3:
 * the path as sent, not normalised nor encoded again.  Both new strings;
 * canonical may be NULL. */
char *sigv4_signature(const sigv4_request *r, const sigv4_auth *a, const char *secret, bool s3,
                      char **canonical);

/* Constant-time equality of two strings of the same length. */
bool  sigv4_equal(const char *a, const char *b);

/* The request time X-Amz-Date ("20150830T123600Z") as Unix seconds, or -1. */
gint64 sigv4_time(const char *amz_date);

#endif
