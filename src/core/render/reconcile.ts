import { createHash } from 'node:crypto';
import { IsolationError } from '../../private/errors';
import { gzipDeterministic } from '../../private/gzip';
import { holdsToken, serializeWithTokens, Tokens } from '../../private/tokens';
import { Check } from '../../private/validate';
import { ContainerSpec } from '../container-spec';
import { DockerRun } from './docker-run';
import { HostLayout } from './host-layout';
import { ReverseProxy } from './reverse-proxy';
import { ContainerUnit } from './systemd';

/*
 * Day-2 deploys (issue 14): what runs on a host reaches it through an SSM
 * Command document that writes the desired container set and runs the
 * reconcile script below. Pure: the construct layer puts the document in an
 * `aws_ssm_document` and targets the instance with an association.
 *
 * One renderer: the start scripts and units in the set are those of first
 * boot (DockerRun.startScript, ContainerUnit.render), so first boot, reboot
 * and update run the same definitions.
 *
 * The spec digest: every start script labels its container with the SHA-256
 * of the script itself (`cdktf-isolation.spec-digest`, computed on the host
 * from the file, so the label needs no digest written into the script). The
 * set carries the same digest, computed where the script's text is known:
 * at synth when it holds no token, else by Terraform's `sha256` at apply (an
 * image tag from a variable changes it). Equal digests mean the container
 * runs exactly the desired definition and is left alone.
 */

/** The options of the reconcile that the host's props set. */
export interface ReconcileOptions {
  /**
   * Seconds a changed or new container without a health check must keep
   * running (no exit, no restart) before the update counts as done; a
   * one-shot container (restart policy no) may exit 0 within it.
   * @default 10
   */
  readonly settleSeconds?: number;
  /**
   * Seconds a changed or new container with a health check has to turn
   * healthy before the update counts as failed and is rolled back.
   * @default 300
   */
  readonly healthTimeoutSeconds?: number;
}

/** One container of a desired set. */
export interface DesiredContainer {
  /** The container's name (names its unit and files). */
  readonly name: string;
  /** Its image reference (may hold tokens). */
  readonly image: string;
  /** Its start script, as DockerRun renders it for first boot. */
  readonly startScript: string;
  /** Its systemd unit, as ContainerUnit renders it for first boot. */
  readonly unit: string;
  /** The hex SHA-256 of `startScript` (a Terraform `sha256` token when the script holds tokens). */
  readonly digest: string;
  /** Its server in the host's reverse proxy, with `zeroDowntime`. */
  readonly site?: string;
}

/** A file of a desired-set directory (what the document writes on the host and the reconcile reads). */
export interface DesiredSetFile {
  /** The path, relative to the directory. */
  readonly path: string;
  /** The content (may hold tokens). */
  readonly content: string;
  /** Octal permissions. */
  readonly mode: string;
}

/** The desired container set of a host, rendered. */
export interface ContainerSetConfig {
  /** The containers, by name. */
  readonly containers: DesiredContainer[];
  /** Settle time of a container without a health check, in seconds. */
  readonly settleSeconds: number;
  /** Health timeout, in seconds. */
  readonly healthTimeoutSeconds: number;
  /**
   * The set file the reconcile reads: a comment line, `settle-seconds N`,
   * `health-timeout-seconds N`, then `container NAME DIGEST IMAGE` per
   * container (names, digests and image references hold no blank), then
   * `cutover NAME PORT_A PORT_B DRAIN_SECONDS HEALTH_PATH` per container
   * with zeroDowntime.
   */
  readonly manifest: string;
  /**
   * The hex SHA-256 of `manifest`: it changes when any container's start
   * script, image, the set's members or its options change (a Terraform
   * `sha256` token when the manifest holds tokens). Not when only a unit
   * changes: for the association, use ReconcileDocumentConfig.digest.
   */
  readonly digest: string;
  /** The files of the set's directory: `set`, `containers/NAME.sh`, `units/cdktf-container-NAME.service`, `proxy/NAME.conf` (zeroDowntime). */
  readonly files: DesiredSetFile[];
}

