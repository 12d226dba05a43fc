/* model/svc_s3.c: Amazon S3: buckets, bucket policies and objects.
 *
 * Buckets live in the world (world_bucket, made by the scenario or by
 * CreateBucket; names are global); each keeps its objects as key -> metadata
 * (ContentLength, ETag, LastModified, ContentType, Metadata, Body as base64,
 * SSEKMSKeyId).  This module keeps only the names of the buckets CreateBucket
 * made, for ListBuckets (the world offers no bucket listing).
 *
 * Authorisation: api_authorize with the bucket policy as the resource policy
 * and the bucket's account as the resource owner; S3 answers every denial
 * with AccessDenied / "Access Denied", whatever the reason.  A missing object
 * is NoSuchKey only for callers allowed s3:ListBucket, AccessDenied for the
 * others, as S3 does.
 *
 * Records: object-level calls (PutObject, GetObject, HeadObject, DeleteObject,
 * ListObjectsV2) are CloudTrail data events (eventCategory Data,
 * managementEvent false); calls from another account are delivered to the
 * caller and to the bucket owner.  requestParameters are written in S3's
 * CloudTrail form (bucketName, Host, key).  Objects put with SSE-KMS use the
 * key through kms_use with the caller's rights (kms:ViaService s3.<region>). */
#include "model/s3.h"
#include "model/world_int.h"
#include "model/estate.h"
#include "model/service.h"

#include <string.h>

#include "model/kms.h"

#define S3_SERVICE "s3"
/* The resource type a trail selects S3's data events by. */
#define S3_OBJECT_TYPE "AWS::S3::Object"


/* ---- helpers ------------------------------------------------------------------------ */

static char *iso(const api_call *c, int64_t t)
{
    char b[21];
    world_iso_time(c->w, t, b);
    return g_strdup(b);
}

static char *canonical_id(const char *account)
{
    g_autofree char *seed = g_strdup_printf("crossim-canonical-user/%s", account ? account : "");
    return g_compute_checksum_for_string(G_CHECKSUM_SHA256, seed, -1);
}

/* requestParameters and additionalEventData as S3 writes them to CloudTrail. */
static void log_request(api_call *c, const char *bucket, const char *key)
{
    c->request_params = cJSON_CreateObject();
    if (bucket) {
        cJSON_AddStringToObject(c->request_params, "bucketName", bucket);
        g_autofree char *host = g_strdup_printf("%s.s3.%s.amazonaws.com", bucket, world_region(c->w));
        cJSON_AddStringToObject(c->request_params, "Host", host);
    } else {
        g_autofree char *host = g_strdup_printf("s3.%s.amazonaws.com", world_region(c->w));
        cJSON_AddStringToObject(c->request_params, "Host", host);
    }
    if (key)
        cJSON_AddStringToObject(c->request_params, "key", key);
    c->additional_data = cJSON_CreateObject();
    cJSON_AddStringToObject(c->additional_data, "SignatureVersion", "SigV4");
    cJSON_AddStringToObject(c->additional_data, "AuthenticationMethod", "AuthHeader");
}

static void bytes_moved(api_call *c, double in, double out)
{
    cJSON_AddNumberToObject(c->additional_data, "bytesTransferredIn", in);
    cJSON_AddNumberToObject(c->additional_data, "bytesTransferredOut", out);
}

static world_bucket *bucket_for(api_call *c)
{
    const char *name = api_str(c->input, "Bucket");
    world_bucket *b = world_bucket_get(c->w, name);
    if (!b) {
        api_error_set(&c->err, "NoSuchBucket", "The specified bucket does not exist");
        return NULL;
    }
    g_autofree char *arn = g_strdup_printf("arn:aws:s3:::%s", b->name);
    api_resource(c, arn, b->account, "AWS::S3::Bucket");
    return b;
}

/* Records the object resource the way S3 data events carry it: no accountId. */
static void object_resource(api_call *c, const char *arn)
{
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "type", "AWS::S3::Object");
    cJSON_AddStringToObject(r, "ARN", arn);
    cJSON_InsertItemInArray(c->resources, 0, r);
}

