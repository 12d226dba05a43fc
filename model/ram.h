/* model/ram.h: AWS RAM as other services see it.
 *
 * The RAM operations themselves are in the table api_ops_ram.  Services that
 * own shareable resources ask RAM two questions: which resource-based
 * policies RAM holds for a resource (the policy RAM writes from each share's
 * managed permission, for the principals whose association is ASSOCIATED),
 * and whether a resource is visible ("discoverable") to an account. */
#ifndef CROSSIM_RAM_H
#define CROSSIM_RAM_H

#include <glib.h>
#include <stdbool.h>

#include "model/api.h"


/* The policies RAM holds for resource_arn that can apply to caller: a new
 * array of iam_policy* (each referenced; the array's free function unrefs
 * them).  RAM writes one policy per share holding the resource; only the
 * shares that name caller's account (by id, or by a role or user ARN in it)
 * or an org or OU are returned, because no other share's policy can match
 * caller, so the decision is the one all the policies would give, at a cost
 * that does not grow with the shares other accounts hold (S1).  Shares that
 * are not ACTIVE and associations that are not ASSOCIATED grant nothing.
 * The policies read the share's associations live: use them within the call. */
GPtrArray *ram_resource_policies(world *w, const char *resource_arn, const principal *caller);

/* True when account can discover resource_arn through a STANDARD share
 * (promoted, or made in RAM) whose association with it is ASSOCIATED. */
bool       ram_discoverable(world *w, const char *resource_arn, const char *account);

/* For resource policies attached outside RAM (PutModelPackageGroupPolicy):
 * makes or replaces the CREATED_FROM_POLICY share of resource_arn, owned by
 * owner, for the policy document doc (the principals and actions in it).
 * Sends invitations to outside accounts as RAM does.  NULL doc removes it. */
void       ram_policy_share_sync(world *w, const char *resource_arn, const char *owner,
                                 const cJSON *doc);

/* What became of the share RAM made from resource_arn's attached policy, as
 * seen by account (NULL: by anyone): NONE when there is no such share any
 * more (never made, or deleted in RAM: the policy is gone), REVOKED when the
 * owner disassociated the account (or it rejected or let expire the
 * invitation of the promoted share), LIVE otherwise (MPG7). */
typedef enum ram_policy_state {
    RAM_POLICY_NONE, RAM_POLICY_LIVE, RAM_POLICY_REVOKED
} ram_policy_state;
ram_policy_state ram_policy_share_state(world *w, const char *resource_arn, const char *account);

/* The ARN prefix types RAM knows: "sagemaker:ModelCard" for a model-card
 * ARN, ...; NULL when RAM cannot share that type. */
const char *ram_type_of_arn(const char *arn);

#endif
