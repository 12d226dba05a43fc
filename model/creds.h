/* model/creds.h: the access keys a live crossim accepts (crossim serve).
 *
 * Every principal a scenario declares gets a key when the keyring is made,
 * drawn from the world's seeded stream "serve/credentials" in account, then
 * scenario order, so one scenario and seed always give the same file:
 *   - each role: a session of it named "crossim" (ASIA... key, secret and
 *     session token; it never expires), profile "<alias>-<RoleName>";
 *   - each IAM user: an AKIA... key and secret, profile "<alias>-user-<UserName>";
 *   - each account root: the 12-digit account id as key id and the secret
 *     "test", as moto and LocalStack users expect, profile "<alias>-root";
 * where <alias> is the account's alias, or its id when it has none.  An
 * account's "access_keys" declares a principal's key instead: {"RoleName" |
 * "user/Name" | "root": {"access_key_id", "secret_access_key",
 * "session_token" (roles only; else drawn)}}.
 * sts:AssumeRole adds the temporary credentials it answers (creds_add_session),
 * valid until their Expiration in simulated time. */
#ifndef CROSSIM_CREDS_H
#define CROSSIM_CREDS_H

#include <glib.h>
#include <stdbool.h>

#include "model/world.h"

/* The secret of every account-root key (documented, since signatures are checked). */
#define CREDS_ROOT_SECRET "test"

typedef enum creds_status {
    CREDS_OK,
    CREDS_UNKNOWN,          /* no such access key */
    CREDS_BAD_TOKEN,        /* a session key without its session token, or another one */
    CREDS_EXPIRED           /* a session past its expiration */
} creds_status;

/* Issues the keys above into w's keyring (once; later calls do nothing). */
void creds_issue(world *w);

/* The aws CLI's shared credentials file for every issued profile, in issue
 * order: "[profile]\naws_access_key_id = ...\n..." (a new string). */
char *creds_file_text(world *w);

/* Finds access_key (token: the request's session token or NULL).  On
 * CREDS_OK sets *secret (borrowed) and *who (a new principal calling from
 * origin, with the key as its accessKeyId).  now_us: simulated time. */
creds_status creds_lookup(world *w, const char *access_key, const char *token, int64_t now_us,
                          const principal_origin *origin, const char **secret, principal **who);

/* Registers temporary credentials for a session of role_arn (AssumeRole). */
void creds_add_session(world *w, const char *access_key, const char *secret, const char *token,
                       const char *role_arn, const char *session, int64_t expires_us);

/* The number of keys in the keyring. */
guint creds_count(world *w);

#endif