/* S3 condition keys every call carries, plus the caller's extra ones. */
static iam_ctx *s3_context(const api_call *c, const world_bucket *b)
{
    iam_ctx *x = iam_ctx_new();
    iam_ctx_set(x, "s3:ResourceAccount", b ? b->account : c->caller->account);
    iam_ctx_set(x, "s3:signatureversion", "AWS4-HMAC-SHA256");
    iam_ctx_set(x, "s3:authType", "REST-HEADER");
    /* A service writing with the caller's rights (c->invoked_by) gets
     * aws:ViaAWSService and aws:CalledVia from api_authorize. */
    return x;
}

static void access_denied(api_call *c)
{
    /* S3 never says why. */
    api_error_set(&c->err, "AccessDenied", "Access Denied");
}

static bool s3_authorize(api_call *c, const char *action, const char *arn, const world_bucket *b,
                         const iam_ctx *x)
{
    g_autoptr(GPtrArray) pol = g_ptr_array_new();
    if (b && b->policy && b->policy->compiled)
        g_ptr_array_add(pol, b->policy->compiled);
    if (api_authorize(c, action, arn, b ? b->account : NULL, pol, API_RES_OPTIONAL, x))
        return true;
    access_denied(c);
    return false;
}

/* Bucket-configuration calls only the owner's account may make: S3 answers
 * other accounts MethodNotAllowed even when the bucket policy allows them. */
static bool owner_only(api_call *c, const world_bucket *b)
{
    if (g_strcmp0(c->caller->account, b->account) == 0)
        return true;
    api_error_set(&c->err, "MethodNotAllowed",
                  "The specified method is not allowed against this resource.");
    return false;
}

/* The object a call names; missing objects answer NoSuchKey only to callers
 * allowed to list the bucket. */
static cJSON *object_for(api_call *c, world_bucket *b, const char *key, const iam_ctx *x)
{
    cJSON *meta = g_hash_table_lookup(b->objects, key);
    if (meta)
        return meta;
    g_autofree char *barn = g_strdup_printf("arn:aws:s3:::%s", b->name);
    if (s3_authorize(c, "s3:ListBucket", barn, b, x))
        api_error_set(&c->err, "NoSuchKey", "The specified key does not exist.");
    return NULL;
}

/* Uses the object's KMS key, as S3 does for SSE-KMS, with the caller's rights. */
static bool sse_kms(api_call *c, const char *action, const char *key_id, const char *obj_arn)
{
    g_autoptr(cJSON) ectx = cJSON_CreateObject();
    cJSON_AddStringToObject(ectx, "aws:s3:arn", obj_arn);
    api_error e = { 0 };
    if (kms_use(c->w, c->caller, c->rng, "s3.amazonaws.com", action, key_id, ectx, &e))
        return true;
    if (g_strcmp0(e.code, "AccessDeniedException") == 0)
        api_error_set(&c->err, "AccessDenied", "%s", e.message ? e.message : "Access Denied");
    else if (g_strcmp0(e.code, "NotFoundException") == 0)
        api_error_set(&c->err, "KMS.NotFoundException", "%s", e.message ? e.message : "");
    else if (g_strcmp0(e.code, "DisabledException") == 0)
        api_error_set(&c->err, "KMS.DisabledException", "%s", e.message ? e.message : "");
    else
        api_error_set(&c->err, "KMS.KMSInvalidStateException", "%s", e.message ? e.message : "");
    api_error_clear(&e);
    return false;
}

/* ---- buckets ---------------------------------------------------------------------------- */

static bool create_bucket(api_call *c)
{
    const char *name = api_str(c->input, "Bucket");
    log_request(c, name, NULL);
    g_autofree char *arn = g_strdup_printf("arn:aws:s3:::%s", name);
    api_resource(c, arn, c->caller->account, "AWS::S3::Bucket");
    g_autoptr(iam_ctx) x = s3_context(c, NULL);
    if (!s3_authorize(c, "s3:CreateBucket", arn, NULL, x))
        return false;
    const world_bucket *old = world_bucket_get(c->w, name);
    if (old && g_strcmp0(old->account, c->caller->account) == 0) {
        api_error_set(&c->err, "BucketAlreadyOwnedByYou",
                      "Your previous request to create the named bucket succeeded and you already own it.");
        return false;
    }
    if (old) {
        api_error_set(&c->err, "BucketAlreadyExists",
                      "The requested bucket name is not available. The bucket namespace is shared "
                      "by all users of the system. Please select a different name and try again.");
        return false;
    }
    world_add_bucket(c->w, c->caller->account, name);
    c->output = cJSON_CreateObject();
    g_autofree char *loc = g_strdup_printf("/%s", name);
    cJSON_AddStringToObject(c->output, "Location", loc);
    return true;
}

