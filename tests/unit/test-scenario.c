/* tests/unit/test-scenario.c: scenario files, their errors, durations and
 * ${...} references.  Every bad-input case names the exact file:line:col and
 * JSON path the user must see. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "model/base/json.h"
#include "sim/actor.h"
#include "model/base/duration.h"
#include "sim/jsonpos.h"
#include "sim/run.h"
#include "sim/scenario.h"
#include "sim/tmpl.h"

static char *tmpdir;

static char *write_file(const char *name, const char *text)
{
    char *path = g_build_filename(tmpdir, name, NULL);
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    return path;
}

/* ---- durations ------------------------------------------------------------- */

static void test_durations(void)
{
    static const struct { const char *text; int64_t us; } good[] = {
        { "0s", 0 }, { "90s", 90000000 }, { "10m", 600000000 }, { "2h", 7200000000LL },
        { "1d", 86400000000LL }, { "250ms", 250000 }, { "1h30m", 5400000000LL },
        { "1m1ms", 60001000 },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(good); i++) {
        int64_t us = -1;
        g_assert_true(dur_parse(good[i].text, &us));
        g_assert_cmpint(us, ==, good[i].us);
    }
    static const char *const bad[] = { "", "10", "10x", "-5s", "s", "1.5h", "5 m",
                                       "99999999999999999999d", "10mm" };
    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        int64_t us;
        g_assert_false(dur_parse(bad[i], &us));
    }
    char out[32];
    dur_format(5400000000LL, out);
    g_assert_cmpstr(out, ==, "1h30m");
    dur_format(0, out);
    g_assert_cmpstr(out, ==, "0s");
    int64_t t;
    g_assert_true(time_parse_iso("2026-01-05T09:00:00Z", &t));
    g_assert_cmpint(t, ==, 1767603600);
    g_assert_false(time_parse_iso("yesterday", &t));
}

/* ---- references -------------------------------------------------------------- */

static const cJSON *lookup(void *user, const char *ref)
{
    const cJSON *saved = user;
    gsize n = strcspn(ref, ".[");
    g_autofree char *head = g_strndup(ref, n);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(saved, head);
    return v ? tmpl_path(v, ref + n) : NULL;
}

static void test_references(void)
{
    g_autoptr(cJSON) saved = cJSON_Parse(
        "{\"card\":{\"ModelCardArn\":\"arn:x\",\"Versions\":[{\"V\":3}]},"
        "\"inv\":{\"list\":[{\"a\":\"b\"}]},\"n\":{\"v\":7},\"key\":\"v\"}");
    g_autoptr(cJSON) t = cJSON_Parse(
        "{\"Arn\":\"${card.ModelCardArn}\",\"Text\":\"v=${card.Versions[0].V}!\","
        "\"Whole\":\"${inv.list}\",\"Num\":\"${n.v}\",\"Policy\":\"${aws:username}/${*}\",\"Nested\":\"x-${n.${key}}\"}");
    char *missing = NULL;
    g_autoptr(cJSON) out = tmpl_expand(t, lookup, saved, &missing);
    g_assert_nonnull(out);
    g_assert_cmpstr(cJSON_GetObjectItem(out, "Arn")->valuestring, ==, "arn:x");
    g_assert_cmpstr(cJSON_GetObjectItem(out, "Text")->valuestring, ==, "v=3!");
    g_assert_true(cJSON_IsArray(cJSON_GetObjectItem(out, "Whole")));
    g_assert_true(cJSON_IsNumber(cJSON_GetObjectItem(out, "Num")));
    g_assert_cmpstr(cJSON_GetObjectItem(out, "Nested")->valuestring, ==, "x-7");
    /* IAM policy variables pass through untouched. */
    g_assert_cmpstr(cJSON_GetObjectItem(out, "Policy")->valuestring, ==, "${aws:username}/${*}");

    g_autoptr(cJSON) t2 = cJSON_Parse("{\"A\":[\"x\",\"${nope.Field}\"]}");
    g_autoptr(cJSON) out2 = tmpl_expand(t2, lookup, saved, &missing);
    g_assert_null(out2);
    g_assert_cmpstr(missing, ==, "nope.Field");
    g_free(missing);
}

/* ---- positions ------------------------------------------------------------------ */

static void test_positions(void)
{
    const char *text = "{\n  \"a\": 1,\n  \"b\": [\n    true,\n    {\"c\": \"é\", \"d\": null}\n  ]\n}\n";
    GError *e = NULL;
    g_autoptr(jdoc) d = jdoc_parse("p.json", text, strlen(text), &e);
    g_assert_no_error(e);
    const cJSON *b = cJSON_GetObjectItem(jdoc_root(d), "b");
    int line, col;
    jdoc_pos(d, b, &line, &col);
    g_assert_cmpint(line, ==, 3);
    g_assert_cmpint(col, ==, 8);
    jdoc_key_pos(d, b, &line, &col);
    g_assert_cmpint(line, ==, 3);
    g_assert_cmpint(col, ==, 3);
    const cJSON *dd = cJSON_GetObjectItem(cJSON_GetArrayItem(b, 1), "d");
    jdoc_pos(d, dd, &line, &col);
    g_assert_cmpint(line, ==, 5);
    g_assert_cmpint(col, ==, 21);   /* columns count characters: é is one */

    const char *broken = "{\n  \"a\": 1,\n  \"b\": [1, 2,, 3]\n}";
    g_assert_null(jdoc_parse("bad.json", broken, strlen(broken), &e));
    g_assert_nonnull(e);
    g_assert_true(g_str_has_prefix(e->message, "bad.json:3:"));
    g_clear_error(&e);
}

/* ---- scenario errors ---------------------------------------------------------------- */

#define ACCOUNTS \
    "  \"accounts\": {\n" \
    "    \"111111111111\": { \"alias\": \"owner\", \"roles\": { \"Admin\": {} } },\n" \
    "    \"222222222222\": { \"alias\": \"consumer\" }\n" \
    "  },\n"

