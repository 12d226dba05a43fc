#!/bin/sh
# tests/scenarios/layout.t: the folder rules of DESIGN.md, by grep over the
# sources: model/ never includes sim/; model/base/ (the leaf utilities)
# includes nothing else of the project; sim/ includes no model internals
# (*_int.h).  Each check also prints the offending lines.
. tests/scenarios/tap.sh
echo "1..4"
offending() { grep -n "$1" $2 2>/dev/null; }
check "model/ includes nothing from sim/" \
    '! offending "#include \"sim/" "model/*.[ch] model/*/*.[ch]"'
check "model/base/ includes only model/base/" \
    '! grep -n "#include \"" model/base/*.[ch] | grep -v "#include \"model/base/"'
check "sim/ includes no model internals" \
    '! offending "#include \"model/.*_int\.h\"" "sim/*.[ch]"'
# The rule must see the files it guards: an empty glob would pass anything.
check "the rules above read real sources" \
    '[ $(ls model/*.c model/base/*.c sim/*.c | wc -l) -gt 40 ]'