static bool put_bucket_policy(api_call *c)
{
    log_request(c, api_str(c->input, "Bucket"), NULL);
    world_bucket *b = bucket_for(c);
    if (!b)
        return false;
    g_autoptr(cJSON) doc = cJSON_Parse(api_str(c->input, "Policy"));
    if (doc)
        cJSON_AddItemToObject(c->request_params, "bucketPolicy", cJSON_Duplicate(doc, 1));
    g_autofree char *arn = g_strdup_printf("arn:aws:s3:::%s", b->name);
    g_autoptr(iam_ctx) x = s3_context(c, b);
    if (!owner_only(c, b) || !s3_authorize(c, "s3:PutBucketPolicy", arn, b, x))
        return false;
    if (!cJSON_IsObject(doc)) {
        api_error_set(&c->err, "MalformedPolicy",
                      "Policies must be valid JSON and the first byte must be '{'");
        return false;
    }
    const char *rule = iam_doc_principal_rule(doc, IAM_DOC_RESOURCE);
    if (rule) {
        api_error_set(&c->err, "MalformedPolicy", "%s", rule);
        return false;
    }
    g_autoptr(GError) gerr = NULL;
    world_policy *p = world_policy_new("bucket-policy", NULL, doc, &gerr);
    if (!p) {
        api_error_set(&c->err, "MalformedPolicy", "%s", gerr ? gerr->message : "Invalid policy");
        return false;
    }
    world_policy_free(b->policy);
    b->policy = p;
    return true;
}

static bool get_bucket_policy(api_call *c)
{
    log_request(c, api_str(c->input, "Bucket"), NULL);
    world_bucket *b = bucket_for(c);
    if (!b)
        return false;
    g_autofree char *arn = g_strdup_printf("arn:aws:s3:::%s", b->name);
    g_autoptr(iam_ctx) x = s3_context(c, b);
    if (!owner_only(c, b) || !s3_authorize(c, "s3:GetBucketPolicy", arn, b, x))
        return false;
    if (!b->policy) {
        api_error_set(&c->err, "NoSuchBucketPolicy", "The bucket policy does not exist");
        return false;
    }
    g_autofree char *text = cJSON_PrintUnformatted(b->policy->doc);
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "Policy", text);
    return true;
}

static bool delete_bucket_policy(api_call *c)
{
    log_request(c, api_str(c->input, "Bucket"), NULL);
    world_bucket *b = bucket_for(c);
    if (!b)
        return false;
    g_autofree char *arn = g_strdup_printf("arn:aws:s3:::%s", b->name);
    g_autoptr(iam_ctx) x = s3_context(c, b);
    if (!owner_only(c, b) || !s3_authorize(c, "s3:DeleteBucketPolicy", arn, b, x))
        return false;
    g_clear_pointer(&b->policy, world_policy_free);
    return true;
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool list_buckets(api_call *c)
{
    log_request(c, NULL, NULL);
    g_autoptr(iam_ctx) x = s3_context(c, NULL);
    if (!s3_authorize(c, "s3:ListAllMyBuckets", "*", NULL, x))
        return false;
    const char *prefix = api_str(c->input, "Prefix");
    g_autoptr(GPtrArray) all = world_buckets_of(c->w, c->caller->account);
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    for (guint i = 0; i < all->len; i++) {
        const world_bucket *b = all->pdata[i];
        if (!prefix || g_str_has_prefix(b->name, prefix))
            g_ptr_array_add(names, b->name);
    }
    c->output = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(c->output, "Buckets");
    for (guint i = 0; i < names->len; i++) {
        const world_bucket *b = world_bucket_get(c->w, names->pdata[i]);
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "Name", b->name);
        g_autofree char *t = iso(c, b->created_us);
        cJSON_AddStringToObject(e, "CreationDate", t);
        cJSON_AddStringToObject(e, "BucketRegion", world_region(c->w));
        cJSON_AddItemToArray(list, e);
    }
    cJSON *owner = cJSON_AddObjectToObject(c->output, "Owner");
    g_autofree char *id = canonical_id(c->caller->account);
    cJSON_AddStringToObject(owner, "ID", id);
    if (prefix)
        cJSON_AddStringToObject(c->output, "Prefix", prefix);
    return true;
}

/* ---- objects -------------------------------------------------------------------------- */

