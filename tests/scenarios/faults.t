#!/bin/sh
# Faults a run meets: a file-size limit (a full disk) and kill -9 at points
# of a large run.  Either way the outputs hold whole records only and no
# temporary file (issue 13): every JSON Lines line is one JSON object, every
# .json.gz is whole, summary.json is whole or absent.
. tests/scenarios/tap.sh
echo "1..14"

# Logs are appended to, so a torn record could only be a file's last line:
# every log ends in a newline and its first and last lines parse as JSON
# objects; every gzip is whole; summary.json is whole or absent; no *.tmp.
whole() {
  perl -MJSON::PP -MFile::Find -e '
    my ($dir) = @ARGV; my $bad = 0;
    find({ no_chdir => 1, wanted => sub {
      my $f = $File::Find::name;
      if ($f =~ /\.tmp\z|\/\.goutputstream-/) { print "# temporary file $f\n"; $bad = 1; }
      return unless $f =~ /\.jsonl\z/ && -s $f;
      open my $h, "<", $f or die; local $/; my $t = <$h>;
      if ($t !~ /\n\z/) { print "# $f: torn last line\n"; $bad = 1; return; }
      my @l = split /\n/, $t;
      for my $l ($l[0], $l[-1]) {
        my $v = eval { JSON::PP->new->decode($l) };
        if (ref $v ne "HASH") { print "# $f: a line is not a JSON object\n"; $bad = 1; }
      }
    } }, $dir);
    if (-e "$dir/summary.json") {
      open my $h, "<", "$dir/summary.json" or die; local $/;
      eval { JSON::PP->new->decode(<$h>); 1 } or do { print "# summary.json is not whole\n"; $bad = 1 };
    }
    exit $bad;' "$1" &&
  { [ -z "$(find "$1" -name '*.json.gz' | head -1)" ] || find "$1" -name '*.json.gz' -exec gzip -t {} + ; }
}

# 1. A file-size limit of 256 KB: the run stops with status 3 and its error.
( ulimit -f 256; exec "$CROSSIM" run scenarios/ram-storm-1000.json --out "$tmp/fsize" --s3-layout \
    >"$tmp/fsize.out" 2>"$tmp/fsize.err" )
rc=$?
check "a full disk (RLIMIT_FSIZE) ends the run with status 3" '[ $rc -eq 3 ]'
check "the error names the file it could not write" 'grep -q "cannot write .*: File too large" "$tmp/fsize.err"'
check "after a full disk: whole records only, no temporary files" 'whole "$tmp/fsize"'
check "after a full disk: some records were written" '[ -n "$(find "$tmp/fsize" -name "*.jsonl" -size +0)" ]'

# 2. kill -9 at three points of a 10,000-account storm with the S3 layout.
for at in 0.4 1.2 2.0; do
  "$CROSSIM" run scenarios/ram-storm-10000.json --out "$tmp/k$at" --s3-layout >/dev/null 2>&1 &
  pid=$!
  sleep "$at"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  check "kill -9 after ${at}s: whole records only, no temporary files" 'whole "$tmp/k$at"'
done

# 3. The same storm run to its end is whole too, and the summary is there.
"$CROSSIM" run scenarios/ram-storm-1000.json --out "$tmp/full" --s3-layout >"$tmp/full1.out" 2>&1
rc=$?
check "the uninterrupted storm exits 0" '[ $rc -eq 0 ]'
check "uninterrupted: whole records, summary present" 'whole "$tmp/full" && [ -s "$tmp/full/summary.json" ]'
# A rerun into the same folder is refused (exit 2, nothing touched) unless
# --force, which removes crossim's own outputs first and no other file, then
# replaces every file whole, with the same bytes.
sum1=$(sha256sum "$tmp/full/summary.json")
"$CROSSIM" run scenarios/ram-storm-1000.json --out "$tmp/full" --s3-layout >"$tmp/full2.out" 2>&1
rc=$?
check "a rerun into a folder holding a run is refused: exit 2, the reason named, nothing changed" \
  '[ $rc -eq 2 ] && grep -q "holds an earlier run (summary.json, timeline.html, trail/, AWSLogs/): give another --out, or --force" "$tmp/full2.out" && [ "$(sha256sum "$tmp/full/summary.json")" = "$sum1" ]'
echo "keep me" >"$tmp/full/notes.txt"
mkdir -p "$tmp/full/trail/mine" && echo x >"$tmp/full/trail/mine/own.txt"
"$CROSSIM" run scenarios/ram-storm-1000.json --out "$tmp/full" --s3-layout --force >"$tmp/full2.out" 2>&1
rc=$?
check "with --force the rerun exits 0" '[ $rc -eq 0 ]'
check "--force removed only crossim's outputs: a user's files stay" \
  '[ "$(cat "$tmp/full/notes.txt")" = "keep me" ] && [ -s "$tmp/full/trail/mine/own.txt" ]'
check "the rerun leaves whole files and no temporaries" 'whole "$tmp/full"'
check "the rerun's digest is the first run's (same seed)" \
  '[ -n "$(grep "^digest: sha256:" "$tmp/full1.out")" ] && [ "$(grep "^digest:" "$tmp/full1.out")" = "$(grep "^digest:" "$tmp/full2.out")" ]'
