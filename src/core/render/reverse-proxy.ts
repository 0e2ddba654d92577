import { IsolationError } from '../../private/errors';
import { ContainerSpec, ResolvedZeroDowntime } from '../container-spec';
import { HostLayout } from './host-layout';

/*
 * Zero-downtime cutover (issue 16): the host's reverse proxy, rendered here
 * (pure). nginx was chosen over HAProxy: it is packaged as `nginx` on Amazon
 * Linux 2023, Ubuntu 24.04 and Debian 12 alike; `nginx -t` checks a
 * configuration before it is used; a graceful reload (SIGHUP, `nginx -s
 * reload`) starts new workers on the new configuration while the old ones
 * finish their requests, so a switch drops no connection; and a switch is a
 * one-line file (`upstreams/NAME.conf`) that the reconcile rewrites, which
 * also survives a reboot with no runtime state to restore (HAProxy's runtime
 * API changes are lost on restart).
 *
 * Layout under the proxy's directory: `nginx.conf` (host-level: hardening,
 * paths), `sites/NAME.conf` (a container's server: where it listens, its
 * limits), `upstreams/NAME.conf` (the loopback port of the version that
 * serves now). Relative includes resolve against the directory of
 * nginx.conf, so tests run the same files from a temp directory.
 */

/** Where a proxy keeps its files and who runs it: the host's defaults, or a test's. */
export interface ReverseProxyOptions {
  /**
   * The pid file.
   * @default HostLayout.PROXY_PID_FILE
   */
  readonly pidFile?: string;
  /**
   * Directory of the temp files (request bodies, buffered responses).
   * @default HostLayout.PROXY_STATE_DIR
   */
  readonly stateDir?: string;
  /**
   * Directory of the error and access logs.
   * @default HostLayout.PROXY_LOG_DIR
   */
  readonly logDir?: string;
  /**
   * The user (and group) the workers run as, as nginx's `user` directive reads it (a test names one that exists).
   * @default HostLayout.PROXY_USER
   */
  readonly user?: string;
}

/** Seconds an old worker may keep serving its requests after a reload before nginx closes them. */
const WORKER_SHUTDOWN_SECONDS = 330;

/** The host's reverse proxy (nginx) for containers with `zeroDowntime`. */
export class ReverseProxy {
  /** The OS package (the same name on every supported family). */
  public static readonly PACKAGE = 'nginx';
  /** The nginx binary of the package. */
  public static readonly NGINX = '/usr/sbin/nginx';
  /** The main configuration. */
  public static readonly CONFIG = `${HostLayout.PROXY_DIR}/nginx.conf`;

  /** The main configuration: the workers' user, hardening and limits; it includes every site. */
  public static mainConfig(paths: ReverseProxyOptions = {}): string {
    const pid = paths.pidFile ?? HostLayout.PROXY_PID_FILE;
    const state = paths.stateDir ?? HostLayout.PROXY_STATE_DIR;
    const logs = paths.logDir ?? HostLayout.PROXY_LOG_DIR;
    const user = paths.user ?? HostLayout.PROXY_USER;
    return `# Written by cdktf-isolation: the host's reverse proxy, in front of the
# containers with zeroDowntime (one server per container in sites/).
# The master binds the ports; the workers run as an unprivileged user.
user ${user};
worker_processes auto;
pid ${pid};
error_log ${logs}/proxy-error.log warn;
# Old workers finish their requests after a reload, for at most this long.
worker_shutdown_timeout ${WORKER_SHUTDOWN_SECONDS}s;

events {
    worker_connections 1024;
}

http {
    # No version in the Server header or error pages.
    server_tokens off;
    access_log ${logs}/proxy-access.log;
    # Limits and timeouts of a client; a site lowers or raises its own.
    client_max_body_size 10m;
    client_header_buffer_size 1k;
    large_client_header_buffers 4 8k;
    client_header_timeout 30s;
    client_body_timeout 60s;
    send_timeout 60s;
    keepalive_timeout 15s;
    keepalive_requests 1000;
    # Temp files in the proxy's own directory.
    client_body_temp_path ${state}/client-body;
    proxy_temp_path ${state}/proxy;
    fastcgi_temp_path ${state}/fastcgi;
    uwsgi_temp_path ${state}/uwsgi;
    scgi_temp_path ${state}/scgi;
    include sites/*.conf;
}
`;
  }

  /** The server of one container: listens only on its published address, forwards to the version in its upstream file. */
  public static site(spec: ContainerSpec): string {
    const z = ReverseProxy.of(spec);
    const listen = z.hostIp.includes(':') ? `[${z.hostIp}]:${z.hostPort}` : `${z.hostIp}:${z.hostPort}`;
    return `# Written by cdktf-isolation: the proxy's server for container ${spec.name}.
upstream ${ReverseProxy.upstreamName(spec.name)} {
    include upstreams/${spec.name}.conf;
    keepalive 16;
}

server {
    listen ${listen};
    client_max_body_size ${z.maxRequestBodyMiB}m;
    location / {
        proxy_pass http://${ReverseProxy.upstreamName(spec.name)};
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_connect_timeout 5s;
        proxy_send_timeout ${z.timeoutSeconds}s;
        proxy_read_timeout ${z.timeoutSeconds}s;
    }
}
`;
  }

  /** The upstream file: the loopback port of the version the proxy forwards to. */
  public static upstream(port: number | string): string {
    return `# Written by cdktf-isolation: the version that serves now (the reconcile switches it).\nserver 127.0.0.1:${port} max_fails=0;\n`;
  }

  /** The upstream block's name of a container. */
  public static upstreamName(container: string): string {
    return `cdktf_${container.replace(/[^A-Za-z0-9_]/g, '_')}`;
  }

  /** Path of a container's site, relative to the proxy's directory. */
  public static sitePath(container: string): string {
    return `sites/${container}.conf`;
  }

  /** Path of a container's upstream file, relative to the proxy's directory. */
  public static upstreamPath(container: string): string {
    return `upstreams/${container}.conf`;
  }

  /** The proxy's systemd unit: the OS's nginx on the library's configuration, checked before it starts. */
  public static unit(): string {
    const nginx = `${ReverseProxy.NGINX} -c ${ReverseProxy.CONFIG}`;
    return `[Unit]
Description=cdktf-isolation reverse proxy (nginx) for zero-downtime cutover
Wants=network-online.target
After=network-online.target

[Service]
Type=forking
PIDFile=${HostLayout.PROXY_PID_FILE}
ExecStartPre=${nginx} -q -t
ExecStart=${nginx}
ExecReload=${nginx} -s reload
KillSignal=SIGQUIT
KillMode=mixed
TimeoutStopSec=30
StateDirectory=cdktf-isolation/proxy
StateDirectoryMode=0700
LogsDirectory=cdktf-isolation
NoNewPrivileges=yes
PrivateTmp=yes
ProtectSystem=full
ProtectHome=yes
Restart=on-failure
RestartSec=2

[Install]
WantedBy=multi-user.target
`;
  }

  /** The zero-downtime settings of a spec (an error naming the container when it has none). */
  private static of(spec: ContainerSpec): ResolvedZeroDowntime {
    if (!spec.zeroDowntime) {
      throw new IsolationError(spec.name, 'zeroDowntime', 'must be set for a container behind the proxy', undefined, 'Set zeroDowntime on the container.');
    }
    return spec.zeroDowntime;
  }

  private constructor() {}
}
