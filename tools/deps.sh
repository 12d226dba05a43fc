#!/bin/sh
# Install the Debian 12 packages crossim needs, if any is missing.
# As root it runs apt-get itself; otherwise through sudo; failing both it
# prints the exact command to run and exits 1.
set -u
# clang builds check-asan's second pass and the fuzzers; wrk drives the serve
# figures of `make bench`; extra packages may be named on the command line.
need="gcc make pkg-config perl gzip libglib2.0-dev libcjson-dev libevent-dev libpcre2-dev libsqlite3-dev sqlite3 clang wrk parallel slurm-wlm $*"
# The serve tests drive crossim with the real aws CLI and boto3: Debian's
# packages, unless the machine already has them (a pip or vendor install).
command -v aws >/dev/null 2>&1 || need="$need awscli"
python3 -c 'import boto3' >/dev/null 2>&1 || need="$need python3-boto3"
missing=""
for p in $need; do
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
  case "$st" in *"install ok installed"*) ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0
echo "crossim: installing missing Debian packages:$missing"
if [ "$(id -u)" = 0 ]; then SUDO=""
elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"
else
  echo "crossim: not root and no sudo; run as root:" >&2
  echo "  apt-get update && apt-get install -y$missing" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || exit 1
$SUDO apt-get install -y -qq --no-install-recommends $missing || exit 1
