/* model/kms_int.h: what svc_kms.c (keys, policies, aliases, cryptographic
 * calls) and kms_grants.c (grants) share.  Inside model/ only; the prefix
 * kms__ marks these as the KMS module's own. */
#ifndef CROSSIM_KMS_INT_H
#define CROSSIM_KMS_INT_H

#include "model/api.h"
#include "model/world_int.h"

/* The request context KMS adds (encryption context, kms:ViaService ...). */
iam_ctx   *kms__context(const api_call *c, const cJSON *ectx, const char *key_ref);
/* The key the input member names, recorded as the call's resource; NULL and
 * NotFoundException when none (same_account_only: another account's key is
 * not found). */
world_key *kms__key_for(api_call *c, const char *member, bool same_account_only);
bool       kms__key_usable(api_call *c, const world_key *k);
bool       kms__dry_run(api_call *c);
void       kms__log_request(api_call *c);
/* Key policy, IAM, SCPs, RCPs, then grants (ectx: the request's encryption
 * context, for grant constraints; may be NULL). */
bool       kms__authorize(api_call *c, const char *action, const world_key *k,
                          const iam_ctx *x, const cJSON *ectx);

/* kms_grants.c */
api_grant_match kms__grant_allows(api_call *c, const void *key, const void *ectx,
                                  const char *action);
/* The best match among k's grants for the caller, action and encryption
 * context ectx (may be NULL), with the deciding grant's id in *grant_id
 * (borrowed; grant_id may be NULL). */
api_grant_match kms__grant_match(api_call *c, const world_key *k, const cJSON *ectx,
                                 const char *action, const char **grant_id);
bool kms__create_grant(api_call *c);
bool kms__list_grants(api_call *c);
bool kms__retire_grant(api_call *c);
bool kms__revoke_grant(api_call *c);

#endif
