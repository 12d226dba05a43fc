/* tests/unit/test-wire.c: the wire protocols of `crossim serve` (SV1):
 * routing and decoding in each protocol, S3's virtual-hosted buckets,
 * aws-chunked bodies and XML payloads, the answers' and errors' forms, and
 * the authentication failures each protocol names. */
#include <glib.h>
#include <string.h>

#include "model/api.h"
#include "model/shapes.h"
#include "model/wire.h"
#include "model/wire_int.h"

static bool decode(const char *method, const char *path, const char *query, sigv4_header *h,
                   gsize nh, const char *body, const char *signing, wire_call *c,
                   const char **code, char **msg)
{
    sigv4_request r = { method, path, query, h, nh, body, body ? strlen(body) : 0 };
    return wire_decode(&r, signing, c, code, msg);
}

static void test_json(void)
{
    sigv4_header h[] = { { "X-Amz-Target", "SageMaker.DescribeModelCard" } };
    wire_call c;
    const char *code = NULL;
    char *msg = NULL;
    g_assert_true(decode("POST", "/", NULL, h, 1, "{\"ModelCardName\":\"m\"}", "sagemaker", &c,
                         &code, &msg));
    g_assert_cmpstr(c.prefix, ==, "sagemaker");
    g_assert_cmpstr(c.op, ==, "DescribeModelCard");
    g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(c.input, "ModelCardName")), ==, "m");
    wire_call_clear(&c);
    g_assert_false(decode("POST", "/", NULL, h, 1, "{nope", "sagemaker", &c, &code, &msg));
    g_assert_cmpstr(code, ==, "SerializationException");
    g_free(msg);
    wire_call_clear(&c);
    /* An answer's timestamps are epoch seconds; an error names its __type. */
    wire_reply rep;
    wire_reply_init(&rep);
    cJSON *out = cJSON_Parse("{\"ModelCardName\":\"m\",\"CreationTime\":\"2026-01-05T09:00:00Z\"}");
    wire_answer("sagemaker", "DescribeModelCard", out, "rid", &rep);
    g_assert_nonnull(strstr(rep.body->str, "\"CreationTime\":1767603600"));
    g_assert_cmpstr(rep.content_type, ==, "application/x-amz-json-1.1");
    cJSON_Delete(out);
    wire_reply_clear(&rep);
    wire_reply_init(&rep);
    wire_error("sagemaker", "ResourceNotFound", "gone", "rid", &rep);
    g_assert_cmpint(rep.status, ==, 400);
    g_assert_cmpstr(rep.body->str, ==, "{\"__type\":\"ResourceNotFound\",\"message\":\"gone\"}");
    wire_reply_clear(&rep);
}

static void test_rest_json(void)
{
    wire_call c;
    const char *code = NULL;
    char *msg = NULL;
    /* DeleteResourceShare: DELETE with its members in the query string. */
    g_assert_true(decode("DELETE", "/deleteresourceshare",
                         "resourceShareArn=arn%3Aaws%3Aram%3Aus-east-1%3A1%3Aresource-share%2Fx", NULL,
                         0, NULL, "ram", &c, &code, &msg));
    g_assert_cmpstr(c.op, ==, "DeleteResourceShare");
    g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(c.input, "resourceShareArn")), ==,
                    "arn:aws:ram:us-east-1:1:resource-share/x");
    wire_call_clear(&c);
    /* A path label, percent-decoded. */
    g_assert_true(decode("GET", "/audience-generation-job/arn%3Aaws%3Ax", NULL, NULL, 0, NULL,
                         "cleanrooms-ml", &c, &code, &msg));
    g_assert_cmpstr(c.op, ==, "GetAudienceGenerationJob");
    g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(c.input, "audienceGenerationJobArn")),
                    ==, "arn:aws:x");
    wire_call_clear(&c);
    g_assert_false(decode("GET", "/no/such/route", NULL, NULL, 0, NULL, "ram", &c, &code, &msg));
    g_assert_cmpstr(code, ==, "UnknownOperationException");
    g_free(msg);
    wire_call_clear(&c);
    wire_reply rep;
    wire_reply_init(&rep);
    wire_error("ram", "UnknownResourceException", "no", "rid", &rep);
    g_assert_nonnull(strstr(rep.headers->str, "x-amzn-ErrorType: UnknownResourceException\n"));
    wire_reply_clear(&rep);
}

