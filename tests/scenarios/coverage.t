#!/bin/sh
# tests/scenarios/coverage.t: every operation crossim simulates (`crossim ops`)
# is called by the tests, at least once with success and once with an error.
# The calls counted: every unit test (each call through tests/unit/host.c's
# test_call, logged to CROSSIM_TEST_OPLOG), every shipped scenario but the
# storms (their summary.json "operations"), and the tour, tests/tour/*.json:
# scenarios whose every step says what it expects, which must all hold here.
# An operation that cannot fail in AWS needs only its successes; each is
# listed here with the reason.
. tests/scenarios/tap.sh
TESTBIN=${TESTBIN:-build/tests}
ops=$("$CROSSIM" ops | cut -f1)
tours=$(ls tests/tour/*.json)
echo "1..$(( $(echo "$tours" | wc -l) + 2 + $(echo "$ops" | wc -l) ))"
: >"$tmp/oplog"
for t in "$TESTBIN"/test-*; do
  CROSSIM_TEST_OPLOG="$tmp/oplog" "$t" >/dev/null 2>&1 || echo "# $t failed (its own run reports why)"
done
check "the unit tests logged their calls" '[ $(wc -l <"$tmp/oplog") -gt 500 ]'
i=0
for f in scenarios/*.json; do
  case "$f" in *storm*) continue ;; esac
  i=$((i + 1))
  "$CROSSIM" run "$f" --out "$tmp/s$i" --quiet >/dev/null 2>&1
done
for f in $tours; do
  i=$((i + 1))
  if "$CROSSIM" run "$f" --out "$tmp/s$i" >"$tmp/s$i.txt" 2>&1; then
    ok "$f: every expectation holds"
  else
    nok "$f: every expectation holds"; sed 's/^/# /' "$tmp/s$i.txt"
  fi
done
# Every tour step expects an outcome: an unexpected success or error fails the tour.
check "every tour step says what it expects" \
  'perl -MJSON::PP -e '\''my $bad = 0;
     for my $f (@ARGV) { local $/; open my $h, "<", $f or die; my $s = decode_json(<$h>);
       for my $a (@{$s->{actors} || []}) { my $k = 0;
         for my $st (@{$a->{script} || []}) { $k++;
           next unless $st->{call}; next if exists $st->{expect};
           print STDERR "# $f: $a->{name} step $k ($st->{call}) expects nothing\n"; $bad++ } } }
     exit($bad ? 1 : 0)'\'' $tours'
echo "$ops" | perl -MJSON::PP -e '
  my ($tmp, $n) = @ARGV; my (%ok, %err);
  my %never = ("sts:GetCallerIdentity" =>
    "STS documents no error for it and needs no permission: an explicit Deny does not stop it");
  open my $log, "<", "$tmp/oplog" or die;
  while (<$log>) { chomp; my ($op, $out) = split /\t/; $out eq "ok" ? $ok{$op}++ : $err{$op}++ }
  for my $f (glob "$tmp/s*/summary.json") {
    local $/; open my $h, "<", $f or die; my $s = decode_json(<$h>);
    while (my ($op, $c) = each %{$s->{operations} || {}}) {
      $ok{$op} += $c->{calls} - $c->{errors}; $err{$op} += $c->{errors} } }
  while (my $op = <STDIN>) { chomp $op; $n++;
    my ($o, $e) = ($ok{$op} || 0, $err{$op} || 0);
    if ($never{$op}) {
      printf "%s %d - %s: %d successful calls (%s)\n", ($o ? "ok" : "not ok"), $n, $op, $o, $never{$op};
      next }
    printf "%s %d - %s: %d successful, %d failed calls\n",
      ($o && $e ? "ok" : "not ok"), $n, $op, $o, $e }' "$tmp" "$n"
