/* model/trails.h: what each account's CloudTrail trail records (SPEC L6).
 *
 * A new account set up the usual way has one multi-region trail that
 * records management events only; data events (S3 object calls: GetObject,
 * PutObject, HeadObject, DeleteObject, ListObjects) reach an account's log
 * only when its trail selects their resource type.  A scenario declares it
 * per account: "trail": {"data_events": ["AWS::S3::Object"]}.
 *
 * An organization trail ("trail": {"organization": true} in the management
 * account) records the events of every account of the organization, into
 * the management account's bucket under AWSLogs/<org-id>/<account>/.  A
 * member with no "trail" of its own then has no other trail; one that
 * declares its own has both, and its records reach both. */
#ifndef CROSSIM_TRAILS_H
#define CROSSIM_TRAILS_H

#include <stdbool.h>

#include "model/api.h"
#include "model/world.h"

/* One trail an account's records reach: org NULL for the account's own
 * trail, else the organization id; data_types: the data resource types it
 * selects (borrowed; NULL or empty: management events only). */
typedef struct trails_trail {
    const char      *org;
    const GPtrArray *data_types;
} trails_trail;
/* Fills out with the trails account's records reach (one or two); returns
 * how many. */
guint trails_of(const world *w, const char *account, trails_trail out[2]);

/* Whether one of account's trails records data events on resources of type
 * (CloudTrail's resources.type, "AWS::S3::Object"). */
bool trails_log_data(world *w, const char *account, const char *type);
/* Makes account's trail record data events on resources of type too. */
void trails_select_data(world *w, const char *account, const char *type);

/* cloudtrail:LookupEvents (model/cloudtrail_lookup.c). */
bool cloudtrail_lookup_events(api_call *c);

#endif
