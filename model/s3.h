/* model/s3.h: Amazon S3 as other services see it.
 *
 * The S3 operations themselves are in the table api_ops_s3 (model/svc_s3.c).
 * Services that write to a customer's bucket with the customer's rights
 * (SageMaker writing a model card export PDF) go through s3_put_as, which
 * makes a real s3:PutObject call through api_invoke_via: authorised against
 * the caller's policies and the bucket policy, and recorded as a data event
 * with the caller's identity and invokedBy = the service. */
#ifndef CROSSIM_S3_H
#define CROSSIM_S3_H

#include <stdbool.h>

#include "model/api.h"

/* Puts an object at s3_uri ("s3://bucket/key/...") as caller, by service
 * ("sagemaker.amazonaws.com"), with a small placeholder body.
 * r: the stream for generated ids (NULL: a world stream).
 * Returns true when S3 stored it; false with *err set (S3's code and message:
 * AccessDenied / "Access Denied", NoSuchBucket, or InvalidURI for a URI that
 * names no bucket and key).  err may be NULL. */
bool s3_put_as(world *w, const principal *caller, rng *r, const char *service,
               const char *s3_uri, api_error *err);

#endif