static void test_query(void)
{
    wire_call c;
    const char *code = NULL;
    char *msg = NULL;
    g_assert_true(decode("POST", "/", NULL, NULL, 0,
                         "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2FR"
                         "&RoleSessionName=s&DurationSeconds=900&Tags.member.1.Key=team"
                         "&Tags.member.1.Value=ml+ops", "sts", &c, &code, &msg));
    g_assert_cmpstr(c.op, ==, "AssumeRole");
    g_assert_cmpfloat(cJSON_GetNumberValue(cJSON_GetObjectItem(c.input, "DurationSeconds")), ==, 900);
    const cJSON *tag = cJSON_GetArrayItem(cJSON_GetObjectItem(c.input, "Tags"), 0);
    g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(tag, "Value")), ==, "ml ops");
    wire_call_clear(&c);
    wire_reply rep;
    wire_reply_init(&rep);
    cJSON *out = cJSON_Parse("{\"UserId\":\"U\",\"Account\":\"1\",\"Arn\":\"a&b\"}");
    wire_answer("sts", "GetCallerIdentity", out, "rid", &rep);
    g_assert_nonnull(strstr(rep.body->str, "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"));
    g_assert_nonnull(strstr(rep.body->str, "<Arn>a&amp;b</Arn>"));
    g_assert_nonnull(strstr(rep.body->str, "<RequestId>rid</RequestId>"));
    cJSON_Delete(out);
    wire_reply_clear(&rep);
    wire_reply_init(&rep);
    wire_error("iam", "NoSuchEntity", "none", "rid", &rep);
    g_assert_cmpint(rep.status, ==, 404);
    g_assert_nonnull(strstr(rep.body->str, "<Error><Type>Sender</Type><Code>NoSuchEntity</Code>"));
    wire_reply_clear(&rep);
}

static void test_ec2(void)
{
    wire_call c;
    const char *code = NULL;
    char *msg = NULL;
    g_assert_true(decode("POST", "/", NULL, NULL, 0,
                         "Action=DescribeVpcs&Version=2016-11-15&Filter.1.Name=isDefault"
                         "&Filter.1.Value.1=true", "ec2", &c, &code, &msg));
    const cJSON *f = cJSON_GetArrayItem(cJSON_GetObjectItem(c.input, "Filters"), 0);
    g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(f, "Name")), ==, "isDefault");
    g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetArrayItem(cJSON_GetObjectItem(f, "Values"), 0)),
                    ==, "true");
    wire_call_clear(&c);
    wire_reply rep;
    wire_reply_init(&rep);
    cJSON *out = cJSON_Parse("{\"Vpcs\":[{\"VpcId\":\"vpc-1\",\"IsDefault\":true}]}");
    wire_answer("ec2", "DescribeVpcs", out, "rid", &rep);
    g_assert_nonnull(strstr(rep.body->str, "<requestId>rid</requestId><vpcSet><item>"));
    g_assert_nonnull(strstr(rep.body->str, "<vpcId>vpc-1</vpcId>"));
    g_assert_nonnull(strstr(rep.body->str, "<isDefault>true</isDefault>"));
    cJSON_Delete(out);
    wire_reply_clear(&rep);
}

