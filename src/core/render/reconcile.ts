import { HostLayout } from './host-layout';
import { reconcileHealthFunction } from './reconcile-health';
import { reconcileProxyFunctions } from './reconcile-proxy';

/*
 * Day-2 deploys (issue 14): what runs on a host reaches it through an SSM
 * Command document (reconcile-document.ts) that writes the desired container
 * set (container-set.ts) and runs the reconcile script below. Pure: the
 * construct layer puts the document in an `aws_ssm_document` and targets the
 * instance with an association.
 */

/** How long the reconcile waits for the lock (a unit that pulls at boot holds it up to its TimeoutStartSec). */
export const LOCK_WAIT_SECONDS = 900;
/** Bound of one image pull (pull-image.sh retries with backoff). */
export const PULL_SECONDS = 900;

/**
 * The reconcile script: brings the host's containers to a desired set,
 * touching only what changed. Idempotent: the same set twice restarts
 * nothing. See the script's header for its input and environment.
 *
 * For each container (in name order, after removing those that left the
 * set): equal spec digest (label vs set): left alone. Else: pull the new
 * image while the old container serves; stop the old; run the new start
 * script; wait until healthy (health check within the timeout; without one,
 * running without exit or restart for the settle time). On failure: remove
 * the new container, run the previous definition still on disk, and exit 1
 * naming the container, the image and the reason (later containers are not
 * touched). Only a healthy container's definition is installed (the old one
 * is kept in `previous/`), so a reboot during an update brings back the last
 * good version, and a reboot after it the new one.
 *
 * The reconcile runs the start scripts itself, under the lock (a
 * `systemctl start` would wait for it). It then enables the units it wrote
 * and queues a start (`--no-block`) of the units of the containers it
 * created or replaced, so systemd stops them at shutdown: the start script
 * keeps a container that already runs its definition (same digest), so
 * that start changes nothing. A one-shot container (restart policy no)
 * that exits 0 within the settle time has done its job; its unit runs it
 * again at the next boot, as at first boot.
 */
export class ReconcileScript {
  /** Where the document writes it: inside the desired set's directory. */
  public static readonly FILE = 'reconcile.sh';

