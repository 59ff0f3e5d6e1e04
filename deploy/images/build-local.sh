#!/usr/bin/env bash
# Builds the images the manifests name, with podman and without a registry, for the pod specs
# (tests/ActorDemo.Deploy.Tests/PodSpecs.cs) and for anyone who has no Docker Hub or MCR to pull from:
#
#   localhost/actordemo/aggregator:<release>   the Dockerfile's runtime stage, on a local .NET base
#   localhost/actordemo/sensors:<release>      (same)
#   localhost/actordemo/qdrouterd:1.19.0       Qpid Dispatch Router 1.19.0 from the cached source build
#
# The base stands in for mcr.microsoft.com/dotnet/aspnet:10.0: Debian bookworm made with debootstrap
# from Debian's archive (the first run, cached as a tarball), the ASP.NET runtime of the .NET SDK
# that builds the nodes, in the same place (/usr/share/dotnet), and the same unprivileged user
# (app, 1654) and environment. The node images are then built from the Dockerfile's own runtime
# stage, so that its user, working directory, environment, ports and entry point are the ones tested.
# Needs root (debootstrap, podman's bridge networks); the cache is ${XDG_CACHE_HOME:-~/.cache}/actordemo/images.
#
#   deploy/images/build-local.sh           build what is missing (each image is rebuilt when its inputs change)
#   deploy/images/build-local.sh --tags    print the three image names (once a build under way is done)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
release=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props")
runtime=$(dotnet --list-runtimes | sed -n 's/^Microsoft.AspNetCore.App \([0-9.]*\) .*/\1/p' | sort -V | tail -n 1)
base="localhost/actordemo/aspnet:$runtime"
router="localhost/actordemo/qdrouterd:1.19.0"
nodes=(Aggregator Sensors)
image() { echo "localhost/actordemo/${1,,}:$release"; }

cache="${XDG_CACHE_HOME:-$HOME/.cache}/actordemo/images"
mkdir -p "$cache"
# One build at a time; --tags waits for a build under way (test.sh starts one beside the tests).
exec 9>"$cache/build.lock"

if [ "${1:-}" = "--tags" ]; then
  flock -s 9
  for role in "${nodes[@]}"; do image "$role"; done
  echo "$router"
  exit 0
fi
flock 9
# Unlocked explicitly: podman's long-lived helpers (conmon) may inherit the descriptor.
trap 'flock -u 9' EXIT
if [ "$(id -u)" -ne 0 ]; then
  echo "build-local.sh: run as root (debootstrap and podman's networks need it)" >&2
  exit 2
fi
for tool in podman runc catatonit debootstrap; do
  command -v "$tool" >/dev/null || { echo "build-local.sh: $tool is missing (apt-get install podman runc catatonit debootstrap)" >&2; exit 2; }
done
export CONTAINERS_CONF="${CONTAINERS_CONF:-$root/deploy/images/containers.conf}"

# An imported root file system has no environment of its own; the PATH of Debian's images.
path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# An image is rebuilt when the label holding a digest of its inputs differs.
current() { podman image inspect --format '{{ index .Labels "org.actordemo.inputs" }}' "$1" 2>/dev/null || true; }