static bool put_object(api_call *c)
{
    c->data_type = S3_OBJECT_TYPE;
    const char *key = api_str(c->input, "Key");
    log_request(c, api_str(c->input, "Bucket"), key);
    world_bucket *b = bucket_for(c);
    if (!b)
        return false;
    g_autofree char *arn = g_strdup_printf("arn:aws:s3:::%s/%s", b->name, key);
    object_resource(c, arn);
    g_autoptr(iam_ctx) x = s3_context(c, b);
    const char *sse = api_str(c->input, "ServerSideEncryption");
    const char *kms_key = api_str(c->input, "SSEKMSKeyId");
    if (sse)
        iam_ctx_set(x, "s3:x-amz-server-side-encryption", sse);
    if (kms_key)
        iam_ctx_set(x, "s3:x-amz-server-side-encryption-aws-kms-key-id", kms_key);
    const char *ct = api_str(c->input, "ContentType");
    if (ct)
        iam_ctx_set(x, "s3:content-type", ct);
    if (!s3_authorize(c, "s3:PutObject", arn, b, x))
        return false;
    bool use_kms = g_strcmp0(sse, "aws:kms") == 0 || g_strcmp0(sse, "aws:kms:dsse") == 0;
    if (use_kms && kms_key && !sse_kms(c, "kms:GenerateDataKey", kms_key, arn))
        return false;
    const char *body = api_str(c->input, "Body");
    gsize n = 0;
    g_autofree guchar *raw = body ? g_base64_decode(body, &n) : NULL;
    g_autofree char *md5 = g_compute_checksum_for_data(G_CHECKSUM_MD5, raw ? raw : (const guchar *)"", n);
    g_autofree char *etag = g_strdup_printf("\"%s\"", md5);
    g_autofree char *now = iso(c, c->now);
    cJSON *meta = cJSON_CreateObject();
    cJSON_AddNumberToObject(meta, "ContentLength", (double)n);
    cJSON_AddStringToObject(meta, "ETag", etag);
    cJSON_AddStringToObject(meta, "LastModified", now);
    cJSON_AddStringToObject(meta, "ContentType", ct ? ct : "binary/octet-stream");
    cJSON_AddStringToObject(meta, "Body", body ? body : "");
    const cJSON *um = cJSON_GetObjectItemCaseSensitive(c->input, "Metadata");
    if (um)
        cJSON_AddItemToObject(meta, "Metadata", cJSON_Duplicate(um, 1));
    cJSON_AddStringToObject(meta, "ServerSideEncryption", use_kms ? sse : "AES256");
    if (use_kms && kms_key)
        cJSON_AddStringToObject(meta, "SSEKMSKeyId", kms_key);
    cJSON_AddStringToObject(meta, "Owner", c->caller->account);
    g_hash_table_replace(b->objects, g_strdup(key), meta);
    bytes_moved(c, (double)n, 0);
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "ETag", etag);
    cJSON_AddStringToObject(c->output, "ServerSideEncryption", use_kms ? sse : "AES256");
    if (use_kms && kms_key)
        cJSON_AddStringToObject(c->output, "SSEKMSKeyId", kms_key);
    cJSON_AddNumberToObject(c->output, "Size", (double)n);
    c->response_elements = cJSON_CreateObject();
    cJSON_AddStringToObject(c->response_elements, "x-amz-server-side-encryption",
                            use_kms ? sse : "AES256");
    return true;
}

/* GetObject and HeadObject (both need s3:GetObject). */
static bool read_object(api_call *c, bool with_body)
{
    c->data_type = S3_OBJECT_TYPE;
    const char *key = api_str(c->input, "Key");
    log_request(c, api_str(c->input, "Bucket"), key);
    world_bucket *b = bucket_for(c);
    if (!b)
        return false;
    g_autofree char *arn = g_strdup_printf("arn:aws:s3:::%s/%s", b->name, key);
    object_resource(c, arn);
    g_autoptr(iam_ctx) x = s3_context(c, b);
    if (!s3_authorize(c, "s3:GetObject", arn, b, x))
        return false;
    const cJSON *meta = object_for(c, b, key, x);
    if (!meta)
        return false;
    const char *kms_key = api_str(meta, "SSEKMSKeyId");
    if (kms_key && !sse_kms(c, "kms:Decrypt", kms_key, arn))
        return false;
    c->output = cJSON_CreateObject();
    const char *const copy[] = { "ContentLength", "ETag", "LastModified", "ContentType",
                                 "Metadata", "ServerSideEncryption", "SSEKMSKeyId" };
    for (gsize i = 0; i < G_N_ELEMENTS(copy); i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(meta, copy[i]);
        if (v)
            cJSON_AddItemToObject(c->output, copy[i], cJSON_Duplicate(v, 1));
    }
    if (!cJSON_GetObjectItemCaseSensitive(meta, "LastModified")) {
        g_autofree char *t = iso(c, b->created_us);
        cJSON_AddStringToObject(c->output, "LastModified", t);
    }
    double n = api_num(meta, "ContentLength", 0);
    if (with_body) {
        const char *body = api_str(meta, "Body");
        cJSON_AddStringToObject(c->output, "Body", body ? body : "");
    }
    bytes_moved(c, 0, with_body ? n : 0);
    return true;
}

