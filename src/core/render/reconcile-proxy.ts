import { HostLayout } from './host-layout';
import { ReverseProxy } from './reverse-proxy';

/*
 * The reconcile's zero-downtime part (issue 16), a fragment of the reconcile
 * script (reconcile.ts): the cutover line of the desired set, the proxy's
 * upstream files and sites, its reload, the HTTP check, and the cutover of a
 * container behind the proxy (new version beside the old, switch, drain).
 */

/** The printf format of an upstream file (ReverseProxy.upstream), for the reconcile. */
const UPSTREAM_FORMAT = ReverseProxy.upstream('%s').split('\n').join('\\n');

/** The shell functions of the cutover, inside the reconcile script (no tokens). */
export function reconcileProxyFunctions(): string {
  return `# Sets c_a, c_b (the two loopback ports), c_drain and c_path from the
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
}`;
}
