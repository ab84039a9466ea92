#!/bin/sh
# pre-commit's pre-push hook (.pre-commit-hooks.yaml): scans what the pushed commits added, from the remote's
# commit to the one pushed (PRE_COMMIT_FROM_REF..PRE_COMMIT_TO_REF). Without a remote commit (a new branch, or
# run by hand), the pushed commit and its ancestors.
here=$(dirname "$0")
from=${PRE_COMMIT_FROM_REF:-}
to=${PRE_COMMIT_TO_REF:-HEAD}
case "$from" in
  '' | 0000000000000000000000000000000000000000) exec node "$here/cli.js" scan --history --range "$to" ;;
esac
exec node "$here/cli.js" scan --history --range "$from..$to"
