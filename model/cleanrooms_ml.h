/* model/cleanrooms_ml.h: AWS Clean Rooms ML as other services see it.
 *
 * The Clean Rooms ML operations themselves are in the table
 * api_ops_cleanrooms_ml (model/cleanrooms_ml.c).  Clean Rooms reads a
 * configured audience model's resource policy when it manages that policy
 * for an association (manageResourcePolicies, SPEC CR5); it changes the
 * policy through a real PutConfiguredAudienceModelPolicy call made with the
 * caller's rights, never behind the service's back. */
#ifndef CROSSIM_CLEANROOMS_ML_H
#define CROSSIM_CLEANROOMS_ML_H

#include <stdbool.h>

#include "model/api.h"

/* True when a configured audience model with this ARN exists. */
bool        cleanrooms_ml_cam_exists(world *w, const char *cam_arn);
/* The CAM's resource policy text, or NULL when it has none (or does not
 * exist).  Borrowed: valid until the policy changes. */
const char *cleanrooms_ml_cam_policy(world *w, const char *cam_arn);
/* The policyHash AWS returns for policy text: SHA-256, lower-case hex.
 * A new string. */
char       *cleanrooms_ml_policy_hash(const char *policy_text);

#endif