  /** The script (no tokens: all it reads is in the set's directory). */
  public static render(): string {
    return `#!/bin/sh
# Written by cdktf-isolation: brings this host's containers to a desired set.
#
#   reconcile.sh DIR
#
# DIR holds the desired set: DIR/set (settle-seconds, health-timeout-seconds,
# and one "container NAME DIGEST IMAGE" line per container), the start
# scripts DIR/containers/NAME.sh and the units DIR/units/UNIT.
#
# Environment; a host leaves it unset, tests point it elsewhere:
#   CDKTF_ISOLATION_LIB        library directory (${HostLayout.LIB_DIR})
#   CDKTF_ISOLATION_UNIT_DIR   systemd units (/etc/systemd/system)
#   CDKTF_ISOLATION_LOCK       lock shared with the units (${HostLayout.LOCK_FILE})
#   CDKTF_ISOLATION_LOCK_WAIT  seconds to wait for the lock, and for cloud-init (${LOCK_WAIT_SECONDS})
#   CDKTF_ISOLATION_BOOT_FINISHED  cloud-init's mark of a finished boot
#                              (/var/lib/cloud/instance/boot-finished); waited
#                              for where its directory exists
#   CDKTF_ISOLATION_LOG        log file (${HostLayout.RECONCILE_LOG})
#   CDKTF_ISOLATION_SYSTEMCTL  the systemctl command (systemctl); where it is
#                              not found, units are written and systemd is not told
#   CDKTF_ISOLATION_PROXY_DIR  the reverse proxy's configuration (${HostLayout.PROXY_DIR})
#   CDKTF_ISOLATION_NGINX      the nginx command (nginx)
#   DOCKER_HOST                the Docker engine, as for any docker command
set -eu
umask 022
lib="\${CDKTF_ISOLATION_LIB:-${HostLayout.LIB_DIR}}"
units="\${CDKTF_ISOLATION_UNIT_DIR:-/etc/systemd/system}"
lock="\${CDKTF_ISOLATION_LOCK:-${HostLayout.LOCK_FILE}}"
lock_wait="\${CDKTF_ISOLATION_LOCK_WAIT:-${LOCK_WAIT_SECONDS}}"
log_file="\${CDKTF_ISOLATION_LOG:-${HostLayout.RECONCILE_LOG}}"
systemctl_command="\${CDKTF_ISOLATION_SYSTEMCTL:-systemctl}"
boot_finished="\${CDKTF_ISOLATION_BOOT_FINISHED:-/var/lib/cloud/instance/boot-finished}"
proxy_dir="\${CDKTF_ISOLATION_PROXY_DIR:-${HostLayout.PROXY_DIR}}"
nginx_command="\${CDKTF_ISOLATION_NGINX:-nginx}"
# The start scripts find the library's helpers here.
CDKTF_ISOLATION_LIB="$lib"
export CDKTF_ISOLATION_LIB
# The ECR credential helper's config is root's (~/.docker/config.json), as in
# the units; the agent may run commands without HOME.
HOME="\${HOME:-/root}"
export HOME

if [ "$#" -ne 1 ] || [ ! -f "$1/set" ]; then
  echo "cdktf-isolation: usage: reconcile.sh DIR (DIR/set is the desired container set)" >&2
  exit 2
fi
desired="$1"

mkdir -p "$(dirname "$log_file")"
log() {
  printf '%s %s\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >> "$log_file"
  printf 'cdktf-isolation: %s\\n' "$*"
}

reload=no
enable=
start=
unchanged=
updated=
created=
removed=

systemd() {
  if command -v "$systemctl_command" >/dev/null 2>&1; then
    "$systemctl_command" "$@"
  else
    log "no $systemctl_command here: skipped systemctl $*"
  fi
}

# Tells systemd about the units written so far (also when a later step fails).
tell_systemd() {
  if [ "$reload" = yes ]; then
    reload=no
    systemd daemon-reload
  fi
  for u in $enable; do
    systemd enable "$u"
  done
  enable=
  # The units of containers this run created or replaced, so that systemd
  # stops them at shutdown: queued (the job waits for the lock this run
  # holds), and their start script keeps a container that already runs its
  # definition.
  for u in $start; do
    systemd start --no-block "$u"
  done
  start=
}

fail() {
  tell_systemd || true
  printf '%s error: %s\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >> "$log_file"
  printf 'cdktf-isolation: error: %s\\n' "$*" >&2
  exit 1
}

# At first boot the agent may run this before cloud-init has written the
# library's files and started the units: wait (bounded) until it is done,
# before the lock (the units cloud-init starts take it).
if [ -d "$(dirname "$boot_finished")" ]; then
  waited=0
  while [ ! -f "$boot_finished" ]; do
    if [ "$waited" -ge "$lock_wait" ]; then
      fail "cloud-init did not finish within $lock_wait seconds ($boot_finished is missing); nothing was changed"
    fi
    sleep 1
    waited=$((waited + 1))
  done
fi

# One run at a time, and none while a container unit (re)creates its container at boot.
mkdir -p "$(dirname "$lock")"
exec 9>>"$lock"
if ! flock -w "$lock_wait" 9; then
  fail "the lock $lock was held for $lock_wait seconds (another reconcile, or a container unit at boot); nothing was changed"
fi

is_number() {
  case "$1" in
    '' | *[!0-9]*) return 1 ;;
  esac
}

# The set: checked whole before anything changes.
settle=
health_timeout=
names=
while read -r kind name digest image; do
  case "$kind" in
    '#'*) ;;
    settle-seconds) settle="$name" ;;
    health-timeout-seconds) health_timeout="$name" ;;
    container)
      case "$name" in
        '' | *[!A-Za-z0-9_.-]*) fail "the desired set names a container '$name', which is not a container name" ;;
      esac
      [ -n "$image" ] || fail "container $name: the desired set gives it no image"
      [ -f "$desired/containers/$name.sh" ] || fail "container $name: the desired set has no start script for it"
      [ -f "$desired/units/cdktf-container-$name.service" ] || fail "container $name: the desired set has no unit for it"
      actual=$(sha256sum < "$desired/containers/$name.sh" | cut -d ' ' -f 1)
      [ "$actual" = "$digest" ] || fail "container $name: its start script has digest $actual, not $digest as the set says (damaged on the way); nothing was changed"
      names="$names $name"
      ;;
    cutover)
      # "cutover NAME PORT_A PORT_B DRAIN_SECONDS HEALTH_PATH": read by cutover_of.
      [ -f "$desired/proxy/$name.conf" ] || fail "container $name: the desired set has no proxy server for it"
      ;;
    *) fail "the desired set has a line this script does not know: $kind" ;;
  esac
done < "$desired/set"
is_number "$settle" || fail "the desired set gives no settle-seconds"
is_number "$health_timeout" || fail "the desired set gives no health-timeout-seconds"

in_set() {
  case "$names " in
    *" $1 "*) return 0 ;;
  esac
  return 1
}

# Copies a file into place in one step (a reader never sees half of it).
put() {
  cp "$1" "$2.tmp"
  chmod "$3" "$2.tmp"
  mv -f "$2.tmp" "$2"
}

same() {
  [ -f "$2" ] && [ "$(sha256sum < "$1")" = "$(sha256sum < "$2")" ]
}

# Installs a container's desired definition (the old one goes to previous/).
install_definition() {
  i_unit="cdktf-container-$1.service"
  mkdir -p "$lib/containers" "$lib/previous" "$units"
  if ! same "$desired/containers/$1.sh" "$lib/containers/$1.sh"; then
    if [ -f "$lib/containers/$1.sh" ]; then
      cp -p "$lib/containers/$1.sh" "$lib/previous/$1.sh"
    fi
    put "$desired/containers/$1.sh" "$lib/containers/$1.sh" 0700
  fi
  if ! same "$desired/units/$i_unit" "$units/$i_unit"; then
    if [ -f "$units/$i_unit" ]; then
      cp -p "$units/$i_unit" "$lib/previous/$i_unit"
    fi
    put "$desired/units/$i_unit" "$units/$i_unit" 0644
    reload=yes
    enable="$enable $i_unit"
  fi
}

${reconcileProxyFunctions()}

remove_container() {
  r_unit="cdktf-container-$1.service"
  log "$1: not in the desired set: stopping and removing it"
  if [ -f "$units/$r_unit" ]; then
    systemd disable --now "$r_unit" || log "$1: systemctl disable --now $r_unit failed; removing the container directly"
  fi
  # The proxy first: it stops taking requests for the container before the container goes.
  remove_site "$1"
  docker stop "$1" >/dev/null 2>&1 || true
  docker rm --force "$1" >/dev/null 2>&1 || true
  rm -f "$units/$r_unit" "$lib/containers/$1.sh" "$lib/previous/$1.sh" "$lib/previous/$r_unit"
  reload=yes
  removed="$removed $1"
}

${reconcileHealthFunction()}

# Brings container $1 to digest $2 and image $3.
apply() {
  # The digest it runs, from the listing taken at the start (this run holds the lock).
  a_running=
  while read -r a_name a_digest; do
    if [ "$a_name" = "$1" ]; then a_running="$a_digest"; fi
  done <<EOF
$listed
EOF
  a_cutover=no
  if cutover_of "$1"; then
    a_cutover=yes
  fi
  if [ "$a_running" = "$2" ]; then
    install_definition "$1"
    if [ "$a_cutover" = yes ]; then
      install_site "$1" || fail "container $1: its proxy server changed, and the change failed: $reason; the proxy keeps the previous one"
    fi
    unchanged="$unchanged $1"
    log "$1: unchanged ($3)"
    return 0
  fi
  # One docker call for what the rest needs: does it run, and with which image.
  a_state=$(docker inspect --format '{{.State.Running}} {{.Config.Image}}' "$1" 2>/dev/null) || a_state=
  a_is_running="\${a_state%% *}"
  a_previous="\${a_state#* }"
  # Behind the proxy already, and running: the zero-downtime way.
  if [ "$a_cutover" = yes ] && [ -f "$proxy_dir/sites/$1.conf" ] && [ -n "$(upstream_port "$1")" ] && [ "$a_is_running" = true ]; then
    cutover "$1" "$2" "$3" "$a_previous"
    return 0
  fi
  # The new image first, while the old container keeps serving.
  log "$1: pulling $3"
  if ! "$lib/pull-image.sh" "$3" < /dev/null; then
    if [ -n "$a_previous" ]; then
      fail "container $1: image $3: the pull failed; $1 still runs $a_previous"
    fi
    fail "container $1: image $3: the pull failed"
  fi
  if [ -n "$a_previous" ]; then
    log "$1: stopping $a_previous"
    docker stop "$1" >/dev/null 2>&1 || true
  fi
  if [ "$a_cutover" = yes ]; then
    # Into the proxy (first time): the version starts on the port of its upstream file.
    if [ -z "$(upstream_port "$1")" ]; then
      write_upstream "$1" "$c_a"
    fi
  else
    # No longer behind the proxy: it frees the published port first.
    remove_site "$1"
  fi
  log "$1: starting $3"
  if ! CDKTF_ISOLATION_REPLACE=1 sh "$desired/containers/$1.sh" < /dev/null > /dev/null; then
    reason="its start script failed"
  elif healthy "$1" && { [ "$a_cutover" = no ] || install_site "$1"; }; then
    install_definition "$1"
    # Running, or a one-shot container that has done its job (its unit runs it at the next boot).
    if [ "$h_status" = running ]; then
      start="$start cdktf-container-$1.service"
    fi
    if [ -n "$a_previous" ]; then
      updated="$updated $1"
      log "$1: updated from $a_previous to $3, healthy"
    else
      created="$created $1"
      log "$1: created with $3, healthy"
    fi
    return 0
  fi
  a_reason="$reason"
  docker rm --force "$1" >/dev/null 2>&1 || true
  if [ ! -f "$lib/containers/$1.sh" ]; then
    fail "container $1: image $3: $a_reason; no previous definition is kept on this host, so it is removed"
  fi
  log "$1: $3 failed ($a_reason); starting the previous definition again"
  if sh "$lib/containers/$1.sh" < /dev/null > /dev/null && healthy "$1"; then
    fail "container $1: image $3: $a_reason; rolled back to the previous definition ($(docker inspect --format '{{.Config.Image}}' "$1")), which is running and healthy"
  fi
  fail "container $1: image $3: $a_reason; the previous definition did not come back either: $reason"
}

# The library's containers (by label) and the spec digest each carries, in
# one docker call, which is also the check that the engine answers.
listed=$(docker ps --all --filter label=cdktf-isolation.container --format '{{.Names}} {{.Label "${HostLayout.SPEC_DIGEST_LABEL}"}}' 2>/dev/null) ||
  fail "the Docker engine does not answer; nothing was changed"

# Containers that left the set: those of the library (by label, or with a definition on disk).
known=
while read -r k_name _; do
  known="$known $k_name"
done <<EOF
$listed
EOF
for f in "$lib"/containers/*.sh; do
  if [ -f "$f" ]; then
    known="$known $(basename "$f" .sh)"
  fi
done
# shellcheck disable=SC2086 # the names hold no blank or pattern character
for name in $(printf '%s\\n' $known | sort -u); do
  if ! in_set "$name"; then
    remove_container "$name"
  fi
done

# The set is read on descriptor 3: nothing run for a container reads it.
while read -r kind name digest image <&3; do
  if [ "$kind" = container ]; then
    apply "$name" "$digest" "$image"
  fi
done 3< "$desired/set"

tell_systemd
log "reconciled: unchanged:$unchanged; updated:$updated; created:$created; removed:$removed"
`;
  }

  private constructor() {}
}
