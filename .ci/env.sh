# Sourced by .ci/run and .ci/stage: the environment every CI stage shares.

# Chromium for the browser tests (Playwright drives Debian's build; it cannot download its own).
if [ -z "${ACTTUTOR_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "== installing chromium"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "warning: no chromium and no apt-get; browser tests will be skipped" >&2
  fi
fi

# Real MNIST digits when the shared folder beside the clone provides them (or beside the
# worktrees' folder); the offline stand-in otherwise.
unset ACTTUTOR_MNIST_PATH
for shared in .. ../..; do
  mnist="$(cd "$shared" && pwd)/shared/data/mnist-10k.npz"
  if [ -f "$mnist" ]; then
    export ACTTUTOR_MNIST_PATH="$mnist"
    break
  fi
done

# Tests and builds never write exercise progress to the home folder.
export ACTTUTOR_HOME="$PWD/_build/.acttutor-ci-home"
export MPLBACKEND=Agg
