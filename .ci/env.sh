# Sourced by .ci/run and .ci/stage: the environment every CI stage shares.

# Chromium, poppler-utils and axe-core for the browser, PDF and accessibility tests
# (Playwright drives Debian's Chromium; it cannot download its own). Idempotent.
if [ -z "${ACTTUTOR_CHROMIUM:-}" ]; then
  bash tools/install_browser_deps.sh
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