/** The SSM document of a host, rendered. */
export interface ReconcileDocumentConfig {
  /** The document (schemaVersion 2.2), as an object. */
  readonly document: { [key: string]: unknown };
  /** The document as JSON text: the `content` of an `aws_ssm_document` (`document_format` JSON, `document_type` Command). Holds tokens when the set does. */
  readonly content: string;
  /** The commands of its one step, in order: what the agent runs (with `sh`). */
  readonly commands: string[];
  /** The step's `timeoutSeconds`. */
  readonly timeoutSeconds: number;
  /**
   * The hex SHA-256 of `content` (a Terraform `sha256` token when it holds
   * tokens): it changes with anything that reaches the host (a container's
   * definition or unit, the set, its options, the reconcile script itself).
   * Replace the association when it changes, so every rollout is a create
   * that Terraform waits for.
   */
  readonly digest: string;
  /**
   * Size of `content` in bytes (it is ASCII). Exact when `sizeExact`; else
   * the size with every token-holding file estimated from its literal parts,
   * and Terraform must check `length(content) <= 65536` at plan.
   */
  readonly sizeBytes: number;
  /** True when `content` holds no token, so `sizeBytes` is its size. */
  readonly sizeExact: boolean;
}

const SETTLE = { fallback: 10, min: 1, max: 600 };
const HEALTH_TIMEOUT = { fallback: 300, min: 10, max: 3600 };
/** How long the reconcile waits for the lock (a unit that pulls at boot holds it up to its TimeoutStartSec). */
const LOCK_WAIT_SECONDS = 900;
/** Bound of one image pull (pull-image.sh retries with backoff). */
const PULL_SECONDS = 900;
/** The printf format of an upstream file (ReverseProxy.upstream), for the reconcile. */
const UPSTREAM_FORMAT = ReverseProxy.upstream('%s').split('\n').join('\\n');
const MANIFEST_HEADER = '# cdktf-isolation desired container set v1';

