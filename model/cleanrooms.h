/* model/cleanrooms.h: AWS Clean Rooms collaborations as Clean Rooms ML sees them.
 *
 * The Clean Rooms operations themselves are in the table api_ops_cleanrooms
 * (model/cleanrooms.c): collaborations with their members and abilities,
 * memberships, and configured audience model associations.  Clean Rooms ML
 * asks one question of it (SPEC CR9): what is an account's standing in a
 * collaboration. */
#ifndef CROSSIM_CLEANROOMS_H
#define CROSSIM_CLEANROOMS_H

#include <stdbool.h>

#include "model/api.h"

/* The member status ("INVITED", "ACTIVE", "LEFT", "REMOVED") of account in
 * the collaboration with id collab_id; "" when the account is not a member;
 * NULL when there is no such collaboration (never made, or deleted).
 * The string is borrowed. */
const char *cleanrooms_member_status(world *w, const char *collab_id, const char *account);

/* nextToken/maxResults (default 100) paging over n sorted rows, shared by
 * Clean Rooms and Clean Rooms ML: the first row and the count of this page;
 * false (ValidationException) on a bad token.  The token, when rows remain,
 * goes into c->output as nextToken. */
bool cleanrooms_page(api_call *c, guint n, guint *first, guint *count);
void cleanrooms_page_token(api_call *c, guint first, guint count, guint n);

#endif