static void test_s3(void)
{
    sigv4_header vh[] = { { "Host", "exports.s3.us-west-2.amazonaws.com" } };
    sigv4_request r = { "GET", "/cards/a.txt", NULL, vh, 1, "", 0 };
    g_autofree char *p1 = wire_s3_path(&r);
    g_assert_cmpstr(p1, ==, "/exports/cards/a.txt");
    sigv4_header ph[] = { { "Host", "127.0.0.1:4566" } };
    r.headers = ph;
    g_autofree char *p2 = wire_s3_path(&r);
    g_assert_cmpstr(p2, ==, "/cards/a.txt");
    sigv4_header lh[] = { { "Host", "exports.localhost:4566" } };
    r.headers = lh;
    r.path = "/";
    g_autofree char *p3 = wire_s3_path(&r);
    g_assert_cmpstr(p3, ==, "/exports");
    /* aws-chunked: two chunks, then the trailer. */
    const char *chunked = "5;chunk-signature=ab\r\nhello\r\n1\r\n!\r\n0\r\nx-amz-checksum-crc32:AAAA\r\n\r\n";
    sigv4_header ch[] = { { "Content-Encoding", "aws-chunked" } };
    sigv4_request cr = { "PUT", "/b/k", NULL, ch, 1, chunked, strlen(chunked) };
    char *body = NULL;
    gsize n = 0;
    g_assert_true(wire_unchunk(&cr, &body, &n));
    g_assert_cmpmem(body, n, "hello!", 6);
    g_free(body);
    cr.body_len = 10;        /* cut short */
    g_assert_false(wire_unchunk(&cr, &body, &n));
    /* CreateBucket's XML payload; ListObjectsV2 chosen by its query key. */
    wire_call c;
    const char *code = NULL;
    char *msg = NULL;
    g_assert_true(decode("PUT", "/newb", NULL, ph, 1,
                         "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                         "<LocationConstraint>us-west-2</LocationConstraint></CreateBucketConfiguration>",
                         "s3", &c, &code, &msg));
    g_assert_cmpstr(c.op, ==, "CreateBucket");
    const cJSON *cfg = cJSON_GetObjectItem(c.input, "CreateBucketConfiguration");
    g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(cfg, "LocationConstraint")), ==, "us-west-2");
    wire_call_clear(&c);
    g_assert_true(decode("PUT", "/newb", "policy", ph, 1, "{\"Version\":\"2012-10-17\"}", "s3", &c,
                         &code, &msg));
    g_assert_cmpstr(c.op, ==, "PutBucketPolicy");
    wire_call_clear(&c);
    g_assert_true(decode("GET", "/newb", "list-type=2&prefix=a", ph, 1, NULL, "s3", &c, &code, &msg));
    g_assert_cmpstr(c.op, ==, "ListObjectsV2");
    g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(c.input, "Prefix")), ==, "a");
    wire_call_clear(&c);
    /* PutObject's body is the blob, held as base64 like botocore's JSON. */
    g_assert_true(decode("PUT", "/newb/k", NULL, ph, 1, "hi", "s3", &c, &code, &msg));
    g_assert_cmpstr(c.op, ==, "PutObject");
    g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(c.input, "Body")), ==, "aGk=");
    wire_call_clear(&c);
    /* The payload hash an S3 request signs must be its body's. */
    sigv4_header hh[] = { { "x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" } };
    sigv4_request hr = { "PUT", "/b/k", NULL, hh, 1, "", 0 };
    g_assert_true(wire_payload_hash_ok("s3", &hr));
    hr.body = "x";
    hr.body_len = 1;
    g_assert_false(wire_payload_hash_ok("s3", &hr));
    g_assert_true(wire_payload_hash_ok("sagemaker", &hr));
    wire_reply rep;
    wire_reply_init(&rep);
    wire_error("s3", "NoSuchKey", "The specified key does not exist.", "rid", &rep);
    g_assert_cmpint(rep.status, ==, 404);
    g_assert_nonnull(strstr(rep.body->str, "<Error><Code>NoSuchKey</Code>"));
    wire_reply_clear(&rep);
}

