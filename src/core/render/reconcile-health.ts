/*
 * The reconcile's health gate, a fragment of the reconcile script
 * (reconcile.ts): waits until a container it started is healthy, or says
 * why it is not (the reconcile then rolls back).
 */

/** The shell function `healthy`, inside the reconcile script (no tokens; reads `settle` and `health_timeout`). */
export function reconcileHealthFunction(): string {
  return `# Waits until container $1 is healthy: its health check passes within the
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
}`;
}
