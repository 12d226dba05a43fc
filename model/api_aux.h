/* model/api_aux.h: helpers for handlers, built only on the call path's
 * public interface (as Lua's lauxlib is built on lapi): paging, request
 * tag context, and the common short authorisation.
 *
 * Paging: every listing pages n rows it has put in order; the token it
 * hands out is the index of the next row, as decimal text, and a token it
 * did not hand out (not a number, or past the end) is refused with the
 * service's own error.  A page size outside the service's range is left to
 * the input shapes (model/shapes), which know each operation's bounds. */
#ifndef CROSSIM_API_AUX_H
#define CROSSIM_API_AUX_H

#include "model/api.h"

typedef struct api_paging {
    const char *token;       /* input and output member: "NextToken", "nextToken" */
    const char *max;         /* page size member: "MaxResults", "maxResults" */
    guint       dflt;        /* page size when max is absent */
    const char *bad_code;    /* answer to a token this listing did not give */
    const char *bad_fmt;     /* its message; %s is the token */
    const char *next;        /* output member of the next token when it is not
                                `token` (KMS: Marker in, NextMarker out), or NULL */
} api_paging;

/* The page of n rows the input asks for: rows [*first, *first + *count).
 * False, with c->err set, for a bad token. */
bool api_page(api_call *c, const api_paging *pg, guint n, guint *first, guint *count);
/* Adds the token member to out when rows remain after this page. */
void api_page_token(const api_paging *pg, cJSON *out, guint first, guint count, guint n);

/* Tag context.  Request tags become aws:RequestTag/<key> = value and
 * aws:TagKeys, a resource's tags aws:ResourceTag/<key> = value.  tags is a
 * list of {key_member: k, value_member: v} objects ("Key"/"Value" for most
 * services, "TagKey"/"TagValue" for KMS), or, with key_member NULL, a
 * {k: v} object (Clean Rooms ML).  NULL tags add nothing. */
void api_ctx_request_tags(iam_ctx *x, const cJSON *tags, const char *key_member,
                          const char *value_member);
void api_ctx_resource_tags(iam_ctx *x, const cJSON *tags, const char *key_member,
                           const char *value_member);
/* A resource's tags held as world_tag* (IAM roles, RAM shares). */
void api_ctx_world_tags(iam_ctx *x, const GPtrArray *tags);

/* Authorises action on resource in the caller's account with no
 * resource-side policy and no extra context. */
bool api_authorize_simple(api_call *c, const char *action, const char *resource);

#endif