typedef struct bad_case {
    const char *name;
    const char *text;
    const char *want;     /* substring of the error, with FILE replaced by the path */
} bad_case;

static const bad_case bad_cases[] = {
    { "duration",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"actors\": [\n"
      "    { \"name\": \"a\", \"as\": \"arn:aws:iam::111111111111:role/Admin\", \"script\": [\n"
      "      { \"after\": \"10x\", \"call\": \"sts:GetCallerIdentity\" } ] } ]\n}\n",
      ":9:18: actors[0].script[0].after: \"10x\" is not a duration (use 90s, 10m, 2h, 1d)" },
    /* CloudTrail's CreateTrail: IsOrganizationTrail is for the management
     * account only (NotOrganizationMasterAccountException), and needs an
     * organization (OrganizationsNotInUseException). SPEC L6. */
    { "L6-organization-trail-in-member",
      "{\n  \"scenario\": \"x\",\n"
      "  \"organization\": { \"id\": \"o-a1b2c3d4e5\", \"management\": \"111111111111\",\n"
      "    \"accounts\": [\"222222222222\"] },\n"
      "  \"accounts\": {\n    \"111111111111\": {},\n"
      "    \"222222222222\": { \"trail\": { \"organization\": true } }\n  }\n}\n",
      ":7:50: accounts.222222222222.trail.organization: NotOrganizationMasterAccountException: only the "
      "management account 111111111111 can create an organization trail" },
    { "L6-organization-trail-without-organization",
      "{\n  \"scenario\": \"x\",\n"
      "  \"accounts\": {\n    \"111111111111\": { \"trail\": { \"organization\": true } }\n  }\n}\n",
      ":4:50: accounts.111111111111.trail.organization: OrganizationsNotInUseException: an organization trail "
      "needs an \"organization\", and account 111111111111 is in none" },
    { "L6-two-organization-trails",
      "{\n  \"scenario\": \"x\",\n"
      "  \"accounts\": {\n    \"111111111111\": { \"trail\": { \"organization\": true } },\n"
      "    \"222222222222\": { \"trail\": { \"organization\": true } }\n  }\n}\n",
      ":5:50: accounts.222222222222.trail.organization: account 111111111111 already has the organization trail" },
    { "unknown-top-key",
      "{\n  \"scenario\": \"x\",\n  \"sead\": 3,\n" ACCOUNTS "  \"actors\": []\n}\n",
      ":3:3: sead: unknown key \"sead\" (did you mean \"seed\"?)" },
    { "unknown-step-key",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"actors\": [\n"
      "    { \"name\": \"a\", \"as\": \"arn:aws:iam::111111111111:role/Admin\", \"script\": [\n"
      "      { \"cal\": \"sts:GetCallerIdentity\" } ] } ]\n}\n",
      ":9:9: actors[0].script[0].cal: unknown key \"cal\" (did you mean \"call\"?)" },
    { "bad-account-id",
      "{\n  \"scenario\": \"x\",\n  \"accounts\": {\n    \"12345\": {}\n  }\n}\n",
      ":4:5: accounts.12345: \"12345\" is not an account id (12 digits)" },
    { "missing-scenario",
      "{\n" ACCOUNTS "  \"actors\": []\n}\n",
      ":1:1: $: missing required key \"scenario\"" },
    { "unknown-principal",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"actors\": [\n"
      "    { \"name\": \"a\", \"as\": \"arn:aws:iam::111111111111:role/Nobody\", \"script\": [] } ]\n}\n",
      ":8:26: actors[0].as: arn:aws:iam::111111111111:role/Nobody is not a role, user, session or account root" },
    { "unknown-input-member",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"actors\": [\n"
      "    { \"name\": \"a\", \"as\": \"arn:aws:iam::111111111111:role/Admin\", \"script\": [\n"
      "      { \"call\": \"sts:AssumeRole\", \"input\": { \"RoleARN\": \"x\" } } ] } ]\n}\n",
      ":9:46: actors[0].script[0].input.RoleARN: unknown parameter \"RoleARN\" for sts:AssumeRole (did you mean \"RoleArn\"?)" },
    { "malformed-policy",
      "{\n  \"scenario\": \"x\",\n  \"accounts\": {\n"
      "    \"111111111111\": { \"roles\": { \"R\": { \"policies\": [\n"
      "      { \"Version\": \"2012-10-17\", \"Statement\": [ { \"Effect\": \"Maybe\", \"Action\": \"*\", \"Resource\": \"*\" } ] }\n"
      "    ] } } }\n  }\n}\n",
      ":5:7: accounts.111111111111.roles.R.policies[0]: MalformedPolicyDocument:" },
    { "call-form",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"actors\": [\n"
      "    { \"name\": \"a\", \"as\": \"arn:aws:iam::111111111111:role/Admin\", \"script\": [\n"
      "      { \"call\": \"GetCallerIdentity\" } ] } ]\n}\n",
      ":9:17: actors[0].script[0]: \"GetCallerIdentity\" is not service:Operation" },
    { "unsaved-reference",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"actors\": [\n"
      "    { \"name\": \"a\", \"as\": \"arn:aws:iam::111111111111:role/Admin\", \"script\": [\n"
      "      { \"call\": \"iam:GetRole\", \"input\": { \"RoleName\": \"${role.Name}\" } } ] } ]\n}\n",
      "${role.Name} refers to \"role\", which no step saves" },
    { "expect-unknown-account",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"expect\": [ { \"account\": \"nobody\", \"sees\": {} } ]\n}\n",
      ":7:28: expect[0]: \"nobody\" is not an account of this scenario" },
    { "bad-spec-id",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"expect\": [ { \"account\": \"owner\", \"sees\": {}, \"spec\": \"ram2\" } ]\n}\n",
      "expect[0].spec: \"ram2\" is not a SPEC id" },
    { "at-and-after",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"actors\": [\n"
      "    { \"name\": \"a\", \"as\": \"arn:aws:iam::111111111111:role/Admin\", \"script\": [\n"
      "      { \"at\": \"1m\", \"after\": \"2m\", \"call\": \"sts:GetCallerIdentity\" } ] } ]\n}\n",
      ":9:21: actors[0].script[0]: give \"at\" or \"after\", not both" },
    { "not-json",
      "{\n  \"scenario\": \"x\",\n  \"accounts\": {}\n  \"actors\": []\n}\n",
      ":4:3: $: not valid JSON" },
    { "duplicate-actor",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"actors\": [\n"
      "    { \"name\": \"a\", \"as\": \"arn:aws:iam::111111111111:role/Admin\", \"script\": [] },\n"
      "    { \"name\": \"a\", \"as\": \"arn:aws:iam::111111111111:role/Admin\", \"script\": [] } ]\n}\n",
      ":9:15: actors[1]: another actor is already named \"a\"" },
    { "account-set-count",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"account_sets\": [ { \"count\": 0, \"first_id\": \"300000000000\" } ]\n}\n",
      ":7:32: account_sets[0]: count is a whole number from 1 to 100000" },
    { "account-set-clash",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"account_sets\": [ { \"count\": 3, \"first_id\": \"222222222221\" } ]\n}\n",
      "account_sets[0]: account 222222222222 (alias -) is already defined" },
    { "identity-center-unknown-group",
      "{\n  \"scenario\": \"x\",\n  \"accounts\": {\n"
      "    \"111111111111\": { \"identity_center_regions\": [\"us-east-1\"],\n"
      "      \"identity_center\": { \"users\": { \"alice\": { \"groups\": [ \"ml\" ] } } } }\n  }\n}\n",
      ":5:62: accounts.111111111111.identity_center.users.alice.groups[0]: ml is not a group of this account's identity_center" },
    { "identity-center-needs-region",
      "{\n  \"scenario\": \"x\",\n  \"accounts\": {\n"
      "    \"111111111111\": {\n"
      "      \"identity_center\": { \"users\": {} } }\n  }\n}\n",
      ":5:7: accounts.111111111111.identity_center: identity_center needs the instance's region in identity_center_regions" },
    /* Issue 13: numbers are range-checked into their type, never cast. */
    { "count-min-huge",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"expect\": [ { \"account\": \"owner\", \"count\": { \"of\": {}, \"min\": 1e30 } } ]\n}\n",
      ":7:65: expect[0].count.min: min is a whole number from 0 to 2^53-1" },
    { "count-max-negative",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"expect\": [ { \"account\": \"owner\", \"count\": { \"of\": {}, \"max\": -1 } } ]\n}\n",
      "expect[0].count.max: max is a whole number from 0 to 2^53-1" },
    { "count-max-below-min",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"expect\": [ { \"account\": \"owner\", \"count\": { \"of\": {}, \"min\": 3, \"max\": 2 } } ]\n}\n",
      "expect[0].count.max: max is less than min" },
    { "quota-huge",
      "{\n  \"scenario\": \"x\",\n  \"accounts\": {\n"
      "    \"111111111111\": { \"quotas\": { \"ram:pending-invitations\": 1e30 } }\n  }\n}\n",
      "accounts.111111111111.quotas.ram:pending-invitations: a quota is a whole number from 0 to 2^53-1" },
    { "quota-fraction",
      "{\n  \"scenario\": \"x\",\n  \"accounts\": {\n"
      "    \"111111111111\": { \"quotas\": { \"ram:pending-invitations\": 2.5 } }\n  }\n}\n",
      "a quota is a whole number from 0 to 2^53-1" },
    { "jobs-capacity-huge",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"jobs\": { \"capacity\": { \"ml.m5.xlarge\": 1e30 } }\n}\n",
      "jobs.capacity.ml.m5.xlarge: a whole number of instances from 0 to 2^53-1" },
    { "repeat-needs-every",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"actors\": [\n"
      "    { \"name\": \"a\", \"as\": \"arn:aws:iam::111111111111:role/Admin\", \"script\": [\n"
      "      { \"repeat\": 3, \"call\": \"sts:GetCallerIdentity\" } ] } ]\n}\n",
      ":9:9: actors[0].script[0]: repeat needs \"every\"" },
    /* Issue 13: an actor that cannot act is refused, not dropped. */
    { "as-alias-per-copy",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"actors\": [\n"
      "    { \"name\": \"w\", \"count\": 2, \"as\": { \"account\": \"wl-${i}\", \"role\": \"Admin\" },\n"
      "      \"script\": [ { \"call\": \"sts:GetCallerIdentity\" } ] } ]\n}\n",
      ":8:38: actors[0].as: copy 0 of actor \"w\": \"wl-0\" is not an account of this scenario" },
    { "as-unknown-account-ref",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"actors\": [\n"
      "    { \"name\": \"x\", \"as\": \"arn:aws:iam::${accounts.nosuch}:root\",\n"
      "      \"script\": [ { \"call\": \"sts:GetCallerIdentity\" } ] } ]\n}\n",
      ":8:26: actors[0].as: actor \"x\": \"nosuch\" is not an account of this scenario" },
    { "as-role-missing-in-one-copy",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"account_sets\": [ { \"count\": 3, \"first_id\": \"300000000000\", \"alias\": \"t-${i}\",\n"
      "    \"account\": { \"roles\": { \"R\": {} } } } ],\n"
      "  \"actors\": [\n"
      "    { \"name\": \"y\", \"count\": 4, \"as\": \"arn:aws:iam::${accounts.t-${i}}:role/R\",\n"
      "      \"script\": [ { \"call\": \"sts:GetCallerIdentity\" } ] } ]\n}\n",
      "actors[0].as: copy 3 of actor \"y\": \"t-3\" is not an account of this scenario" },
    { "as-saved-value",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"actors\": [\n"
      "    { \"name\": \"z\", \"as\": \"${role.Arn}\",\n"
      "      \"script\": [ { \"call\": \"sts:GetCallerIdentity\" } ] } ]\n}\n",
      "actor \"z\": ${role.Arn} has no value when the actor starts" },
    /* Issue 13: references are checked per copy, at their own string. */
    { "ref-per-copy-account",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"account_sets\": [ { \"count\": 2, \"first_id\": \"300000000000\", \"alias\": \"p-${i}\" } ],\n"
      "  \"actors\": [\n"
      "    { \"name\": \"a\", \"count\": 3, \"as\": \"arn:aws:iam::111111111111:role/Admin\", \"script\": [\n"
      "      { \"call\": \"ram:CreateResourceShare\", \"input\": { \"name\": \"s\", \"principals\": [\"${accounts.p-${i}}\"] } } ] } ]\n}\n",
      ":10:83: actors[0].script[0].input.principals[0]: copy 2 of actor \"a\": ${accounts.p-2} names no account" },
    { "ref-templated-save-misspelt",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"actors\": [\n"
      "    { \"name\": \"a\", \"count\": 2, \"as\": \"arn:aws:iam::111111111111:role/Admin\", \"script\": [\n"
      "      { \"call\": \"sts:GetCallerIdentity\", \"save\": \"me-${i}\" },\n"
      "      { \"call\": \"ram:GetResourceShares\", \"input\": { \"resourceOwner\": \"${mee-${i}.Account}\" } } ] } ]\n}\n",
      ":10:70: actors[0].script[1].input.resourceOwner: copy 0 of actor \"a\": ${mee-0.Account} refers to \"mee-0\", which no step saves" },
    { "ref-position",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"expect\": [ { \"account\": \"owner\", \"sees\": { \"eventName\": \"${nothing.Name}\" } } ]\n}\n",
      ":7:60: expect[0].sees.eventName: ${nothing.Name} refers to \"nothing\", which no step saves" },
    { "ref-nesting",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"expect\": [ { \"account\": \"owner\", \"sees\": { \"eventName\": \"${${${${${${${${${i}}}}}}}}}\" } } ]\n}\n",
      "expect[0].sees.eventName: references nest 9 deep here; at most 8" },
    /* Issue 13: what run would trip on, check finds. */
    { "wait-kind-misspelt",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"actors\": [\n"
      "    { \"name\": \"a\", \"as\": \"arn:aws:iam::111111111111:role/Admin\", \"script\": [\n"
      "      { \"wait\": \"ram:invitaton\" } ] } ]\n}\n",
      ":9:17: actors[0].script[0].wait: \"ram:invitaton\" is not a happening actors can wait for (did you mean \"ram:invitation\"?)" },
    { "operation-misspelt",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"actors\": [\n"
      "    { \"name\": \"a\", \"as\": \"arn:aws:iam::111111111111:role/Admin\", \"script\": [\n"
      "      { \"call\": \"sts:GetCallerIdentty\", \"expect\": \"ok\" } ] } ]\n}\n",
      ":9:17: actors[0].script[0]: sts:GetCallerIdentty is not an AWS operation (did you mean sts:GetCallerIdentity?)" },
    { "operation-not-simulated",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"actors\": [\n"
      "    { \"name\": \"a\", \"as\": \"arn:aws:iam::111111111111:role/Admin\", \"script\": [\n"
      "      { \"call\": \"sagemaker:ListPipelineVersions\" } ] } ]\n}\n",
      "actors[0].script[0]: sagemaker:ListPipelineVersions is an AWS operation crossim does not simulate yet" },
    /* Issue 13: a misspelt field matched nothing, so "lacks" always held. */
    { "pattern-field-misspelt",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"expect\": [ { \"account\": \"owner\", \"lacks\": { \"eventNme\": \"AssumeRole\" } } ]\n}\n",
      ":7:48: expect[0].lacks.eventNme: no record crossim writes has a field \"eventNme\" (did you mean \"eventName\"?)" },
    { "pattern-field-nested-misspelt",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"expect\": [ { \"account\": \"owner\", \"count\": { \"of\": { \"eventName\": \"X\",\n"
      "    \"resources[0].arn\": \"a\", \"requestParameters.anyName\": 1 }, \"min\": 1 } } ]\n}\n",
      ":8:5: expect[0].count.of.resources[0].arn: no record crossim writes has a field \"resources[0].arn\" (did you mean \"resources[].ARN\"?)" },
    { "expect-empty-list",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"actors\": [\n"
      "    { \"name\": \"a\", \"as\": \"arn:aws:iam::111111111111:role/Admin\", \"script\": [\n"
      "      { \"call\": \"sts:GetCallerIdentity\", \"expect\": [] } ] } ]\n}\n",
      "actors[0].script[0].expect: expect is \"ok\", an error code, \"error\" (any error), \"timeout\" (waits) or a non-empty list of these" },
    /* Issue 13: simulated time is bounded; nothing sums past int64 or year 9999. */
    { "start-near-9999",
      "{\n  \"scenario\": \"x\", \"start\": \"9999-12-31T23:50:00Z\",\n" ACCOUNTS "  \"actors\": []\n}\n",
      ":2:29: start: the run would reach past 9999-12-31T23:59:59Z" },
    { "after-huge",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"actors\": [\n"
      "    { \"name\": \"a\", \"as\": \"arn:aws:iam::111111111111:role/Admin\", \"script\": [\n"
      "      { \"after\": \"106751991d\", \"call\": \"sts:GetCallerIdentity\" } ] } ]\n}\n",
      "actors[0].script[0].after: \"106751991d\" is longer than 100 years" },
    { "expiry-quota-huge",
      "{\n  \"scenario\": \"x\",\n  \"accounts\": {\n"
      "    \"111111111111\": { \"quotas\": { \"ram:invitation-expiry-seconds\": 9007199254740991 } }\n  }\n}\n",
      "quotas.ram:invitation-expiry-seconds: a time quota is a whole number of at most 100 years" },
    { "across-needs-sees",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"expect\": [ { \"account\": \"owner\", \"lacks\": {}, \"same_event_in\": \"consumer\" } ]\n}\n",
      "expect[0]: same_event_in, before, delivered_within and delivered_after go with \"sees\"" },
    { "across-unknown-account",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"expect\": [ { \"account\": \"owner\", \"sees\": {}, \"before\": { \"account\": \"nobody\", \"sees\": {} } } ]\n}\n",
      "expect[0].before.account: \"nobody\" is not an account of this scenario" },
    /* Found by the run fuzzer: a zero poll interval never let simulated time move. */
    { "poll-every-zero",
      "{\n  \"scenario\": \"x\",\n" ACCOUNTS
      "  \"actors\": [\n"
      "    { \"name\": \"a\", \"as\": \"arn:aws:iam::111111111111:role/Admin\", \"script\": [\n"
      "      { \"wait\": { \"call\": \"sts:GetCallerIdentity\", \"until\": { \"Account\": \"1\" } }, \"every\": \"0m\" } ] } ]\n}\n",
      ":9:92: actors[0].script[0].every: a polling wait polls every 1s or more" },
    /* Issue 13: bad text is refused where it is. */
    { "invalid-utf8",
      "{\n  \"scenario\": \"x\\u00e9\xff\"\n}\n",
      ":2:23: $: the text is not valid UTF-8 here" },
    { "too-deep",
      "{\n  \"scenario\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ ]\n}\n",
      "objects and lists nest deeper than 1000 levels here" },
    { "control-characters-in-key",
      "{\n  \"scenario\": \"x\",\n  \"se\\ned\\u001b[31m\": 1,\n" ACCOUNTS "  \"actors\": []\n}\n",
      "unknown key \"se\\ned\\u001b[31m\"" },
};

