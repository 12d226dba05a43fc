/* model/trails.h: what each account's CloudTrail trail records (SPEC L6).
 *
 * A new account set up the usual way has one multi-region trail that
 * records management events only; data events (S3 object calls: GetObject,
 * PutObject, HeadObject, DeleteObject, ListObjects) reach an account's log
 * only when its trail selects their resource type.  A scenario declares it
 * per account: "trail": {"data_events": ["AWS::S3::Object"]}. */
#ifndef CROSSIM_TRAILS_H
#define CROSSIM_TRAILS_H

#include <stdbool.h>

#include "model/world.h"

/* Whether account's trail records data events on resources of type
 * (CloudTrail's resources.type, "AWS::S3::Object"). */
bool trails_log_data(world *w, const char *account, const char *type);
/* Makes account's trail record data events on resources of type too. */
void trails_select_data(world *w, const char *account, const char *type);

#endif
