/* model/trail_table.c: the CloudTrail table's columns (see trail_table.h). */
#include "model/trail_table.h"

#include <glib.h>
#include <string.h>

const trail_column trail_columns[] = {
    { "eventversion",                   "eventVersion",                          TRAIL_COL_TEXT },
    { "useridentity",                   "userIdentity",                          TRAIL_COL_JSON },
    { "useridentity_type",              "userIdentity.type",                     TRAIL_COL_TEXT },
    { "useridentity_principalid",       "userIdentity.principalId",              TRAIL_COL_TEXT },
    { "useridentity_arn",               "userIdentity.arn",                      TRAIL_COL_TEXT },
    { "useridentity_accountid",         "userIdentity.accountId",                TRAIL_COL_TEXT },
    { "useridentity_invokedby",         "userIdentity.invokedBy",                TRAIL_COL_TEXT },
    { "useridentity_accesskeyid",       "userIdentity.accessKeyId",              TRAIL_COL_TEXT },
    { "useridentity_username",          "userIdentity.userName",                 TRAIL_COL_TEXT },
    { "useridentity_sessionissuer_arn", "userIdentity.sessionContext.sessionIssuer.arn", TRAIL_COL_TEXT },
    { "eventtime",                      "eventTime",                             TRAIL_COL_TEXT },
    { "eventsource",                    "eventSource",                           TRAIL_COL_TEXT },
    { "eventname",                      "eventName",                             TRAIL_COL_TEXT },
    { "awsregion",                      "awsRegion",                             TRAIL_COL_TEXT },
    { "sourceipaddress",                "sourceIPAddress",                       TRAIL_COL_TEXT },
    { "useragent",                      "userAgent",                             TRAIL_COL_TEXT },
    { "errorcode",                      "errorCode",                             TRAIL_COL_TEXT },
    { "errormessage",                   "errorMessage",                          TRAIL_COL_TEXT },
    { "requestparameters",              "requestParameters",                     TRAIL_COL_JSON },
    { "responseelements",               "responseElements",                      TRAIL_COL_JSON },
    { "additionaleventdata",            "additionalEventData",                   TRAIL_COL_JSON },
    { "requestid",                      "requestID",                             TRAIL_COL_TEXT },
    { "eventid",                        "eventID",                               TRAIL_COL_TEXT },
    { "readonly",                       "readOnly",                              TRAIL_COL_BOOL },
    { "resources",                      "resources",                             TRAIL_COL_JSON },
    { "eventtype",                      "eventType",                             TRAIL_COL_TEXT },
    { "apiversion",                     "apiVersion",                            TRAIL_COL_TEXT },
    { "managementevent",                "managementEvent",                       TRAIL_COL_BOOL },
    { "recipientaccountid",             "recipientAccountId",                    TRAIL_COL_TEXT },
    { "serviceeventdetails",            "serviceEventDetails",                   TRAIL_COL_JSON },
    { "sharedeventid",                  "sharedEventID",                         TRAIL_COL_TEXT },
    { "vpcendpointid",                  "vpcEndpointId",                         TRAIL_COL_TEXT },
    { "eventcategory",                  "eventCategory",                         TRAIL_COL_TEXT },
    { "tlsdetails",                     "tlsDetails",                            TRAIL_COL_JSON },
};
const size_t trail_n_columns = G_N_ELEMENTS(trail_columns);

const char *const trail_indexes[] = {
    "recipientaccountid, eventtime",
    "useridentity_arn",
    "eventname",
    "errorcode",
    "sharedeventid",
    "eventid",
    NULL,
};

/* The member at a dotted path, or NULL. */
static const cJSON *member_at(const cJSON *rec, const char *path)
{
    const cJSON *at = rec;
    const char *p = path;
    while (at && *p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        char name[64];
        if (n >= sizeof name || !cJSON_IsObject(at))
            return NULL;
        memcpy(name, p, n);
        name[n] = '\0';
        at = cJSON_GetObjectItemCaseSensitive(at, name);
        p += n + (dot ? 1 : 0);
    }
    return at;
}

char *trail_column_value(const trail_column *c, const cJSON *rec)
{
    const cJSON *v = member_at(rec, c->path);
    if (!v || cJSON_IsNull(v))
        return NULL;
    switch (c->kind) {
    case TRAIL_COL_TEXT:
        return cJSON_IsString(v) ? g_strdup(v->valuestring) : NULL;
    case TRAIL_COL_BOOL:
        return cJSON_IsBool(v) ? g_strdup(cJSON_IsTrue(v) ? "true" : "false") : NULL;
    case TRAIL_COL_JSON: {
        char *t = cJSON_PrintUnformatted(v);
        char *out = g_strdup(t);
        cJSON_free(t);
        return out;
    }
    }
    return NULL;
}