static void test_auth_codes(void)
{
    static const struct { const char *prefix; wire_auth_failure f; const char *code; } cases[] = {
        { "sts", WIRE_AUTH_UNKNOWN_KEY, "InvalidClientTokenId" },
        { "iam", WIRE_AUTH_BAD_SIGNATURE, "SignatureDoesNotMatch" },
        { "sagemaker", WIRE_AUTH_UNKNOWN_KEY, "UnrecognizedClientException" },
        { "kms", WIRE_AUTH_BAD_SIGNATURE, "InvalidSignatureException" },
        { "ram", WIRE_AUTH_EXPIRED_TOKEN, "ExpiredTokenException" },
        { "sts", WIRE_AUTH_EXPIRED_TOKEN, "ExpiredToken" },
        { "ec2", WIRE_AUTH_UNKNOWN_KEY, "AuthFailure" },
        { "s3", WIRE_AUTH_UNKNOWN_KEY, "InvalidAccessKeyId" },
        { "s3", WIRE_AUTH_SKEWED, "RequestTimeTooSkewed" },
        { "sagemaker", WIRE_AUTH_MISSING, "MissingAuthenticationTokenException" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        const char *code;
        char *msg;
        wire_auth_error(cases[i].prefix, cases[i].f, "d", &code, &msg);
        g_assert_cmpstr(code, ==, cases[i].code);
        g_assert_true(msg && *msg);
        g_free(msg);
    }
    g_assert_cmpint(wire_max_skew_s("s3"), ==, 900);
    g_assert_cmpint(wire_max_skew_s("sts"), ==, 300);
    g_assert_cmpstr(wire_signing_region("iam", "eu-west-1"), ==, "us-east-1");
    g_assert_cmpstr(wire_signing_region("ram", "eu-west-1"), ==, "eu-west-1");
}

/* A request for prefix:op as a client would send it, from the model's own
 * binding: the target, the Action, or the URI template with every label
 * filled and its query keys given. */
static bool route_back(const char *prefix, const char *op, GString *why)
{
    const char *proto = wire_protocol(prefix);
    const cJSON *row = shapes_op(api_shapes(), prefix, op);
    const cJSON *http = cJSON_GetObjectItem(row, "http");
    const char *signing = wire_meta_str(prefix, "signing");
    g_autofree char *target = NULL, *body = NULL, *path = NULL, *query = NULL;
    sigv4_header h[2] = { { "Host", "127.0.0.1:4566" }, { "X-Amz-Target", NULL } };
    gsize nh = 1;
    const char *method = "POST";
    if (strcmp(proto, "json") == 0) {
        target = g_strdup_printf("%s.%s", wire_meta_str(prefix, "target"), op);
        h[1].value = target;
        nh = 2;
        path = g_strdup("/");
        body = g_strdup("{}");
    } else if (strcmp(proto, "query") == 0 || strcmp(proto, "ec2") == 0) {
        path = g_strdup("/");
        body = g_strdup_printf("Action=%s&Version=%s", op, wire_meta_str(prefix, "version"));
    } else {
        method = cJSON_GetStringValue(cJSON_GetArrayItem(http, 0));
        const char *tmpl = cJSON_GetStringValue(cJSON_GetArrayItem(http, 1));
        GString *p = g_string_new(NULL);
        const char *q = strchr(tmpl, '?');
        for (const char *t = tmpl; *t && t != q; t++) {
            if (*t == '{') {
                const char *end = strchr(t, '}');
                g_string_append(p, end[-1] == '+' ? "x/y" : "x");
                t = end;
            } else
                g_string_append_c(p, *t);
        }
        path = g_string_free(p, FALSE);
        query = q ? g_strdup(q + 1) : NULL;
        body = g_strdup("");
    }
    wire_call c;
    const char *code = NULL;
    char *msg = NULL;
    sigv4_request r = { method, path, query, h, nh, body, strlen(body) };
    bool ok = wire_decode(&r, signing, &c, &code, &msg) && g_strcmp0(c.op, op) == 0 &&
              g_strcmp0(c.prefix, prefix) == 0;
    if (!ok)
        g_string_append_printf(why, "%s:%s (%s %s%s%s) routes to %s:%s%s%s\n", prefix, op, method,
                               path, query ? "?" : "", query ? query : "", c.prefix, c.op,
                               code ? " " : "", code ? code : "");
    g_free(msg);
    wire_call_clear(&c);
    return ok;
}

/* Every operation crossim simulates is reachable over the wire: a request
 * made from its own binding in the model comes back to it. */
static void test_every_operation_routes(void)
{
    GString *why = g_string_new(NULL);
    guint n = 0, bad = 0;
    for (const shapes_row *r = shapes_rows; r->kind; r++) {
        if (r->kind != 'o')
            continue;
        n++;
        bad += !route_back(r->prefix, r->name, why);
    }
    if (bad)
        g_test_message("%s", why->str);
    g_string_free(why, TRUE);
    g_assert_cmpuint(bad, ==, 0);
    g_assert_cmpuint(n, >, 190);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/wire/SV1/json", test_json);
    g_test_add_func("/wire/SV1/rest-json", test_rest_json);
    g_test_add_func("/wire/SV1/query", test_query);
    g_test_add_func("/wire/SV1/ec2", test_ec2);
    g_test_add_func("/wire/SV1/rest-xml", test_s3);
    g_test_add_func("/wire/SV2/auth-codes", test_auth_codes);
    g_test_add_func("/wire/SV1/every-operation-routes", test_every_operation_routes);
    return g_test_run();
}