/** Hex SHA-256 of `text`: at synth, or by Terraform when it holds tokens. */
function sha256(text: string): string {
  return Tokens.isUnresolved(text) ? Tokens.sha256(text) : createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Renders a host's desired container set. */
export class ContainerSet {
  /** Default, least and greatest settle time (seconds). */
  public static readonly SETTLE_SECONDS = SETTLE;
  /** Default, least and greatest health timeout (seconds). */
  public static readonly HEALTH_TIMEOUT_SECONDS = HEALTH_TIMEOUT;

  /**
   * The desired set of `specs` (sorted by name, so the digest does not
   * depend on declaration order).
   * @param path construct path, for error messages
   */
  public static render(specs: readonly ContainerSpec[], options: ReconcileOptions = {}, path: string = 'VmHost'): ContainerSetConfig {
    const settleSeconds = range(path, 'settleSeconds', options.settleSeconds, SETTLE,
      'the settle time bounds the SSM command\'s timeout, which is computed at synth');
    const healthTimeoutSeconds = range(path, 'healthTimeoutSeconds', options.healthTimeoutSeconds, HEALTH_TIMEOUT,
      'the health timeout bounds the SSM command\'s timeout, which is computed at synth');
    const seen = new Set<string>();
    for (const s of specs) {
      if (seen.has(s.name)) {
        throw new IsolationError(path, 'containers', `must not hold two containers named '${s.name}'`, s.name, 'Give each container on a host its own name.');
      }
      seen.add(s.name);
    }
    checkLoopbackPorts(specs, path);
    const containers = [...specs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((spec): DesiredContainer => {
      const startScript = DockerRun.startScript(spec);
      return {
        name: spec.name,
        image: spec.image,
        startScript,
        unit: ContainerUnit.render(spec),
        digest: sha256(startScript),
        ...(spec.zeroDowntime ? { site: ReverseProxy.site(spec) } : {}),
      };
    });
    const cutovers = [...specs].filter((spec) => spec.zeroDowntime).sort((a, b) => (a.name < b.name ? -1 : 1)).map((spec) => {
      const z = spec.zeroDowntime!;
      return `cutover ${spec.name} ${z.upstreamPorts[0]} ${z.upstreamPorts[1]} ${z.drainSeconds} ${z.healthPath}`;
    });
    const manifest = [
      MANIFEST_HEADER,
      `settle-seconds ${settleSeconds}`,
      `health-timeout-seconds ${healthTimeoutSeconds}`,
      ...containers.map((c) => `container ${c.name} ${c.digest} ${c.image}`),
      ...cutovers,
      '',
    ].join('\n');
    const files: DesiredSetFile[] = [
      { path: 'set', content: manifest, mode: '0600' },
      ...containers.flatMap((c) => [
        { path: `containers/${c.name}.sh`, content: c.startScript, mode: '0700' },
        { path: `units/${HostLayout.unitName(c.name)}`, content: c.unit, mode: '0644' },
        ...(c.site !== undefined ? [{ path: `proxy/${c.name}.conf`, content: c.site, mode: '0644' }] : []),
      ]),
    ];
    return { containers, settleSeconds, healthTimeoutSeconds, manifest, digest: sha256(manifest), files };
  }

  private constructor() {}
}

/** The loopback ports of zero-downtime versions must not be another container's (a version's, or a published port). */
function checkLoopbackPorts(specs: readonly ContainerSpec[], path: string): void {
  const owner = new Map<number, string>();
  for (const s of specs) {
    for (const p of s.ports) {
      if (typeof p.hostPort === 'number' && !Tokens.isUnresolved(p.hostPort)) owner.set(p.hostPort, `${s.name} (its published port)`);
    }
  }
  for (const s of specs) {
    for (const port of s.zeroDowntime?.upstreamPorts ?? []) {
      const other = owner.get(port);
      if (other !== undefined && !other.startsWith(`${s.name} (its published`)) {
        throw new IsolationError(path, 'containers',
          `must not give loopback port ${port} to two containers: zero-downtime container ${s.name} runs its versions on ${s.zeroDowntime!.upstreamPorts.join(' and ')}, and ${other} has it`,
          s.name, 'Rename one of the two containers (the pair of loopback ports comes from the name), or publish the other on another port.');
      }
      owner.set(port, `${s.name} (a version behind the proxy)`);
    }
  }
}

function range(path: string, prop: string, value: number | undefined, r: { fallback: number; min: number; max: number }, why: string): number {
  if (value === undefined) return r.fallback;
  Check.known(path, prop, value, why);
  return Check.integerInRange(path, prop, value, r.min, r.max, `Give whole seconds from ${r.min} to ${r.max} (default ${r.fallback}).`);
}

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

# Sets c_a, c_b (the two loopback ports), c_drain and c_path from the
# cutover line of container $1; false when it has none (no zeroDowntime).
cutover_of() {
  c_a=
  while read -r c_kind c_name c_1 c_2 c_3 c_4; do
    if [ "$c_kind" = cutover ] && [ "$c_name" = "$1" ]; then
      c_a="$c_1"
      c_b="$c_2"
      c_drain="$c_3"
      c_path="$c_4"
    fi
  done < "$desired/set"
  [ -n "$c_a" ]
}

# The loopback port the proxy forwards container $1 to (empty when it has no upstream file).
upstream_port() {
  sed -n 's/^server 127\\.0\\.0\\.1:\\([0-9][0-9]*\\) .*/\\1/p' "$proxy_dir/upstreams/$1.conf" 2>/dev/null || true
}

write_upstream() {
  mkdir -p "$proxy_dir/upstreams"
  # shellcheck disable=SC2059 # the format is the library's
  printf '${UPSTREAM_FORMAT}' "$2" > "$proxy_dir/upstreams/$1.conf.tmp"
  mv -f "$proxy_dir/upstreams/$1.conf.tmp" "$proxy_dir/upstreams/$1.conf"
}

# Checks the proxy's configuration (nginx -t), then reloads it gracefully:
# new workers take the new configuration, the old ones finish their
# requests. Starts it where it does not run. On failure, sets reason.
proxy_reload() {
  if ! p_out=$("$nginx_command" -q -t -c "$proxy_dir/nginx.conf" 2>&1); then
    reason="the proxy's configuration does not pass nginx -t: $(printf '%s' "$p_out" | tr '\n' ' ' | cut -c 1-300)"
    return 1
  fi
  if "$nginx_command" -q -c "$proxy_dir/nginx.conf" -s reload > /dev/null 2>&1; then
    return 0
  fi
  if command -v "$systemctl_command" >/dev/null 2>&1 && "$systemctl_command" restart ${HostLayout.PROXY_UNIT}; then
    return 0
  fi
  reason="the proxy ($proxy_dir/nginx.conf) could neither be reloaded nor started"
  return 1
}

# Takes container $1's server out of the proxy (it left the set, or zeroDowntime).
remove_site() {
  if [ -f "$proxy_dir/sites/$1.conf" ]; then
    log "$1: removing its server from the proxy"
    r_port=$(sed -n 's/^ *listen .*:\\([0-9][0-9]*\\);$/\\1/p' "$proxy_dir/sites/$1.conf" | head -n 1)
    rm -f "$proxy_dir/sites/$1.conf" "$proxy_dir/upstreams/$1.conf"
    proxy_reload || log "$1: $reason"
    # A reload takes effect when nginx has handled it: wait (bounded) until
    # the port refuses connections, so a container can publish it again.
    r_waited=0
    while [ -n "$r_port" ] && [ "$r_waited" -lt 10 ] && curl --silent --output /dev/null --max-time 1 "http://127.0.0.1:$r_port/"; do
      sleep 1
      r_waited=$((r_waited + 1))
    done
  fi
}

# Installs container $1's server in the proxy and reloads it when it changed.
install_site() {
  if same "$desired/proxy/$1.conf" "$proxy_dir/sites/$1.conf"; then
    return 0
  fi
  mkdir -p "$proxy_dir/sites"
  s_backup=
  if [ -f "$proxy_dir/sites/$1.conf" ]; then
    s_backup="$proxy_dir/sites/.$1.conf.previous"
    cp -p "$proxy_dir/sites/$1.conf" "$s_backup"
  fi
  put "$desired/proxy/$1.conf" "$proxy_dir/sites/$1.conf" 0644
  if proxy_reload; then
    rm -f "$s_backup"
    return 0
  fi
  if [ -n "$s_backup" ]; then
    mv -f "$s_backup" "$proxy_dir/sites/$1.conf"
  else
    rm -f "$proxy_dir/sites/$1.conf"
  fi
  return 1
}

# An HTTP check of the new version through its loopback port (the proxy's
# upstream address): a 2xx or 3xx answer within the health timeout. On failure, sets reason.
http_ok() {
  o_deadline=$(($(date +%s) + health_timeout))
  while :; do
    if o_out=$(curl --silent --show-error --fail --output /dev/null --max-time 5 "http://127.0.0.1:$1$2" 2>&1); then
      return 0
    fi
    if [ "$(date +%s)" -ge "$o_deadline" ]; then
      reason="its HTTP check http://127.0.0.1:$1$2 failed ($(printf '%s' "$o_out" | tr '\n' ' ' | cut -c 1-200))"
      return 1
    fi
    sleep 1
  done
}

# Zero-downtime update of container $1 (running, behind the proxy) to
# digest $2 and image $3: the new version starts beside the old one on the
# other loopback port, the proxy switches to it once it is healthy, the old
# one drains and stops. On failure the new one is removed and the old one
# serves on, untouched.
cutover() {
  u_previous="$4"
  log "$1: pulling $3"
  if ! "$lib/pull-image.sh" "$3" < /dev/null; then
    fail "container $1: image $3: the pull failed; $1 still runs $u_previous"
  fi
  u_old=$(upstream_port "$1")
  if [ "$u_old" = "$c_a" ]; then u_new="$c_b"; else u_new="$c_a"; fi
  u_next="$1.next"
  docker rm --force "$u_next" >/dev/null 2>&1 || true
  log "$1: starting $3 beside $u_previous, on 127.0.0.1:$u_new"
  if ! CDKTF_ISOLATION_REPLACE=1 CDKTF_ISOLATION_CONTAINER="$u_next" CDKTF_ISOLATION_UPSTREAM_PORT="$u_new" sh "$desired/containers/$1.sh" < /dev/null > /dev/null; then
    reason="its start script failed"
  elif ! healthy "$u_next"; then
    :
  elif ! http_ok "$u_new" "$c_path"; then
    :
  else
    u_switched=no
    cp -p "$proxy_dir/upstreams/$1.conf" "$proxy_dir/upstreams/.$1.conf.previous"
    write_upstream "$1" "$u_new"
    if proxy_reload; then
      u_switched=yes
    else
      mv -f "$proxy_dir/upstreams/.$1.conf.previous" "$proxy_dir/upstreams/$1.conf"
      proxy_reload || true
    fi
  fi
  if [ "\${u_switched:-no}" != yes ]; then
    u_reason="$reason"
    docker rm --force "$u_next" >/dev/null 2>&1 || true
    fail "container $1: image $3: $u_reason; the new version was removed, and $1 still serves $u_previous through the proxy"
  fi
  u_switched=no
  rm -f "$proxy_dir/upstreams/.$1.conf.previous"
  log "$1: the proxy sends new requests to $3; $u_previous drains for $c_drain seconds"
  sleep "$c_drain"
  log "$1: stopping $u_previous"
  docker stop "$1" >/dev/null 2>&1 || true
  docker rm --force "$1" >/dev/null 2>&1 || true
  docker rename "$u_next" "$1" || fail "container $1: image $3 serves through the proxy as $u_next, which could not be renamed to $1"
  install_definition "$1"
  install_site "$1" || fail "container $1: image $3 serves, but its new proxy server failed: $reason"
  start="$start cdktf-container-$1.service"
  updated="$updated $1"
  log "$1: updated from $u_previous to $3 without downtime, healthy"
}

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

# Waits until container $1 is healthy: its health check passes within the
# health timeout, or, without one, it keeps running (no exit, no restart) for
# the settle time. On failure, sets reason.
healthy() {
  # One docker inspect per round (each costs a process start and an API call).
  h_started=
  while :; do
    h_state=$(docker inspect --format '{{.State.Status}} {{.RestartCount}} {{.State.StartedAt}} {{.State.ExitCode}} {{.HostConfig.RestartPolicy.Name}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$1" 2>/dev/null) || {
      if [ -z "$h_started" ]; then reason="it was not created"; else reason="it disappeared"; fi
      return 1
    }
    read -r h_status h_restarts h_since h_exit h_policy h_health <<EOF
$h_state
EOF
    if [ -z "$h_started" ]; then
      h_started="$h_since"
      if [ "$h_health" = none ]; then
        h_check=no
        h_deadline=$(($(date +%s) + settle))
      else
        h_check=yes
        h_deadline=$(($(date +%s) + health_timeout))
      fi
    fi
    # A one-shot container (restart policy no) that ran to completion has done its job.
    if [ "$h_status" = exited ] && [ "$h_exit" = 0 ] && [ "$h_policy" = no ] && [ "$h_restarts" = 0 ] && [ "$h_check" = no ]; then
      return 0
    fi
    if [ "$h_status" != running ] || [ "$h_restarts" != 0 ] || [ "$h_since" != "$h_started" ]; then
      reason="it stopped running (state $h_status, exit code $h_exit, restarts $h_restarts)"
      return 1
    fi
    if [ "$h_check" = yes ]; then
      case "$h_health" in
        healthy) return 0 ;;
        unhealthy)
          # One line per check, newlines between them (its output as a JSON string: it may hold newlines); the last one.
          h_output=$(docker inspect --format '{{range $i, $c := .State.Health.Log}}{{if $i}}{{println}}{{end}}{{json $c.Output}}{{end}}' "$1" 2>/dev/null | tail -n 1 | cut -c 1-200) || h_output=
          reason="its health check failed (last output: $h_output)"
          return 1
          ;;
      esac
      if [ "$(date +%s)" -ge "$h_deadline" ]; then
        reason="it was not healthy within $health_timeout seconds (health: $h_health)"
        return 1
      fi
    elif [ "$(date +%s)" -ge "$h_deadline" ]; then
      return 0
    fi
    sleep 1
  done
}

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