static bool get_object(api_call *c) { return read_object(c, true); }
static bool head_object(api_call *c) { return read_object(c, false); }

static bool delete_object(api_call *c)
{
    c->data_type = S3_OBJECT_TYPE;
    const char *key = api_str(c->input, "Key");
    log_request(c, api_str(c->input, "Bucket"), key);
    world_bucket *b = bucket_for(c);
    if (!b)
        return false;
    g_autofree char *arn = g_strdup_printf("arn:aws:s3:::%s/%s", b->name, key);
    object_resource(c, arn);
    g_autoptr(iam_ctx) x = s3_context(c, b);
    if (!s3_authorize(c, "s3:DeleteObject", arn, b, x))
        return false;
    g_hash_table_remove(b->objects, key);    /* deleting nothing succeeds too */
    bytes_moved(c, 0, 0);
    return true;
}

/* ListObjectsV2 is logged as a data event (CloudTrail's S3 data events
 * include the ListObjects family). */
static bool list_objects_v2(api_call *c)
{
    c->data_type = S3_OBJECT_TYPE;
    log_request(c, api_str(c->input, "Bucket"), NULL);
    const char *prefix = api_str(c->input, "Prefix");
    const char *delim = api_str(c->input, "Delimiter");
    cJSON_AddStringToObject(c->request_params, "list-type", "2");
    if (prefix)
        cJSON_AddStringToObject(c->request_params, "prefix", prefix);
    if (delim)
        cJSON_AddStringToObject(c->request_params, "delimiter", delim);
    world_bucket *b = bucket_for(c);
    if (!b)
        return false;
    g_autofree char *arn = g_strdup_printf("arn:aws:s3:::%s", b->name);
    g_autoptr(iam_ctx) x = s3_context(c, b);
    iam_ctx_set(x, "s3:prefix", prefix ? prefix : "");
    if (delim)
        iam_ctx_set(x, "s3:delimiter", delim);
    int max_keys = (int)api_num(c->input, "MaxKeys", 1000);
    g_autofree char *mk = g_strdup_printf("%d", max_keys);
    iam_ctx_set(x, "s3:max-keys", mk);
    if (!s3_authorize(c, "s3:ListBucket", arn, b, x))
        return false;
    /* Resume point: after the continuation token's key, else after StartAfter. */
    const char *token = api_str(c->input, "ContinuationToken");
    g_autofree char *after = NULL;
    if (token) {
        gsize n = 0;
        g_autofree guchar *raw = g_base64_decode(token, &n);
        if (!raw || n == 0 || memchr(raw, '\0', n)) {
            api_error_set(&c->err, "InvalidArgument", "The continuation token provided is incorrect");
            return false;
        }
        after = g_strndup((const char *)raw, n);
    } else if (api_str(c->input, "StartAfter")) {
        after = g_strdup(api_str(c->input, "StartAfter"));
    }
    g_autoptr(GPtrArray) keys = g_ptr_array_new();
    GHashTableIter it;
    gpointer k;
    g_hash_table_iter_init(&it, b->objects);
    while (g_hash_table_iter_next(&it, &k, NULL))
        if ((!prefix || g_str_has_prefix(k, prefix)) && (!after || strcmp(k, after) > 0))
            g_ptr_array_add(keys, k);
    g_ptr_array_sort(keys, cmp_str);      /* S3 lists in key order */
    c->output = cJSON_CreateObject();
    cJSON_AddStringToObject(c->output, "Name", b->name);
    cJSON_AddStringToObject(c->output, "Prefix", prefix ? prefix : "");
    cJSON *contents = cJSON_CreateArray();
    cJSON *common = cJSON_CreateArray();
    int count = 0;
    const char *last = NULL, *last_common = NULL;
    bool truncated = false;
    g_autofree char *owner = canonical_id(b->account);
    for (guint i = 0; i < keys->len; i++) {
        const char *key = keys->pdata[i];
        const char *rest = key + (prefix ? strlen(prefix) : 0);
        const char *cut = delim && *delim ? strstr(rest, delim) : NULL;
        if (cut) {
            g_autofree char *cp = g_strndup(key, (gsize)(cut - key) + strlen(delim));
            if (last_common && strcmp(last_common, cp) == 0)
                continue;          /* the same common prefix, already counted */
            if (count == max_keys) {
                truncated = true;
                break;
            }
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "Prefix", cp);
            cJSON_AddItemToArray(common, e);
            last_common = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "Prefix"));
            /* Resume after every key under this prefix. */
            last = key;
            while (i + 1 < keys->len && g_str_has_prefix(keys->pdata[i + 1], cp))
                last = keys->pdata[++i];
            count++;
            continue;
        }
        if (count == max_keys) {
            truncated = true;
            break;
        }
        const cJSON *meta = g_hash_table_lookup(b->objects, key);
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "Key", key);
        const char *lm = api_str(meta, "LastModified");
        g_autofree char *created = iso(c, b->created_us);
        cJSON_AddStringToObject(e, "LastModified", lm ? lm : created);
        const char *etag = api_str(meta, "ETag");
        cJSON_AddStringToObject(e, "ETag", etag ? etag : "\"d41d8cd98f00b204e9800998ecf8427e\"");
        cJSON_AddNumberToObject(e, "Size", api_num(meta, "ContentLength", 0));
        cJSON_AddStringToObject(e, "StorageClass", "STANDARD");
        if (api_bool(c->input, "FetchOwner", false)) {
            cJSON *o = cJSON_AddObjectToObject(e, "Owner");
            cJSON_AddStringToObject(o, "ID", owner);
        }
        cJSON_AddItemToArray(contents, e);
        last = key;
        count++;
    }
    if (cJSON_GetArraySize(contents) > 0)
        cJSON_AddItemToObject(c->output, "Contents", contents);
    else
        cJSON_Delete(contents);
    if (cJSON_GetArraySize(common) > 0)
        cJSON_AddItemToObject(c->output, "CommonPrefixes", common);
    else
        cJSON_Delete(common);
    if (delim)
        cJSON_AddStringToObject(c->output, "Delimiter", delim);
    cJSON_AddNumberToObject(c->output, "MaxKeys", max_keys);
    cJSON_AddNumberToObject(c->output, "KeyCount", count);
    cJSON_AddBoolToObject(c->output, "IsTruncated", truncated);
    if (token)
        cJSON_AddStringToObject(c->output, "ContinuationToken", token);
    if (truncated && last) {
        g_autofree char *next = g_base64_encode((const guchar *)last, strlen(last));
        cJSON_AddStringToObject(c->output, "NextContinuationToken", next);
    }
    if (api_str(c->input, "StartAfter"))
        cJSON_AddStringToObject(c->output, "StartAfter", api_str(c->input, "StartAfter"));
    bytes_moved(c, 0, 0);
    return true;
}


