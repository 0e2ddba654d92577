#!/usr/bin/env bash
# Private, throw-away Docker engine for integration tests.
#
# See DESIGN.md, "Safe local Docker engine for tests". Everything the engine
# owns lives under DIR; it never talks to a system dockerd/containerd, and
# nothing a container sends is forwarded off the machine.
#
#   docker-engine.sh start DIR [CONFIG_FILE]
#   docker-engine.sh stop DIR
#
# start prints KEY=VALUE lines on stdout (storage_driver, bridge, subnet,
# pid, startup_ms, socket) and also writes them to DIR/engine.env.
# stop is idempotent: it is safe to call twice or when nothing runs.
#
# Environment knobs:
#   DOCKER_ENGINE_START_TIMEOUT   seconds to wait for the daemon (default 60)
#   DOCKER_ENGINE_STORAGE_DRIVER  force a storage driver (skips the fallback)
#   DOCKER_ENGINE_PRIVATE_CONTAINERD=1  always start our own containerd
#                                 (done automatically when a system
#                                 containerd socket exists)

set -uo pipefail

export PATH="/usr/sbin:/usr/bin:/sbin:/bin:${PATH:-}"

DOCKERD=/usr/sbin/dockerd
DOCKER=/usr/bin/docker # never /usr/local/bin/docker (incompatible client)
SYSTEM_CONTAINERD_SOCK=/run/containerd/containerd.sock
LOCK_FILE=/run/lock/cdktf-isolation-docker-engine.lock
SUBNET_PREFIX=10.213