static void test_bad_case(gconstpointer data)
{
    const bad_case *c = data;
    g_autofree char *name = g_strdup_printf("%s.json", c->name);
    g_autofree char *path = write_file(name, c->text);
    GError *e = NULL;
    scenario *s = scen_load(path, NULL, &e);
    g_assert_null(s);
    g_assert_nonnull(e);
    if (!strstr(e->message, c->want))
        g_test_message("got: %s\nwant: %s", e->message, c->want);
    g_assert_nonnull(strstr(e->message, c->want));
    /* Every line names this file. */
    g_assert_true(g_str_has_prefix(e->message, path));
    g_clear_error(&e);
}

/* SW1: two scenarios, or two variants of one, run with the same seed draw
 * from different streams; the same (seed, name, variant) from the same. */
static void test_stream_seed(void)
{
    const char *fmt = "{ \"scenario\": \"%s\", %s \"seed\": 3, \"accounts\": {} }";
    const char *cases[][2] = { { "one", "" }, { "two", "" }, { "one", "\"variant\": \"q=20\"," },
                               { "one", "\"variant\": \"q=100\"," } };
    uint64_t got[G_N_ELEMENTS(cases)];
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *text = g_strdup_printf(fmt, cases[i][0], cases[i][1]);
        GError *e = NULL;
        g_autoptr(scenario) s = scen_parse("streams.json", text, strlen(text), &e);
        g_assert_no_error(e);
        g_assert_cmpuint(s->seed, ==, 3);
        got[i] = s->streams;
        g_autoptr(scenario) again = scen_parse("streams.json", text, strlen(text), &e);
        g_assert_no_error(e);
        g_assert_cmpuint(again->streams, ==, got[i]);
        for (guint k = 0; k < i; k++)
            g_assert_cmpuint(got[k], !=, got[i]);
    }
}