/* ---- the scenario's buckets ---------------------------------------------------------- */

static const char *const bucket_keys[] = { "policy", "objects", NULL };

static void load_account(world *w, world_account *a, const cJSON *ac, const char *path, jload *l)
{
    const cJSON *buckets = jload_obj(l, ac, "buckets", path, false), *b;
    cJSON_ArrayForEach(b, buckets) {
        g_autofree char *p = g_strdup_printf("%s.buckets.%s", path, b->string);
        if (!cJSON_IsObject(b)) {
            jload_err(l, b, false, p, "a bucket is an object (policy, objects)");
            continue;
        }
        jload_check_keys(l, b, p, bucket_keys);
        if (world_bucket_get(w, b->string)) {
            jload_err(l, b, true, p, "bucket names are global: \"%s\" is already defined", b->string);
            continue;
        }
        world_bucket *wb = world_add_bucket(w, a->id, b->string);
        const cJSON *doc = jload_member(b, "policy");
        if (doc) {
            g_autofree char *pp = jload_sub(p, "policy");
            g_autofree char *bname = g_strdup_printf("bucket %s policy", b->string);
            wb->policy = estate_policy(w, l, doc, pp, bname, NULL, IAM_DOC_RESOURCE);
        }
        const cJSON *objs = jload_list(l, b, "objects", p), *o;
        cJSON_ArrayForEach(o, objs)
            if (cJSON_IsString(o)) {
                cJSON *meta = cJSON_CreateObject();
                cJSON_AddNumberToObject(meta, "ContentLength", 0);
                g_hash_table_replace(wb->objects, g_strdup(o->valuestring), meta);
            }
    }
}

