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
    const traits = OsFamilies.traits(options.osFamily);
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
    return config;
  }

  private constructor() {}
}
