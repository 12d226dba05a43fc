/* model/kms.h: AWS KMS as other services see it.
 *
 * The KMS operations themselves are in the table api_ops_kms (model/svc_kms.c).
 * Services that encrypt with a customer's key (SageMaker model cards) use the
 * key with the caller's own rights, as AWS's forward access sessions do: the
 * call is made through api_invoke_via, so it is authorised with kms:ViaService
 * and friends set and recorded as CloudTrail records it (the caller's identity
 * with invokedBy = the service), in the caller's and the key owner's logs. */
#ifndef CROSSIM_KMS_H
#define CROSSIM_KMS_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "model/api.h"

/* Makes the KMS call `action` ("kms:Decrypt", "kms:GenerateDataKey",
 * "kms:Encrypt") on key_ref (key id, key ARN, alias/NAME or alias ARN, read
 * in caller's account) as caller, by service ("sagemaker.amazonaws.com"),
 * with encryption_context (a flat object of strings, borrowed; may be NULL).
 * For kms:Decrypt the ciphertext is the one KMS would have made for that key
 * and context, so only authorisation and the key's state decide.
 * r: the stream for generated ids (NULL: a world stream).
 * Returns true when KMS allowed it; false with *err set (KMS's code and
 * message: AccessDeniedException, NotFoundException, ...).  err may be NULL. */
bool kms_use(world *w, const principal *caller, rng *r, const char *service,
             const char *action, const char *key_ref, const cJSON *encryption_context,
             api_error *err);

/* The key that key_ref names for a caller of caller_account: a key ARN or
 * alias ARN of any account, or a key id or alias/NAME of caller_account
 * (aliases from the scenario's key labels and from CreateAlias).  Borrowed;
 * NULL when there is no such key. */
world_key *kms_key_find(world *w, const char *key_ref, const char *caller_account);

#endif