static void test_good_scenario(void)
{
    const char *text =
        "{\n  \"scenario\": \"ok\", \"seed\": 9, \"start\": \"2026-01-05T09:00:00Z\",\n"
        "  \"region\": \"us-west-2\",\n" ACCOUNTS
        "  \"actors\": [ { \"name\": \"a\", \"as\": { \"account\": \"owner\", \"role\": \"Admin\" },\n"
        "    \"count\": 3, \"script\": [\n"
        "      { \"at\": \"1m\", \"call\": \"sts:GetCallerIdentity\", \"save\": \"me\", \"expect\": \"ok\", \"spec\": \"L1\" },\n"
        "      { \"after\": \"30s\", \"call\": \"iam:GetRole\", \"input\": { \"RoleName\": \"${me.Arn}\" }, \"repeat\": 2, \"every\": \"1m\" },\n"
        "      { \"wait\": \"ram:invitation\", \"timeout\": \"1h\", \"expect\": \"timeout\" } ] } ],\n"
        "  \"expect\": [ { \"account\": \"owner\", \"sees\": { \"eventName\": \"GetCallerIdentity\" }, \"spec\": [\"L1\"] },\n"
        "              { \"account\": \"222222222222\", \"count\": { \"of\": {}, \"max\": 0 } } ]\n}\n";
    g_autofree char *path = write_file("good.json", text);
    GError *e = NULL;
    g_autoptr(scenario) s = scen_load(path, NULL, &e);
    g_assert_no_error(e);
    g_assert_cmpstr(s->region, ==, "us-west-2");
    g_assert_cmpuint(s->seed, ==, 9);
    g_assert_cmpint(s->start_epoch_s, ==, 1767603600);
    g_assert_cmpuint(s->actors->len, ==, 1);
    const scen_actor *a = s->actors->pdata[0];
    g_assert_cmpint(a->count, ==, 3);
    g_assert_cmpstr(a->as, ==, "arn:aws:iam::111111111111:role/Admin");
    g_assert_cmpuint(a->steps->len, ==, 3);
    const scen_step *st = a->steps->pdata[1];
    g_assert_cmpint(st->after_us, ==, 30000000);
    g_assert_cmpint(st->repeat, ==, 2);
    g_assert_cmpint(((scen_step *)a->steps->pdata[2])->kind, ==, STEP_WAIT_EVENT);
    g_assert_cmpuint(s->expects->len, ==, 2);
    g_assert_cmpstr(((scen_expect *)s->expects->pdata[1])->account, ==, "222222222222");
    uint64_t seed = 42;
    g_autoptr(scenario) s2 = scen_load(path, &seed, &e);
    g_assert_cmpuint(s2->seed, ==, 42);
}