/**
 * Renders the SSM Command document of a host: one `aws:runShellScript` step
 * that writes the desired set into a fresh directory and runs the reconcile
 * on it. Every file travels as base64 of its gzip: the commands hold no
 * quote and no `{{` (the document's parameter syntax) from a user's value,
 * and arrive byte for byte.
 */
export class ReconcileDocument {
  /** The most bytes SSM takes for a document's content ("must not exceed 64KB", CreateDocument/UpdateDocument; MaxDocumentSizeExceeded). */
  public static readonly MAX_CONTENT_BYTES = 64 * 1024;
  /** Greatest `timeoutSeconds` of an `aws:runShellScript` step (48 hours). */
  public static readonly MAX_TIMEOUT_SECONDS = 172800;

  /**
   * @param set the host's desired set
   * @param path construct path, for error messages
   */
  public static render(set: ContainerSetConfig, path: string = 'VmHost'): ReconcileDocumentConfig {
    const commands = ReconcileDocument.commands(set, payload);
    const timeoutSeconds = ReconcileDocument.timeout(set);
    const document = ReconcileDocument.document(set, commands, timeoutSeconds);
    const content = serializeWithTokens(document, (doc) => JSON.stringify(doc, null, 2));
    const sizeExact = !holdsToken(document);
    // With tokens, the size is estimated from the literal parts (the document's commands rendered once more).
    const sizeBytes = Buffer.byteLength(sizeExact ? content
      : JSON.stringify(ReconcileDocument.document(set, ReconcileDocument.commands(set, estimatedPayload), timeoutSeconds), null, 2), 'utf8');
    if (sizeBytes > ReconcileDocument.MAX_CONTENT_BYTES) {
      throw new IsolationError(path, 'containers',
        `must fit in an SSM document of at most ${ReconcileDocument.MAX_CONTENT_BYTES} bytes (Systems Manager's limit for a document's content), ` +
        `but the desired set of ${set.containers.length} container(s) and the reconcile script take ${sizeExact ? '' : 'about '}${sizeBytes} bytes`,
        `${set.containers.length} containers`,
        'Place some containers on another host (HostPool packs them), or shorten what their start scripts carry (environment, commands, labels).');
    }
    return { document, content, commands, timeoutSeconds, digest: sha256(content), sizeBytes, sizeExact };
  }

