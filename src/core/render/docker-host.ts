import { CloudConfig } from './cloud-config';
import { DockerDaemonConfig, DockerDaemonOptions } from './daemon-json';
import { OsFamilies, OsFamily } from '../os-family';
import { HostLayout } from './host-layout';

const READY_MESSAGE = 'cdktf-isolation: host ready, Docker engine running, after $UPTIME seconds';

// Waits (bounded) for the engine, so that a host whose Docker does not come
// up makes cloud-init report an error instead of claiming to be ready.
const WAIT_FOR_DOCKER_SCRIPT = `#!/bin/sh
# Written by cdktf-isolation: wait until the Docker engine answers.
set -eu
tries=0
until docker info >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 120 ]; then
    echo "cdktf-isolation: Docker engine did not start within 120 seconds" >&2
    exit 1
  fi
  sleep 1
done
`;

/** Options of `DockerHostSetup.apply`. */
export interface DockerHostSetupOptions {
  /** The host's OS family. */
  readonly osFamily: OsFamily;
  /**
   * Daemon settings.
   * @default - live restore, log rotation (10m x 3), no-new-privileges
   */
  readonly daemon?: DockerDaemonOptions;
  /**
   * Construct path, for error messages.
   * @default 'VmHost'
   */
  readonly path?: string;
}

/** The cloud-config that turns a fresh instance into a Docker host. */
export class DockerHostSetup {
  /** Final message that marks a host ready (cloud-init expands $UPTIME). */
  public static readonly READY_MESSAGE = READY_MESSAGE;

  /**
   * Adds to `config`: the family's Docker package, `/etc/docker/daemon.json`
   * (written before the package installs, so the engine starts with it),
   * enabling and starting the engine, waiting for it, and the final message.
   */
  public static apply(config: CloudConfig, options: DockerHostSetupOptions): void {
    const traits = OsFamilies.linuxTraits(options.osFamily, 'Docker');
    config.enablePackageUpdate(true);
    config.addPackage(traits.dockerPackage);
    config.addFile({
      path: '/etc/docker/daemon.json',
      content: DockerDaemonConfig.render(options.daemon, options.path ?? 'VmHost'),
      permissions: '0644',
    });
    config.addFile({ path: HostLayout.WAIT_FOR_DOCKER, content: WAIT_FOR_DOCKER_SCRIPT, permissions: '0755' });
    config.addRunCommand(['systemctl', 'enable', '--now', 'docker.service']);
    config.addRunCommand([HostLayout.WAIT_FOR_DOCKER]);
    config.useFinalMessage(READY_MESSAGE);
  }

  /** The cloud-config a host starts from: Docker installed and configured, or a plain host (a native app's VM). */
  public static hostConfig(options: DockerHostSetupOptions & { readonly installDocker: boolean }): CloudConfig {
    const config = new CloudConfig();
    if (options.installDocker) {
      DockerHostSetup.apply(config, options);
    } else {
      config.enablePackageUpdate(true);
      config.useFinalMessage('cdktf-isolation: host ready after $UPTIME seconds');
    }
    DockerHostSetup.applySsmAgent(config, options.osFamily);
    return config;
  }

  /**
   * On a family whose AMIs lack the SSM agent (Debian): AWS's package,
   * installed by a unit that retries until it is (it needs the internet:
   * a NAT gateway), so that a host without a way out still boots and runs
   * its containers; until then Session Manager and container updates wait.
   */
  public static applySsmAgent(config: CloudConfig, osFamily: OsFamily): void {
    if (OsFamilies.traits(osFamily).shipsSsmAgent) return;
    config.addPackage('curl');
    config.addFile({ path: HostLayout.SSM_AGENT_SCRIPT, content: INSTALL_SSM_AGENT_SCRIPT, permissions: '0755' });
    config.addFile({ path: `/etc/systemd/system/${HostLayout.SSM_AGENT_UNIT}`, content: SSM_AGENT_UNIT, permissions: '0644' });
    if (!config.hasRunCommand(['systemctl', 'daemon-reload'])) config.addRunCommand(['systemctl', 'daemon-reload']);
    config.addRunCommand(['systemctl', 'enable', '--now', '--no-block', HostLayout.SSM_AGENT_UNIT]);
  }

  private constructor() {}
}

/** AWS's SSM agent package for Debian (the download AWS documents for manual installs on Debian Server). */
export const SSM_AGENT_DEB_URL = 'https://s3.amazonaws.com/ec2-downloads-windows/SSMAgent/latest/debian_$arch/amazon-ssm-agent.deb';

const INSTALL_SSM_AGENT_SCRIPT = `#!/bin/sh
# Written by cdktf-isolation: installs AWS's SSM agent, which Debian's AMIs
# lack (Session Manager, and the association that delivers container updates).
set -eu
if dpkg -s amazon-ssm-agent >/dev/null 2>&1; then
  systemctl enable --now amazon-ssm-agent.service
  exit 0
fi
arch=$(dpkg --print-architecture)
case "$arch" in
  amd64 | arm64) ;;
  *) echo "cdktf-isolation: AWS publishes no SSM agent package for $arch" >&2; exit 1 ;;
esac
url="${SSM_AGENT_DEB_URL}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "cdktf-isolation: downloading the SSM agent from $url"
curl --fail --silent --show-error --location --proto '=https' --retry 5 --retry-delay 10 --connect-timeout 10 --max-time 600 \
  -o "$tmp/amazon-ssm-agent.deb" "$url"
dpkg -i "$tmp/amazon-ssm-agent.deb"
systemctl enable --now amazon-ssm-agent.service
echo "cdktf-isolation: SSM agent installed and started"
`;

const SSM_AGENT_UNIT = `[Unit]
Description=cdktf-isolation: install the AWS SSM agent (Debian's AMIs lack it)
Wants=network-online.target
After=network-online.target
StartLimitIntervalSec=6h
StartLimitBurst=30

[Service]
Type=oneshot
ExecStart=${HostLayout.SSM_AGENT_SCRIPT}
Restart=on-failure
RestartSec=60

[Install]
WantedBy=multi-user.target
`;