/* The object form of "as" expands ${...} like the ARN form: a counted actor
 * acts in account t-${i} of an account set, at actor and at step level. */
static void test_as_object_template(void)
{
    g_test_summary("\"as\": {\"account\": \"t-${i}\", \"role\": ...} names copy i's account");
    const char *text =
        "{\n  \"scenario\": \"as-template\", \"seed\": 5,\n" ACCOUNTS
        "  \"account_sets\": [ { \"count\": 3, \"first_id\": \"300000000000\", \"alias\": \"t-${i}\",\n"
        "    \"account\": { \"roles\": { \"R\": {} } } } ],\n"
        "  \"actors\": [ { \"name\": \"a\", \"count\": 3, \"as\": { \"account\": \"t-${i}\", \"role\": \"R\" },\n"
        "    \"script\": [\n"
        "      { \"call\": \"sts:GetCallerIdentity\", \"expect\": \"ok\",\n"
        "        \"expect_output\": { \"Account\": \"${accounts.t-${i}}\", \"Arn\": \"arn:aws:sts::${accounts.t-${i}}:assumed-role/R/a-${i}\" } },\n"
        "      { \"call\": \"sts:GetCallerIdentity\", \"as\": { \"account\": \"t-${i}\" }, \"expect\": \"ok\",\n"
        "        \"expect_output\": { \"Arn\": \"arn:aws:iam::${accounts.t-${i}}:root\" } } ] } ]\n}\n";
    g_autofree char *path = write_file("as-template.json", text);
    GError *e = NULL;
    scenario *s = scen_load(path, NULL, &e);
    g_assert_no_error(e);
    if (!s)
        return;
    const scen_actor *a = s->actors->pdata[0];
    g_assert_cmpstr(a->as, ==, "arn:aws:iam::${accounts.t-${i}}:role/R");
    run_opts o = { 0 };
    run_result r = { 0 };
    g_assert_true(run_scenario(s, &o, &r, &e));
    g_assert_no_error(e);
    g_assert_cmpuint(r.failed, ==, 0);
    g_assert_cmpuint(r.passed, ==, 3 * (2 + 3));   /* two expects and three outputs per copy */
    g_assert_cmpuint(r.stuck ? r.stuck->len : 0, ==, 0);
    run_result_clear(&r);
    scen_free(s);
}