log() { printf 'docker-engine: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

usage() {
  cat >&2 <<'EOF'
usage: docker-engine.sh start DIR [CONFIG_FILE]
       docker-engine.sh stop DIR
EOF
  exit 2
}

now_ms() { date +%s%3N; }

# True while PID exists and is not a zombie.
alive() {
  local pid=$1 state
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  state=$(sed -e 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

# True when PID's command line mentions NEEDLE (guards against pid reuse).
cmdline_has() {
  local pid=$1 needle=$2 cmd
  cmd=$({ tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null) || return 1
  [[ $cmd == *"$needle"* ]]
}

# Send SIGTERM, wait up to $2 seconds, then SIGKILL and wait a little more.
terminate() {
  local pid=$1 grace=$2 i
  alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    alive "$pid" || return 0
    sleep 0.1
  done
  log "pid $pid ignored SIGTERM for ${grace}s, sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    alive "$pid" || return 0
    sleep 0.1
  done
  log "pid $pid survived SIGKILL"
  return 1
}

# All pids whose command line contains NEEDLE (excluding this shell).
pids_mentioning() {
  local needle=$1 p pid
  for p in /proc/[0-9]*; do
    pid=${p#/proc/}
    [ "$pid" = "$$" ] && continue
    [ "$pid" = "$BASHPID" ] && continue
    cmdline_has "$pid" "$needle" && echo "$pid"
  done
}

# Descendants of PID (children first listed after their parent).
descendants() {
  local parent=$1 child
  for child in $(ps -o pid= --ppid "$parent" 2>/dev/null); do
    echo "$child"
    descendants "$child"
  done
}

# Mount points at or below DIR, deepest first.
mounts_under() {
  local dir=$1
  awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/mounts | sort -r
}

unmount_all() {
  local dir=$1 m round
  for round in 1 2 3 4 5; do
    [ -z "$(mounts_under "$dir")" ] && return 0
    while read -r m; do
      [ -n "$m" ] || continue
      umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done < <(mounts_under "$dir")
    [ "$round" -gt 1 ] && sleep 0.2
  done
  [ -z "$(mounts_under "$dir")" ]
}

# Does the daemon.json at $1 set the key $2?  (Top-level keys in daemon.json
# are unique dockerd option names, so a plain text match is enough.)
config_has_key() {
  [ -n "$1" ] && grep -q "\"$2\"[[:space:]]*:" "$1"
}

bridge_name_for() {
  printf 'dkt%s' "$(printf '%s' "$1" | md5sum | cut -c1-10)"
}

# ---------------------------------------------------------------------------
# start
# ---------------------------------------------------------------------------

# Create DIR's bridge on the first free 10.213.N.0/24 (N=0 unless another
# engine already holds it), and insert the FORWARD DROP rule for it. Runs
# under a lock so parallel test workers do not pick the same subnet.
setup_network() {
  local dir=$1 br n subnet
  br=$(bridge_name_for "$dir")
  exec {lockfd}>"$LOCK_FILE" || die "cannot open $LOCK_FILE"
  flock -w 30 "$lockfd" || die "timed out waiting for $LOCK_FILE"

  if ip link show "$br" >/dev/null 2>&1; then
    exec {lockfd}>&-
    die "bridge $br already exists; is an engine already running in $dir?"
  fi
  for ((n = 0; n < 256; n++)); do
    if [ -z "$(ip -4 route show "$SUBNET_PREFIX.$n.0/24" 2>/dev/null)" ] &&
      ! ip -4 -o addr show | grep -q " $SUBNET_PREFIX\.$n\.1/"; then
      break
    fi
  done
  [ "$n" -lt 256 ] || die "no free $SUBNET_PREFIX.N.0/24 subnet"
  subnet="$SUBNET_PREFIX.$n.1/24"

  # A fixed MAC, as dockerd gives the bridges it creates (libnetwork's
  # setupDevice): without one the kernel gives the bridge the lowest MAC of
  # its ports, which changes when that container's veth leaves, and the
  # other containers' ARP entries for the gateway (docker-proxy's source
  # address) go stale, so requests to their published ports can time out.
  local mac
  mac=$(printf '02:42:%02x:%02x:%02x:%02x' $((RANDOM % 256)) $((RANDOM % 256)) $((RANDOM % 256)) $((RANDOM % 256)))
  ip link add name "$br" address "$mac" type bridge || die "cannot create bridge $br"
  echo "$br" >"$dir/bridge-created"
  ip addr add "$subnet" dev "$br" || die "cannot assign $subnet to $br"
  ip link set "$br" up || die "cannot bring up $br"

  # Nothing a container sends is forwarded out. Inserted before the daemon
  # starts, so there is no window without it.
  iptables -w -I FORWARD -i "$br" -j DROP || die "cannot insert FORWARD rule"
  printf '%s\n' "-i $br -j DROP" >"$dir/iptables-rule"

  exec {lockfd}>&-
  BRIDGE=$br
  SUBNET="$SUBNET_PREFIX.$n.0/24"
}

# Private containerd, used when a system containerd socket exists (dockerd
# 20.10 would otherwise attach to it instead of starting its own).
start_containerd() {
  local dir=$1 sock i
  sock="$dir/exec/containerd/containerd.sock"
  mkdir -p "$dir/exec/containerd" "$dir/data/containerd/opt"
  cat >"$dir/containerd.toml" <<EOF
version = 2
root = "$dir/data/containerd"
state = "$dir/exec/containerd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]

[grpc]
  address = "$sock"

[debug]
  address = ""

[metrics]
  address = ""

[plugins."io.containerd.internal.v1.opt"]
  path = "$dir/data/containerd/opt"
EOF
  setsid containerd --config "$dir/containerd.toml" \
    </dev/null >>"$dir/containerd.log" 2>&1 &
  echo "$!" >"$dir/containerd.launch-pid"
  for ((i = 0; i < 100; i++)); do
    [ -S "$sock" ] && { CONTAINERD_SOCK=$sock; return 0; }
    alive "$(cat "$dir/containerd.launch-pid")" || break
    sleep 0.1
  done
  tail -n 30 "$dir/containerd.log" >&2
  die "private containerd did not come up"
}

# Launch dockerd with the given storage driver ('' = leave it to the
# config file) and wait for it. Returns 0 when up, 1 when the process died,
# 2 on timeout.
launch_dockerd() {
  local dir=$1 config=$2 driver=$3 timeout=$4 pid deadline
  local -a args=(
    --host "unix://$dir/docker.sock"
    --data-root "$dir/data"
    --exec-root "$dir/exec"
    --pidfile "$dir/docker.pid"
    --iptables=false
    --ip-masq=false
    --ip-forward=false
    # --bip and --bridge are mutually exclusive in dockerd; the subnet
    # (10.213.0.1/24 by default) is the address we gave the bridge.
    --bridge "$BRIDGE"
  )
  [ -n "$driver" ] && args+=(--storage-driver "$driver")
  [ -n "${CONTAINERD_SOCK:-}" ] && args+=(--containerd "$CONTAINERD_SOCK")
  [ -n "$config" ] && args+=(--config-file "$config")

  : >"$dir/dockerd.log"
  # setsid + all fds redirected: the daemon must not keep the caller's
  # pipes open nor die with the caller's process group.
  setsid "$DOCKERD" "${args[@]}" </dev/null >>"$dir/dockerd.log" 2>&1 &
  pid=$!
  echo "$pid" >"$dir/dockerd.launch-pid"

  deadline=$(($(now_ms) + timeout * 1000))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    if timeout 5 "$DOCKER" -H "unix://$dir/docker.sock" info >/dev/null 2>&1; then
      return 0
    fi
    alive "$pid" || return 1
    sleep 0.1
  done
  return 2
}

# Stop a daemon that failed to start and clean its data so another storage
# driver can be tried from scratch.
discard_failed_daemon() {
  local dir=$1 pid
  pid=$(cat "$dir/dockerd.launch-pid" 2>/dev/null || true)
  [ -n "$pid" ] && terminate "$pid" 10
  kill_leftovers "$dir"
  unmount_all "$dir" || true
  rm -rf "$dir/data" "$dir/exec" "$dir/docker.pid" "$dir/dockerd.launch-pid"
}

cmd_start() {
  local dir=$1 config=${2:-} timeout=${DOCKER_ENGINE_START_TIMEOUT:-60}
  local t0 rc driver actual_driver pid startup_ms tool
  local -a drivers

  [ "$(id -u)" = 0 ] || die "must run as root"
  for tool in "$DOCKERD" "$DOCKER" iptables ip flock setsid; do
    command -v "$tool" >/dev/null || die "missing $tool"
  done
  mkdir -p "$dir" || die "cannot create $dir"
  dir=$(cd "$dir" && pwd -P)
  if [ -n "$config" ]; then
    [ -r "$config" ] || die "config file $config not readable"
    config=$(cd "$(dirname "$config")" && pwd -P)/$(basename "$config")
  fi
  if [ -S "$dir/docker.sock" ] &&
    timeout 5 "$DOCKER" -H "unix://$dir/docker.sock" info >/dev/null 2>&1; then
    die "an engine is already running in $dir"
  fi

  # From here on, any failure tears down what was set up so far.
  START_DIR=$dir
  trap 'cmd_stop "$START_DIR" >&2' EXIT

  t0=$(now_ms)
  setup_network "$dir"

  CONTAINERD_SOCK=
  if [ -e "$SYSTEM_CONTAINERD_SOCK" ] || [ "${DOCKER_ENGINE_PRIVATE_CONTAINERD:-}" = 1 ]; then
    command -v containerd >/dev/null || die "missing containerd"
    start_containerd "$dir"
  fi

  if config_has_key "$config" storage-driver; then
    drivers=("")
  elif [ -n "${DOCKER_ENGINE_STORAGE_DRIVER:-}" ]; then
    drivers=("$DOCKER_ENGINE_STORAGE_DRIVER")
  else
    drivers=(overlay2 vfs)
  fi

  rc=1
  for driver in "${drivers[@]}"; do
    launch_dockerd "$dir" "$config" "$driver" "$timeout"
    rc=$?
    [ "$rc" = 0 ] && break
    cp "$dir/dockerd.log" "$dir/dockerd.${driver:-config}.failed.log" 2>/dev/null
    if [ "$rc" = 2 ]; then
      log "dockerd did not answer within ${timeout}s"
      break
    fi
    log "dockerd exited during startup with storage driver '${driver:-from config}'"
    # Only a storage driver problem is worth another try.
    grep -qiE 'graphdriver|storage.driver' "$dir/dockerd.log" || break
    discard_failed_daemon "$dir"
    if [ -n "${CONTAINERD_SOCK:-}" ]; then
      start_containerd "$dir" || break
    fi
  done

  if [ "$rc" != 0 ]; then
    log "---- tail of $dir/dockerd.log ----"
    tail -n 40 "$dir/dockerd.log" >&2
    exit 1
  fi

  startup_ms=$(($(now_ms) - t0))
  pid=$(cat "$dir/docker.pid" 2>/dev/null || cat "$dir/dockerd.launch-pid")
  echo "$pid" >"$dir/dockerd.launch-pid"
  actual_driver=$("$DOCKER" -H "unix://$dir/docker.sock" info --format '{{.Driver}}' 2>/dev/null)
  {
    echo "socket=$dir/docker.sock"
    echo "pid=$pid"
    echo "storage_driver=$actual_driver"
    echo "bridge=$BRIDGE"
    echo "subnet=$SUBNET"
    echo "private_containerd=$([ -n "${CONTAINERD_SOCK:-}" ] && echo true || echo false)"
    echo "startup_ms=$startup_ms"
  } | tee "$dir/engine.env"
  trap - EXIT
}

# ---------------------------------------------------------------------------
# stop
# ---------------------------------------------------------------------------

# Kill whatever of DIR's engine is still around after the daemon is gone
# (with live-restore, containers and their shims survive dockerd).
kill_leftovers() {
  local dir=$1 runc_root id pid shim i
  runc_root="$dir/exec/runtime-runc/moby"
  local -a victims=() shim_sockets=()

  if [ -d "$runc_root" ] && command -v runc >/dev/null; then
    for id in $(runc --root "$runc_root" list -q 2>/dev/null); do
      runc --root "$runc_root" delete -f "$id" >/dev/null 2>&1 || true
    done
  fi
  # Shims (-address DIR/...), containerd (--config DIR/...) and their
  # children (container processes).
  for pid in $(pids_mentioning "$dir/"); do
    if cmdline_has "$pid" containerd-shim; then
      for shim in $(descendants "$pid"); do victims+=("$shim"); done
      shim_sockets+=("$(shim_socket "$pid")")
    fi
    victims+=("$pid")
  done
  # docker-proxy processes orphaned by a SIGKILLed dockerd.
  if [ -r "$dir/engine.env" ]; then
    local subnet
    subnet=$(sed -n 's/^subnet=\(.*\)\.0\/24$/\1/p' "$dir/engine.env")
    if [ -n "$subnet" ]; then
      for pid in $(pids_mentioning "-container-ip $subnet."); do
        cmdline_has "$pid" docker-proxy && victims+=("$pid")
      done
    fi
  fi
  [ "${#victims[@]}" -eq 0 ] && return 0
  kill -KILL "${victims[@]}" 2>/dev/null || true
  for pid in "${victims[@]}"; do
    for ((i = 0; i < 30; i++)); do
      alive "$pid" || break
      sleep 0.1
    done
  done
  # A SIGKILLed shim leaves its socket behind in /run/containerd/s.
  for shim in "${shim_sockets[@]}"; do
    [ -n "$shim" ] && [ -S "$shim" ] && rm -f "$shim"
  done
  return 0
}

# Socket a containerd 1.6 runc-v2 shim listens on:
# /run/containerd/s/<sha256 of "ADDRESS/NAMESPACE/ID">.
shim_socket() {
  local -a argv
  local address='' namespace='' id='' k
  mapfile -d '' -t argv 2>/dev/null <"/proc/$1/cmdline" || return 0
  for ((k = 0; k + 1 < ${#argv[@]}; k++)); do
    case "${argv[k]}" in
      -address) address=${argv[k + 1]} ;;
      -namespace) namespace=${argv[k + 1]} ;;
      -id) id=${argv[k + 1]} ;;
    esac
  done
  [ -n "$address" ] && [ -n "$namespace" ] && [ -n "$id" ] || return 0
  printf '/run/containerd/s/%s\n' \
    "$(printf '%s' "$address/$namespace/$id" | sha256sum | cut -d' ' -f1)"
}

cmd_stop() {
  local dir=$1 sock pid rule br status=0 ids
  [ -d "$dir" ] || return 0
  dir=$(cd "$dir" && pwd -P)
  sock="$dir/docker.sock"

  # 1. Remove all containers while the daemon still answers.
  if [ -S "$sock" ] && timeout 5 "$DOCKER" -H "unix://$sock" info >/dev/null 2>&1; then
    ids=$(timeout 30 "$DOCKER" -H "unix://$sock" ps -aq 2>/dev/null)
    if [ -n "$ids" ]; then
      # shellcheck disable=SC2086 # one id per word
      timeout 60 "$DOCKER" -H "unix://$sock" rm -f -v $ids >/dev/null 2>&1 ||
        log "could not remove all containers"
    fi
  fi

  # 2. Stop the daemon (only a process that really is DIR's dockerd).
  while read -r pid; do
    if alive "$pid" && cmdline_has "$pid" "--exec-root $dir/exec"; then
      terminate "$pid" 20 || status=1
    fi
  done < <(sort -u "$dir/dockerd.launch-pid" "$dir/docker.pid" 2>/dev/null)
  # Private containerd, if we started one.
  pid=$(cat "$dir/containerd.launch-pid" 2>/dev/null || true)
  if [ -n "$pid" ] && alive "$pid" && cmdline_has "$pid" "$dir/containerd.toml"; then
    terminate "$pid" 10 || status=1
  fi

  # 3. Anything that outlived the daemon.
  kill_leftovers "$dir"

  # 4. The FORWARD rule, exactly as inserted.
  if [ -r "$dir/iptables-rule" ]; then
    read -r -a rule <"$dir/iptables-rule"
    if iptables -w -C FORWARD "${rule[@]}" 2>/dev/null; then
      iptables -w -D FORWARD "${rule[@]}" || status=1
    fi
    iptables -w -C FORWARD "${rule[@]}" 2>/dev/null || rm -f "$dir/iptables-rule"
  fi

  # 5. Mounts (data-root bind mount, overlay layers, netns files, ...).
  unmount_all "$dir" || {
    log "mounts left under $dir:"
    mounts_under "$dir" >&2
    status=1
  }

  # 6. The bridge, if start created it.
  if [ -r "$dir/bridge-created" ]; then
    br=$(cat "$dir/bridge-created")
    if [ -n "$br" ] && ip link show "$br" >/dev/null 2>&1; then
      ip link del "$br" || status=1
    fi
    ip link show "$br" >/dev/null 2>&1 || rm -f "$dir/bridge-created"
  fi

  rm -f "$sock" "$dir/docker.pid"
  return "$status"
}

main() {
  [ $# -ge 2 ] || usage
  local cmd=$1 dir=$2
  [ -n "$dir" ] || usage
  case "$cmd" in
    start)
      [ $# -le 3 ] || usage
      cmd_start "$dir" "${3:-}"
      ;;
    stop)
      [ $# -eq 2 ] || usage
      cmd_stop "$dir"
      ;;
    *) usage ;;
  esac
}

main "$@"
