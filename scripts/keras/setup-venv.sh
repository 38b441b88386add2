#!/usr/bin/env bash
# Installs Keras 3 (scripts/keras/requirements.txt) into the git-ignored virtual environment .venv-keras at the
# repository root, for the tests that run real Keras (test/keras/python.ts finds it there). Never system-wide.
# Idempotent and quick when nothing changed: a copy of the requirements installed last is kept in the venv
# (.dendrite-requirements), and pip runs only when it differs or keras, jax or h5py is missing.
# DENDRITE_KERAS_VENV=DIR puts the venv elsewhere (the tests read the same variable).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
requirements="$root/scripts/keras/requirements.txt"
venv="${DENDRITE_KERAS_VENV:-$root/.venv-keras}"
stamp="$venv/.dendrite-requirements"
python="$venv/bin/python"

installed() {
  "$python" -c 'import importlib.util as u, sys; sys.exit(any(u.find_spec(m) is None for m in ("keras", "jax", "h5py")))' 2>/dev/null
}
if [ -x "$python" ] && [ -f "$stamp" ] && cmp -s "$requirements" "$stamp" && installed; then
  exit 0
fi

if [ ! -x "$python" ]; then
  echo "setup-venv: creating $venv"
  if ! python3 -m venv "$venv"; then
    rm -rf "$venv"
    echo "setup-venv: python3 -m venv failed; on Debian or Ubuntu: apt-get install python3-venv" >&2
    exit 1
  fi
fi
echo "setup-venv: installing scripts/keras/requirements.txt into $venv (about half a minute the first time)"
rm -f "$stamp"
# Retries and a timeout per connection, so that one dropped request does not fail CI and a dead index does not hang
# it; the machine's own PIP_RETRIES / PIP_DEFAULT_TIMEOUT win. Few retries: where the default index is unreachable
# and packages come from a configured extra index, pip retries the dead one for each package (5 retries cost ~2 min).
export PIP_RETRIES="${PIP_RETRIES:-2}" PIP_DEFAULT_TIMEOUT="${PIP_DEFAULT_TIMEOUT:-60}"
"$python" -m pip install -qq --disable-pip-version-check -r "$requirements"
# Keras' default backend (TensorFlow) is not installed: JAX is the one the tests use
KERAS_BACKEND=jax "$python" -c 'import keras, jax, h5py; print(f"setup-venv: keras {keras.__version__}, jax {jax.__version__}, h5py {h5py.__version__}")'
cp "$requirements" "$stamp"