  /** The step's commands: write the set into a fresh directory (removed at exit), run the reconcile on it. */
  private static commands(set: ContainerSetConfig, payloadOf: (content: string) => string): string[] {
    const write = (content: string, target: string) => `printf %s ${payloadOf(content)} | base64 -d | gzip -dc > ${target}`;
    return [
      'set -eu',
      'umask 077',
      // CDKTF_ISOLATION_LIB moves the library's directory (tests); the agent does not set it.
      `lib="\${CDKTF_ISOLATION_LIB:-${HostLayout.LIB_DIR}}"`,
      'mkdir -p "$lib"',
      'd=$(mktemp -d "$lib/desired.XXXXXX")',
      'trap \'rm -rf "$d"\' EXIT',
      set.containers.some((c) => c.site !== undefined) ? 'mkdir "$d/containers" "$d/units" "$d/proxy"' : 'mkdir "$d/containers" "$d/units"',
      ...set.files.map((f) => `${write(f.content, `"$d/${f.path}"`)} && chmod ${f.mode} "$d/${f.path}"`),
      `printf %s ${reconcileScriptPayload()} | base64 -d | gzip -dc > "$d/${ReconcileScript.FILE}"`,
      `sh "$d/${ReconcileScript.FILE}" "$d"`,
    ];
  }