/* Removes an out folder a run wrote (trail/, summary.json, timeline.html). */
static void remove_out(const char *out)
{
    g_autofree char *trail = g_build_filename(out, "trail", NULL);
    g_autoptr(GDir) d = g_dir_open(trail, 0, NULL);
    const char *n;
    while (d && (n = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(trail, n, NULL);
        g_unlink(p);
    }
    g_rmdir(trail);
    const char *top[] = { "summary.json", "timeline.html" };
    for (gsize i = 0; i < G_N_ELEMENTS(top); i++) {
        g_autofree char *p = g_build_filename(out, top[i], NULL);
        g_unlink(p);
    }
    g_rmdir(out);
}

/* Runs the scenario twice, records in memory and then in logs under a
 * folder of tmpdir, and checks that both give the verdicts want[] to the
 * expectations (which follow `steps` step results, all passing).  Returns
 * the second run's result messages joined, for further checks. */
static char *run_both_ways(const char *file, const char *text, guint steps, const bool *want,
                           gsize n)
{
    g_autofree char *path = write_file(file, text);
    g_autofree char *out = g_strdup_printf("%s/%s-out", tmpdir, file);
    GString *msgs = g_string_new(NULL);
    for (int pass = 0; pass < 2; pass++) {
        GError *e = NULL;
        scenario *s = scen_load(path, NULL, &e);
        g_assert_no_error(e);
        if (!s)
            break;
        run_opts o = { .out_dir = pass ? out : NULL };
        run_result r = { 0 };
        g_assert_true(run_scenario(s, &o, &r, &e));
        g_assert_no_error(e);
        g_assert_cmpuint(r.results->len, ==, steps + n);
        for (guint i = 0; i < r.results->len; i++) {
            const check_result *c = r.results->pdata[i];
            g_test_message("%s %s: %s", pass ? "log" : "memory", c->where, c->message);
            g_assert_cmpint(c->ok, ==, i < steps ? true : want[i - steps]);
            if (i >= steps) {
                g_autofree char *where = g_strdup_printf("expect[%u]", i - steps);
                g_assert_cmpstr(c->where, ==, where);
            }
            if (pass)
                g_string_append_printf(msgs, "%s\n", c->message);
        }
        run_result_clear(&r);
        scen_free(s);
    }
    remove_out(out);
    return g_string_free(msgs, FALSE);
}

/* End-of-run expectations give the same verdicts, in the file's order,
 * whether the records are read from memory or back from the JSON Lines logs
 * (where lines without a pattern's literal strings are skipped unparsed):
 * strings the writer escapes, wildcards, several checks on one log, and an
 * account with no log at all. */
static void test_expect_read_back(void)
{
    const char *text =
        "{\n  \"scenario\": \"read-back\", \"seed\": 9,\n" ACCOUNTS
        "  \"actors\": [ { \"name\": \"a\", \"as\": { \"account\": \"owner\", \"role\": \"Admin\" },\n"
        "    \"user_agent\": \"q\\\"uo\\\\te/\\u00e9\\ttab\",\n"
        "    \"script\": [\n"
        "      { \"call\": \"sts:GetCallerIdentity\", \"expect\": \"ok\" },\n"
        "      { \"after\": \"1m\", \"call\": \"sts:GetCallerIdentity\", \"expect\": \"ok\" } ] } ],\n"
        "  \"expect\": [\n"
        "    { \"account\": \"owner\", \"sees\": { \"userAgent\": \"q\\\"uo\\\\te/\\u00e9\\ttab\" } },\n"
        "    { \"account\": \"consumer\", \"sees\": { \"eventName\": \"GetCallerIdentity\" } },\n"
        "    { \"account\": \"owner\", \"lacks\": { \"eventName\": \"AssumeRole\" } },\n"
        "    { \"account\": \"owner\", \"count\": { \"of\": { \"eventName\": \"GetCallerIdentity\",\n"
        "      \"userAgent\": \"q*tab\", \"readOnly\": true }, \"min\": 2, \"max\": 2 } },\n"
        "    { \"account\": \"owner\", \"sees\": { \"userAgent\": \"q\\\"uo\\\\te/e\\ttab\" } } ]\n}\n";
    static const bool want[] = { true, false, true, true, false };
    g_autofree char *msgs = run_both_ways("read-back.json", text, 2, want, G_N_ELEMENTS(want));
    g_assert_nonnull(strstr(msgs, "has 2 records"));
}

/* "expect" takes "error" and lists of outcomes; expect_output reads the
 * saved error of a failed call. */
static void test_expect_outcomes(void)
{
    const char *text =
        "{\n  \"scenario\": \"outcomes\", \"seed\": 3,\n" ACCOUNTS
        "  \"actors\": [ { \"name\": \"a\", \"as\": { \"account\": \"owner\", \"role\": \"Admin\" },\n"
        "    \"script\": [\n"
        "      { \"call\": \"sagemaker:DescribeModelCard\", \"input\": { \"ModelCardName\": \"none\" },\n"
        "        \"expect\": \"error\" },\n"
        "      { \"call\": \"sagemaker:DescribeModelCard\", \"input\": { \"ModelCardName\": \"none\" },\n"
        "        \"expect\": [\"ValidationException\", \"AccessDeniedException\"],\n"
        "        \"expect_output\": { \"Error.Code\": \"AccessDeniedException\" } },\n"
        "      { \"call\": \"sts:GetCallerIdentity\", \"expect\": \"error\" },\n"
        "      { \"call\": \"sagemaker:DescribeModelCard\", \"input\": { \"ModelCardName\": \"none\" },\n"
        "        \"expect\": [\"ok\", \"ThrottlingException\"] } ] } ]\n}\n";
    g_autofree char *path = write_file("outcomes.json", text);
    GError *e = NULL;
    scenario *s = scen_load(path, NULL, &e);
    g_assert_no_error(e);
    if (!s)
        return;
    run_opts o = { 0 };
    run_result r = { 0 };
    g_assert_true(run_scenario(s, &o, &r, &e));
    static const bool want[] = { true, true, true, false, false };
    g_assert_cmpuint(r.results->len, ==, G_N_ELEMENTS(want));
    for (guint i = 0; i < r.results->len; i++) {
        const check_result *c = r.results->pdata[i];
        g_test_message("%s: %s", c->where, c->message);
        g_assert_cmpint(c->ok, ==, want[i]);
    }
    g_assert_nonnull(strstr(((check_result *)r.results->pdata[4])->message,
                            "expected ok or ThrottlingException, got AccessDeniedException"));
    run_result_clear(&r);
    scen_free(s);
}

/* Duplicate keys are found with a set: 200,000 keys load in well under a
 * second, where a scan of each key's predecessors took minutes; the
 * duplicate is reported once, where it is. */
static void test_many_keys(void)
{
    GString *t = g_string_new("{\n  \"scenario\": \"x\",\n" ACCOUNTS "  \"actors\": [ { \"name\": \"a\",\n"
                              "    \"as\": \"arn:aws:iam::111111111111:role/Admin\", \"script\": [\n"
                              "      { \"call\": \"sts:GetCallerIdentity\", \"note\": \"n\",\n"
                              " \"note\": \"again\"");
    for (int i = 0; i < 200000; i++)
        g_string_append_printf(t, ", \"k%d\": 1", i);
    g_string_append(t, " } ] } ]\n}\n");
    g_autofree char *path = write_file("many-keys.json", t->str);
    g_string_free(t, TRUE);
    GError *e = NULL;
    g_assert_null(scen_load(path, NULL, &e));
    g_assert_nonnull(e);
    g_assert_nonnull(strstr(e->message, ":10:2: actors[0].script[0].note: duplicate key \"note\""));
    g_assert_nonnull(strstr(e->message, "unknown key \"k0\""));
    g_assert_nonnull(strstr(e->message, "more problems"));
    g_error_free(e);
}

/* Expectations across records: the same event in two accounts
 * (sharedEventID), one account's record delivered before another's, and
 * delivery lag bounds; the same verdicts from memory and from the logs. */
static void test_across_records(void)
{
    const char *text =
        "{\n  \"scenario\": \"across\", \"seed\": 4,\n"
        "  \"accounts\": {\n"
        "    \"111111111111\": { \"alias\": \"owner\", \"roles\": { \"T\": { \"trust\": { \"Version\": \"2012-10-17\",\n"
        "      \"Statement\": [ { \"Effect\": \"Allow\", \"Principal\": { \"AWS\": \"arn:aws:iam::222222222222:root\" },\n"
        "        \"Action\": \"sts:AssumeRole\" } ] } } } },\n"
        "    \"222222222222\": { \"alias\": \"consumer\", \"roles\": { \"R\": { \"policies\": [ { \"Version\": \"2012-10-17\",\n"
        "      \"Statement\": [ { \"Effect\": \"Allow\", \"Action\": \"sts:*\", \"Resource\": \"*\" } ] } ] } } }\n"
        "  },\n"
        "  \"actors\": [ { \"name\": \"c\", \"as\": { \"account\": \"consumer\", \"role\": \"R\" }, \"script\": [\n"
        "    { \"call\": \"sts:GetCallerIdentity\", \"expect\": \"ok\" },\n"
        "    { \"after\": \"2h\", \"call\": \"sts:AssumeRole\", \"expect\": \"ok\",\n"
        "      \"input\": { \"RoleArn\": \"arn:aws:iam::111111111111:role/T\", \"RoleSessionName\": \"s1\" } } ] } ],\n"
        "  \"expect\": [\n"
        "    { \"account\": \"consumer\", \"sees\": { \"eventName\": \"AssumeRole\" }, \"same_event_in\": \"owner\" },\n"
        "    { \"account\": \"consumer\", \"sees\": { \"eventName\": \"GetCallerIdentity\" }, \"same_event_in\": \"owner\" },\n"
        "    { \"account\": \"consumer\", \"sees\": { \"eventName\": \"GetCallerIdentity\" },\n"
        "      \"before\": { \"account\": \"owner\", \"sees\": { \"eventName\": \"AssumeRole\" } } },\n"
        "    { \"account\": \"owner\", \"sees\": { \"eventName\": \"AssumeRole\" },\n"
        "      \"before\": { \"account\": \"consumer\", \"sees\": { \"eventName\": \"GetCallerIdentity\" } } },\n"
        "    { \"account\": \"consumer\", \"sees\": { \"eventName\": \"AssumeRole\" }, \"delivered_within\": \"15m\" },\n"
        "    { \"account\": \"consumer\", \"sees\": { \"eventName\": \"AssumeRole\" }, \"delivered_within\": \"1s\" },\n"
        /* L5: CloudTrail marks AssumeRole readOnly and records what it answered. */
        "    { \"account\": \"consumer\", \"sees\": { \"eventName\": \"AssumeRole\", \"readOnly\": true,\n"
        "      \"responseElements.assumedRoleUser.arn\": \"arn:aws:sts::111111111111:assumed-role/T/s1\" } } ]\n}\n";
    static const bool want[] = { true, false, true, false, true, false, true };
    g_autofree char *msgs = run_both_ways("across.json", text, 2, want, G_N_ELEMENTS(want));
    g_assert_nonnull(strstr(msgs, "with the same sharedEventID (1 and 1 matches)"));
}

/* Only regular files are read (a FIFO would block, /dev/zero never end). */
static void test_not_regular(void)
{
    g_autofree char *fifo = g_build_filename(tmpdir, "fifo.json", NULL);
    g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
    const char *paths[] = { fifo, "/dev/zero", tmpdir };
    const char *want[] = { "not a regular file", "not a regular file", "it is a folder" };
    for (gsize i = 0; i < G_N_ELEMENTS(paths); i++) {
        GError *e = NULL;
        g_assert_null(scen_load(paths[i], NULL, &e));
        g_assert_nonnull(e);
        g_assert_nonnull(strstr(e->message, want[i]));
        g_assert_true(g_str_has_prefix(e->message, paths[i]));
        g_error_free(e);
    }
}

static void test_match(void)
{
    g_autoptr(cJSON) rec = cJSON_Parse(
        "{\"eventName\":\"AssumeRole\",\"userIdentity\":{\"type\":\"AWSAccount\",\"accountId\":\"1\"},"
        "\"readOnly\":false,\"resources\":[{\"ARN\":\"arn:aws:iam::2:role/R\"}]}");
    g_autoptr(cJSON) m1 = cJSON_Parse("{\"eventName\":\"AssumeRole\",\"userIdentity.type\":\"AWSAccount\"}");
    g_autoptr(cJSON) m2 = cJSON_Parse("{\"errorCode\":null,\"readOnly\":false}");
    g_autoptr(cJSON) m3 = cJSON_Parse("{\"resources[0].ARN\":\"arn:aws:iam::*:role/R\"}");
    g_autoptr(cJSON) m4 = cJSON_Parse("{\"eventName\":\"Assume\"}");
    g_autoptr(cJSON) m5 = cJSON_Parse("{\"readOnly\":null}");
    g_assert_true(scen_match(rec, m1));
    g_assert_true(scen_match(rec, m2));
    g_assert_true(scen_match(rec, m3));
    g_assert_false(scen_match(rec, m4));
    g_assert_false(scen_match(rec, m5));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();
    tmpdir = g_dir_make_tmp("crossim-scen-XXXXXX", NULL);
    g_test_add_func("/scenario/durations", test_durations);
    g_test_add_func("/scenario/references", test_references);
    g_test_add_func("/scenario/positions", test_positions);
    g_test_add_func("/scenario/good", test_good_scenario);
    g_test_add_func("/scenario/SW1/streams-from-name-and-variant", test_stream_seed);
    g_test_add_func("/scenario/match", test_match);
    g_test_add_func("/scenario/expect-read-back", test_expect_read_back);
    g_test_add_func("/scenario/errors/not-a-regular-file", test_not_regular);
    g_test_add_func("/scenario/expect-outcomes", test_expect_outcomes);
    g_test_add_func("/scenario/L2/expectations-across-records", test_across_records);
    g_test_add_func("/scenario/errors/many-keys", test_many_keys);
    g_test_add_func("/scenario/as-object-expands-references", test_as_object_template);
    for (gsize i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
        g_autofree char *p = g_strdup_printf("/scenario/errors/%s", bad_cases[i].name);
        g_test_add_data_func(p, &bad_cases[i], test_bad_case);
    }
    int rc = g_test_run();
    g_autoptr(GDir) d = g_dir_open(tmpdir, 0, NULL);
    const char *n;
    while (d && (n = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(tmpdir, n, NULL);
        g_unlink(p);
    }
    g_rmdir(tmpdir);
    g_free(tmpdir);
    return rc;
}
