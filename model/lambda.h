/* model/lambda.h: AWS Lambda functions as other services see them.
 *
 * A scenario declares an account's functions ("lambda_functions": name ->
 * {"returns", "error", "duration", "policy"}): what each returns, or the
 * error it raises, how long it runs, and its resource-based policy.  crossim
 * runs no code; lambda:Invoke answers with the declared result
 * (model/svc_lambda.c).  A SageMaker Pipelines Lambda step invokes its
 * function through api_invoke_via as the execution role and waits for the
 * function's run time, from lambda_run_us. */
#ifndef CROSSIM_LAMBDA_H
#define CROSSIM_LAMBDA_H

#include <stdint.h>

#include "model/world.h"

/* Lambda's largest timeout: a function runs at most 15 minutes. */
#define LAMBDA_MAX_RUN_US (900LL * 1000000)

/* How long the function of this ARN runs (its declared duration); 0 when
 * there is no such function. */
int64_t lambda_run_us(world *w, const char *function_arn);

#endif
