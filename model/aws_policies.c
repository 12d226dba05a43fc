/* model/aws_policies.c: lookup in the generated table (see aws_policies.h). */
#include "model/aws_policies.h"

#include <string.h>

const aws_policy_row *aws_policy_get(const char *arn)
{
    for (const aws_policy_row *r = aws_policies; arn && r->arn; r++)
        if (strcmp(r->arn, arn) == 0)
            return r;
    return NULL;
}
