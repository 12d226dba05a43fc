#!/bin/sh
# tests/scenarios/layout.t: the folder rules of DESIGN.md, by grep over the
# sources: model/ never includes sim/; model/base/ (the leaf utilities)
# includes nothing else of the project; sim/ includes no model internals
# (*_int.h); sim/ knows no AWS rule: outside comments, no service action,
# ARN, endpoint or AWS error code appears in its code.  The benchmarks'
# workloads (sim/bench*.c) are scenarios written as C strings, inputs like
# scenarios/*.json, and are not searched.  Each check prints what it found.
. tests/scenarios/tap.sh
echo "1..5"
offending() { grep -n "$1" $2 2>/dev/null; }
check "model/ includes nothing from sim/" \
    '! offending "#include \"sim/" "model/*.[ch] model/*/*.[ch]"'
check "model/base/ includes only model/base/" \
    '! grep -n "#include \"" model/base/*.[ch] | grep -v "#include \"model/base/"'
check "sim/ includes no model internals" \
    '! offending "#include \"model/.*_int\.h\"" "sim/*.[ch]"'
# C comments removed (block and line), then AWS names searched for.
aws_in_sim() {
    for f in $(ls sim/*.c sim/*.h | grep -v '^sim/bench'); do
        perl -0777 -pe 's{/\*.*?\*/}{}gs; s{//[^\n]*}{}g' "$f" |
            grep -nE 'arn:aws|amazonaws\.com|"(sts|iam|ram|kms|s3|sagemaker|sso|ec2|cleanrooms|cleanrooms-ml|organizations):|AccessDenied|Throttl|[A-Za-z]Exception"|NoSuch|FullAWSAccess' |
            sed "s#^#$f:#"
    done
}
check "sim/ names no AWS service, ARN or error code" '[ -z "$(aws_in_sim | tee /dev/stderr)" ]'
# The rule must see the files it guards: an empty glob would pass anything.
check "the rules above read real sources" \
    '[ $(ls model/*.c model/base/*.c sim/*.c | wc -l) -gt 40 ]'