static const api_op ops[] = {
    { "s3:CreateBucket", create_bucket, false, API_TO_CALLER_AND_OWNER },
    { "s3:PutBucketPolicy", put_bucket_policy, false, API_TO_CALLER_AND_OWNER },
    { "s3:GetBucketPolicy", get_bucket_policy, true, API_TO_CALLER_AND_OWNER },
    { "s3:DeleteBucketPolicy", delete_bucket_policy, false, API_TO_CALLER_AND_OWNER },
    { "s3:ListBuckets", list_buckets, true, API_TO_CALLER },
    /* Data events reach the bucket owner too when another account calls. */
    { "s3:PutObject", put_object, false, API_TO_CALLER_AND_OWNER },
    { "s3:GetObject", get_object, true, API_TO_CALLER_AND_OWNER },
    { "s3:HeadObject", head_object, true, API_TO_CALLER_AND_OWNER },
    { "s3:DeleteObject", delete_object, false, API_TO_CALLER_AND_OWNER },
    { "s3:ListObjectsV2", list_objects_v2, true, API_TO_CALLER_AND_OWNER },
    { NULL, NULL, false, API_TO_CALLER },
};

static const char *const account_keys[] = { "buckets", NULL };

/* A bucket's policy, for the bucket and its objects; the bucket's account
 * owns them (S3 ARNs carry no account). */
static bool resource_policies(world *w, const principal *caller, const char *action,
                              const char *resource, GPtrArray *out, api_resource_mode *mode,
                              char **owner)
{
    (void)caller;
    (void)action;
    if (!g_str_has_prefix(resource, "arn:aws:s3:::"))
        return false;
    g_autofree char *name = g_strndup(resource + 13, strcspn(resource + 13, "/"));
    world_bucket *b = world_bucket_get(w, name);
    if (!b)
        return false;
    *mode = API_RES_OPTIONAL;
    g_free(*owner);
    *owner = g_strdup(b->account);
    if (b->policy)
        g_ptr_array_add(out, b->policy->compiled);
    return true;
}

const api_service api_service_s3 = {
    .name = "s3", .prefix = "s3", .event_source = "s3.amazonaws.com",
    .endpoint = "s3.%s.amazonaws.com", .ops = ops, .rcp = true,
    .account_keys = account_keys, .load_account = load_account,
    .resource_policies = resource_policies,
};

/* ---- use by other services ------------------------------------------------------------ */

bool s3_put_as(world *w, const principal *caller, rng *r, const char *service,
               const char *s3_uri, api_error *err)
{
    g_return_val_if_fail(w && caller && s3_uri, false);
    const char *path = g_str_has_prefix(s3_uri, "s3://") ? s3_uri + strlen("s3://") : NULL;
    const char *slash = path ? strchr(path, '/') : NULL;
    if (!slash || slash == path || !slash[1]) {
        if (err)
            api_error_set(err, "InvalidURI", "Couldn't parse the specified URI: %s", s3_uri);
        return false;
    }
    g_autofree char *bucket = g_strndup(path, (gsize)(slash - path));
    static const char pdf[] = "%PDF-1.4\n% crossim: model card export placeholder\n%%EOF\n";
    g_autofree char *body = g_base64_encode((const guchar *)pdf, sizeof pdf - 1);
    g_autoptr(cJSON) in = cJSON_CreateObject();
    cJSON_AddStringToObject(in, "Bucket", bucket);
    cJSON_AddStringToObject(in, "Key", slash + 1);
    cJSON_AddStringToObject(in, "Body", body);
    cJSON_AddStringToObject(in, "ContentType", "application/pdf");
    g_autoptr(cJSON) out = NULL;
    return api_invoke_via(w, caller, service, "s3:PutObject", in, r, &out, err);
}