# Debian bookworm, minimal, with what the aspnet image adds for .NET (TLS, certificates, time zones).
packages=libssl3,ca-certificates,tzdata,zlib1g,libstdc++6,libgcc-s1
rootfs_tar="$cache/bookworm-minbase.tar"
if [ ! -f "$rootfs_tar" ] || [ "$(cat "$rootfs_tar.packages" 2>/dev/null)" != "$packages" ]; then
  echo "build-local.sh: making a Debian bookworm base with debootstrap (once; about two minutes)" >&2
  work=$(mktemp -d)
  debootstrap --variant=minbase --include="$packages" bookworm "$work/rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 ||
    { tail -n 20 "$work/debootstrap.log" >&2; rm -rf "$work"; exit 1; }
  rm -rf "$work"/rootfs/var/cache/apt/archives/*.deb "$work"/rootfs/var/lib/apt/lists/*
  tar -C "$work/rootfs" --numeric-owner -cf "$rootfs_tar.partial" .
  mv "$rootfs_tar.partial" "$rootfs_tar"
  echo "$packages" > "$rootfs_tar.packages"
  rm -rf "$work"
fi

# The .NET base: the SDK's own runtimes, where the aspnet image has them, and its user and variables.
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
base_inputs=$(cat "$rootfs_tar.packages"; echo "$runtime $path, one variable a change"; stat -c %Y "$rootfs_tar")
if [ "$(current "$base")" != "$(sha256sum <<<"$base_inputs" | cut -c1-16)" ]; then
  echo "build-local.sh: importing $base" >&2
  work=$(mktemp -d)
  mkdir "$work/rootfs"
  tar -C "$work/rootfs" -xf "$rootfs_tar"
  target="$work/rootfs/usr/share/dotnet"
  mkdir -p "$target/host/fxr" "$target/shared"
  cp "$dotnet_root/dotnet" "$dotnet_root/LICENSE.txt" "$dotnet_root/ThirdPartyNotices.txt" "$target/"
  cp -r "$dotnet_root/host/fxr/$(ls "$dotnet_root/host/fxr" | sort -V | tail -n 1)" "$target/host/fxr/"
  for framework in Microsoft.NETCore.App Microsoft.AspNetCore.App; do
    mkdir -p "$target/shared/$framework"
    cp -r "$dotnet_root/shared/$framework/$runtime" "$target/shared/$framework/"
  done
  ln -s /usr/share/dotnet/dotnet "$work/rootfs/usr/bin/dotnet"
  echo "app:x:1654:1654::/home/app:/usr/sbin/nologin" >> "$work/rootfs/etc/passwd"
  echo "app:x:1654:" >> "$work/rootfs/etc/group"
  install -d -o 1654 -g 1654 "$work/rootfs/home/app"
  tar -C "$work/rootfs" --numeric-owner -c . | podman import --quiet \
    --change "ENV PATH=$path" \
    --change "ENV APP_UID=1654" --change "ENV ASPNETCORE_HTTP_PORTS=8080" --change "ENV DOTNET_RUNNING_IN_CONTAINER=true" \
    --change "ENV DOTNET_VERSION=$runtime" --change "ENV ASPNET_VERSION=$runtime" \
    --change "LABEL org.actordemo.inputs=$(sha256sum <<<"$base_inputs" | cut -c1-16)" \
    - "$base" >/dev/null
  rm -rf "$work"
fi

# The node images: each role published as the Dockerfile's build stage publishes it, then the
# Dockerfile's last stage with its base and its COPY --from=build replaced by the local ones.
for role in "${nodes[@]}"; do
  work=$(mktemp -d)
  dotnet publish "$root/src/$role" -c Release -o "$work/app" --nologo -v quiet $([ -n "${ACTORDEMO_RESTORED:-}" ] && echo --no-restore) >"$work/publish.log" 2>&1 ||
    { cat "$work/publish.log" >&2; rm -rf "$work"; exit 1; }
  mv "$work/app/ActorDemo.$role" "$work/app/node"
  awk -v base="$base" '
    /^FROM / { last = NR }
    { lines[NR] = $0 }
    END {
      for (i = last; i <= NR; i++) {
        line = lines[i]
        if (line ~ /^FROM /) line = "FROM " base
        else if (line ~ /^COPY --from=build /) { line = "COPY app/ ."; copied = 1 }
        print line
      }
      if (!copied) exit 1
    }' "$root/Dockerfile" > "$work/Containerfile" ||
    { echo "build-local.sh: the Dockerfile's last stage has no 'COPY --from=build' to replace" >&2; rm -rf "$work"; exit 1; }
  inputs=$( (cat "$work/Containerfile"; podman image inspect --format '{{ .Id }}' "$base"; cd "$work/app" && find . -type f -exec sha256sum {} + | sort) | sha256sum | cut -c1-16)
  if [ "$(current "$(image "$role")")" != "$inputs" ]; then
    echo "build-local.sh: building $(image "$role")" >&2
    podman build --quiet --label "org.actordemo.inputs=$inputs" -f "$work/Containerfile" -t "$(image "$role")" "$work" >/dev/null
  fi
  rm -rf "$work"
done

# Qpid Dispatch Router: the build that the tests run (../shared/tools/qdrouterd, cached under its
# prefix) on the same Debian base with the libraries it links, run as the user the manifests name.
qdrouterd_prefix=$("$root/../shared/tools/qdrouterd" --build-only)
router_inputs=$( (echo "$base_inputs"; stat -c %Y "$qdrouterd_prefix/sbin/qdrouterd") | sha256sum | cut -c1-16)
if [ "$(current "$router")" != "$router_inputs" ]; then
  echo "build-local.sh: building $router" >&2
  work=$(mktemp -d)
  mkdir "$work/rootfs"
  tar -C "$work/rootfs" -xf "$rootfs_tar"
  cp /etc/resolv.conf "$work/rootfs/etc/resolv.conf"
  chroot "$work/rootfs" /bin/sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libqpid-proton11 libwebsockets17 libpython3.11 >/dev/null 2>&1 && apt-get clean && rm -rf /var/lib/apt/lists/*' >&2
  mkdir -p "$work/rootfs$qdrouterd_prefix"
  cp -a "$qdrouterd_prefix/." "$work/rootfs$qdrouterd_prefix/"
  cat > "$work/rootfs/usr/local/bin/qdrouterd" <<SH
#!/bin/sh
PYTHONPATH="\$(cat $qdrouterd_prefix/pythonpath)" exec $qdrouterd_prefix/sbin/qdrouterd "\$@"
SH
  chmod +x "$work/rootfs/usr/local/bin/qdrouterd"
  echo "qdrouterd:x:10001:10001::/nonexistent:/usr/sbin/nologin" >> "$work/rootfs/etc/passwd"
  echo "qdrouterd:x:10001:" >> "$work/rootfs/etc/group"
  tar -C "$work/rootfs" --numeric-owner -c . | podman import --quiet \
    --change "ENV PATH=$path" --change "USER 10001" --change "EXPOSE 5672" --change "EXPOSE 8672" --change 'ENTRYPOINT ["qdrouterd"]' \
    --change "LABEL org.actordemo.inputs=$router_inputs" \
    - "$router" >/dev/null
  rm -rf "$work"
fi

for role in "${nodes[@]}"; do image "$role"; done
echo "$router"