  private static document(set: ContainerSetConfig, commands: string[], timeoutSeconds: number): { [key: string]: unknown } {
    return {
      // The schema of Command documents with mainSteps, preconditions and cross-platform support.
      schemaVersion: '2.2',
      // Shown in the console and by describe-document.
      description: `cdktf-isolation: brings the host's ${set.containers.length} container(s) to the desired set (set digest in the reconcile log)`,
      mainSteps: [{
        // The plugin that runs shell commands on Linux (with sh, in a script file the agent writes).
        action: 'aws:runShellScript',
        // The step's name, unique in the document; the agent reports its output and status under it.
        name: 'reconcile',
        // The step runs only on Linux instances (schema 2.2 evaluates platformType on the instance).
        precondition: { StringEquals: ['platformType', 'Linux'] },
        inputs: {
          // The commands, one string each, run in order as one script; a non-zero exit fails the step.
          runCommand: commands,
          // Seconds before the agent stops the step and reports it as timed out (default 3600, at most 172800).
          timeoutSeconds: String(timeoutSeconds),
        },
      }],
    };
  }

  /**
   * The step's timeout: the lock wait, then per container a pull, a stop, a
   * start with its health wait, and a rollback with another (the worst case
   * of a run), within the plugin's bound.
   */
  private static timeout(set: ContainerSetConfig): number {
    const wait = Math.max(set.healthTimeoutSeconds, set.settleSeconds);
    // A zero-downtime update also checks the new version over HTTP (up to the health timeout) and drains the old one.
    const cutover = Math.max(0, ...set.containers.map((c) => (c.site !== undefined ? set.healthTimeoutSeconds + 300 : 0)));
    const perContainer = PULL_SECONDS + 2 * (wait + 60) + cutover;
    return Math.min(ReconcileDocument.MAX_TIMEOUT_SECONDS, LOCK_WAIT_SECONDS + Math.max(1, set.containers.length) * perContainer);
  }

  private constructor() {}
}

let reconcilePayload: string | undefined;

/** base64 of the gzip of the reconcile script, the same on every host (compressed once per process). */
function reconcileScriptPayload(): string {
  reconcilePayload ??= gzipDeterministic(ReconcileScript.render()).toString('base64');
  return reconcilePayload;
}

/** base64 of the gzip of `content`: at synth, or by Terraform when it holds tokens. */
function payload(content: string): string {
  return Tokens.isUnresolved(content) ? Tokens.base64gzip(content) : gzipDeterministic(content).toString('base64');
}

/** The payload's size estimated from the literal parts of `content` (its tokens taken as empty). */
function estimatedPayload(content: string): string {
  return gzipDeterministic(Tokens.fragments(content).map((f) => f.literal ?? '').join('')).toString('base64');
}
