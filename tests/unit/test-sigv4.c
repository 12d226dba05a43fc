/* tests/unit/test-sigv4.c: Signature Version 4 as a service verifies it
 * (SV2), against AWS's published examples: the signature test suite's
 * get-vanilla and post-x-www-form-urlencoded cases, and the S3 API
 * reference's "GET Object" example (a path signed as sent, a signed
 * x-amz-content-sha256 and a range header). */
#include <glib.h>
#include <string.h>

#include "model/sigv4.h"

static const char *const SUITE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

static char *sign(const sigv4_request *r, const char *secret, bool s3, sigv4_auth *a)
{
    char *why = NULL;
    g_assert_cmpint(sigv4_parse(r, a, &why), ==, SIGV4_PARSED);
    g_assert_null(why);
    return sigv4_signature(r, a, secret, s3, NULL);
}

static void test_get_vanilla(void)
{
    sigv4_header h[] = {
        { "Host", "example.amazonaws.com" },
        { "X-Amz-Date", "20150830T123600Z" },
        { "Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
                           "aws4_request, SignedHeaders=host;x-amz-date, Signature="
                           "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31" },
    };
    sigv4_request r = { "GET", "/", NULL, h, G_N_ELEMENTS(h), "", 0 };
    sigv4_auth a;
    g_autofree char *sig = sign(&r, SUITE_SECRET, false, &a);
    g_assert_cmpstr(a.key, ==, "AKIDEXAMPLE");
    g_assert_cmpstr(a.service, ==, "service");
    g_assert_cmpstr(sig, ==, a.signature);
    g_assert_true(sigv4_equal(sig, a.signature));
    /* Another secret, or one header changed after signing, gives another signature. */
    g_autofree char *other = sigv4_signature(&r, &a, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEz",
                                             false, NULL);
    g_assert_false(sigv4_equal(other, a.signature));
    h[0].value = "example.amazonaws.com:8080";
    g_autofree char *moved = sigv4_signature(&r, &a, SUITE_SECRET, false, NULL);
    g_assert_false(sigv4_equal(moved, a.signature));
    sigv4_auth_clear(&a);
}

/* The suite's get-vanilla-query-order-key-case: parameters sorted by key. */
static void test_query_order(void)
{
    sigv4_header h[] = {
        { "Host", "example.amazonaws.com" },
        { "X-Amz-Date", "20150830T123600Z" },
        { "Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
                           "aws4_request, SignedHeaders=host;x-amz-date, Signature="
                           "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500" },
    };
    sigv4_request r = { "GET", "/", "Param2=value2&Param1=value1", h, G_N_ELEMENTS(h), "", 0 };
    sigv4_auth a;
    g_autofree char *canon = NULL;
    g_autofree char *why = NULL;
    g_assert_cmpint(sigv4_parse(&r, &a, &why), ==, SIGV4_PARSED);
    g_autofree char *sig = sigv4_signature(&r, &a, SUITE_SECRET, false, &canon);
    g_assert_nonnull(strstr(canon, "\nParam1=value1&Param2=value2\n"));
    g_assert_cmpstr(sig, ==, a.signature);
    sigv4_auth_clear(&a);
}

static void test_s3_get_object(void)
{
    sigv4_header h[] = {
        { "Host", "examplebucket.s3.amazonaws.com" },
        { "Range", "bytes=0-9" },
        { "x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
        { "x-amz-date", "20130524T000000Z" },
        { "Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
                           "aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
                           "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41" },
    };
    sigv4_request r = { "GET", "/test.txt", NULL, h, G_N_ELEMENTS(h), "", 0 };
    sigv4_auth a;
    g_autofree char *sig = sign(&r, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", true, &a);
    g_assert_cmpstr(a.service, ==, "s3");
    g_assert_cmpstr(sig, ==, a.signature);
    sigv4_auth_clear(&a);
}

static void test_parse_errors(void)
{
    sigv4_header none[] = { { "Host", "h" } };
    sigv4_request r = { "GET", "/", NULL, none, 1, "", 0 };
    sigv4_auth a;
    char *why = NULL;
    g_assert_cmpint(sigv4_parse(&r, &a, &why), ==, SIGV4_MISSING);
    sigv4_auth_clear(&a);
    sigv4_header bad[] = { { "Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1, "
                                              "SignedHeaders=host, Signature=00" },
                           { "X-Amz-Date", "20150830T123600Z" } };
    r.headers = bad;
    r.n_headers = 2;
    g_assert_cmpint(sigv4_parse(&r, &a, &why), ==, SIGV4_MALFORMED);
    g_assert_nonnull(strstr(why, "Credential"));
    g_free(why);
    sigv4_auth_clear(&a);
    g_assert_cmpint(sigv4_time("20150830T123600Z"), ==, 1440938160);
    g_assert_cmpint(sigv4_time("2015-08-30"), ==, -1);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sigv4/SV2/get-vanilla", test_get_vanilla);
    g_test_add_func("/sigv4/SV2/query-order", test_query_order);
    g_test_add_func("/sigv4/SV2/s3-get-object", test_s3_get_object);
    g_test_add_func("/sigv4/SV2/parse-errors", test_parse_errors);
    return g_test_run();
}
