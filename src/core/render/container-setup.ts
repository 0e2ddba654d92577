import { serializeWithTokens, Tokens } from '../../private/tokens';
import { ContainerSpec } from '../container-spec';
import { RolePolicyStatement } from '../iam';
import { OsFamilies, OsFamily } from '../os-family';
import { CloudConfig } from './cloud-config';
import { DockerRun } from './docker-run';
import { HostLayout } from './host-layout';
import { HostScripts } from './host-scripts';
import { ReverseProxy } from './reverse-proxy';
import { ContainerUnit } from './systemd';

const SSM_PARAMETER_ARN = /^arn:aws[a-z-]*:ssm:/;
const DOCKER_CONFIG = '/root/.docker/config.json';

/**
 * What one container adds to a host: its files in the host's cloud-config
 * (start script, systemd unit, helpers, packages, ECR credential helper),
 * and the IAM statements the host role needs for it. Shared by VmHost and
 * HostFleet.
 */
export class ContainerSetup {
  /** Adds the container's files, packages and commands to `config`. */
  public static apply(config: CloudConfig, spec: ContainerSpec, osFamily: OsFamily): void {
    ContainerSetup.applySupport(config, spec, osFamily);
    ContainerSetup.applyDefinition(config, spec);
  }

  /**
   * What the host needs for the container, shared by its containers: the
   * pull script, the ECR credential helper and Docker's config for its
   * registry, the SSM client for secrets. Host-level: a change here
   * replaces a VmHost (the reconcile delivers definitions, not packages).
   */
  public static applySupport(config: CloudConfig, spec: ContainerSpec, osFamily: OsFamily): void {
    const traits = OsFamilies.linuxTraits(osFamily, 'a container');
    if (!config.hasFile(HostLayout.PULL_SCRIPT)) config.addFile({ path: HostLayout.PULL_SCRIPT, content: HostScripts.pullImage(), permissions: '0755' });

    const ecr = spec.imageSource.ecr;
    if (ecr) {
      config.addPackage(traits.ecrCredentialHelperPackage);
      const registries = registriesOf(config);
      registries.add(ecr.registry);
      const credHelpers = Object.fromEntries([...registries].sort().map((r) => [r, 'ecr-login']));
      // A registry from a token (an ECR URL known at apply) is quoted by Terraform's jsonencode.
      config.putFile({ path: DOCKER_CONFIG, content: `${serializeWithTokens({ credHelpers }, (doc) => JSON.stringify(doc, null, 2))}\n`, permissions: '0600' });
    }

    if (spec.secretEnvironment.length > 0) {
      for (const p of traits.ssmClientPackages) config.addPackage(p);
      if (!config.hasFile(HostLayout.SSM_SCRIPT)) config.addFile({ path: HostLayout.SSM_SCRIPT, content: HostScripts.ssmEnv(), permissions: '0755' });
    }

    if (spec.zeroDowntime && !config.hasFile(ReverseProxy.CONFIG)) ContainerSetup.applyProxy(config);
  }


  /** The container's own definition at first boot: its start script and unit, enabled and started. */
  public static applyDefinition(config: CloudConfig, spec: ContainerSpec): void {
    config.addFile({ path: DockerRun.scriptPath(spec), content: DockerRun.startScript(spec), permissions: '0700' });
    config.addFile({ path: HostLayout.unitPath(spec.name), content: ContainerUnit.render(spec), permissions: '0644' });
    if (spec.zeroDowntime) {
      // The first version runs on the first loopback port; the reconcile switches later ones.
      config.addFile({ path: `${HostLayout.PROXY_DIR}/${ReverseProxy.sitePath(spec.name)}`, content: ReverseProxy.site(spec), permissions: '0644' });
      config.addFile({ path: `${HostLayout.PROXY_DIR}/${ReverseProxy.upstreamPath(spec.name)}`, content: ReverseProxy.upstream(spec.zeroDowntime.upstreamPorts[0]), permissions: '0644' });
    }
    if (!config.hasRunCommand(['systemctl', 'daemon-reload'])) config.addRunCommand(['systemctl', 'daemon-reload']);
    config.addRunCommand(['systemctl', 'enable', '--now', HostLayout.unitName(spec.name)]);
  }

  /** The statements the host role needs for the container: pull rights to its ECR repository, read rights to its SSM parameters. */
  public static statements(spec: ContainerSpec): RolePolicyStatement[] {
    const statements: RolePolicyStatement[] = [];
    const ecr = spec.imageSource.ecr;
    if (ecr) {
      statements.push({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] });
      statements.push({ actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], resources: [ecr.repositoryArn] });
    }
    if (spec.secretEnvironment.length > 0) {
      statements.push({
        actions: ['ssm:GetParameter'],
        // A parameter known at apply is told apart (ARN or name) by Terraform.
        resources: spec.secretEnvironment.map(({ value }) => (Tokens.isUnresolved(value)
          ? Tokens.ifStartsWith(value, 'arn:', value, `arn:aws:ssm:*:*:parameter/${Tokens.trimPrefix(value, '/')}`)
          : (SSM_PARAMETER_ARN.test(value) ? value : `arn:aws:ssm:*:*:parameter/${value.replace(/^\//, '')}`))),
      });
    }
    return statements;
  }

  /**
   * The host's reverse proxy (zeroDowntime): the OS's nginx package (and
   * curl, for the reconcile's HTTP check), the library's configuration and
   * unit, a system user for its workers; the package's own nginx.service
   * (which listens on port 80 with a default site on Debian and Ubuntu) is
   * stopped and disabled.
   */
  private static applyProxy(config: CloudConfig): void {
    config.addPackage(ReverseProxy.PACKAGE);
    config.addPackage('curl');
    config.addFile({ path: ReverseProxy.CONFIG, content: ReverseProxy.mainConfig(), permissions: '0644' });
    config.addFile({ path: `/etc/systemd/system/${HostLayout.PROXY_UNIT}`, content: ReverseProxy.unit(), permissions: '0644' });
    config.addRunCommand(['systemctl', 'disable', '--now', 'nginx.service']);
    // Kept when it exists (an image that has it already).
    config.addRunCommand(['sh', '-c', `id -u ${HostLayout.PROXY_USER} >/dev/null 2>&1 || useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin ${HostLayout.PROXY_USER}`]);
    if (!config.hasRunCommand(['systemctl', 'daemon-reload'])) config.addRunCommand(['systemctl', 'daemon-reload']);
    config.addRunCommand(['systemctl', 'enable', '--now', HostLayout.PROXY_UNIT]);

  }

  private constructor() {}
}

/** The registries of the credential helper's config, per document (a document that already has the file, e.g. a copy, starts from its content). */
const registries = new WeakMap<CloudConfig, Set<string>>();

function registriesOf(config: CloudConfig): Set<string> {
  let set = registries.get(config);
  if (!set) {
    const existing = config.listFiles().find((f) => f.path === DOCKER_CONFIG);
    set = new Set(existing ? Object.keys(JSON.parse(existing.content).credHelpers ?? {}) : []);
    registries.set(config, set);
  }
  return set;
}
