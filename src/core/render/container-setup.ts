import { CloudConfig } from './cloud-config';
import { ContainerSpec } from '../container-spec';
import { DockerRun, HostScripts } from './docker-run';
import { RolePolicyStatement } from '../iam';
import { OsFamilies, OsFamily } from '../os-family';

const SSM_PARAMETER_ARN = /^arn:aws[a-z-]*:ssm:/;
const DOCKER_CONFIG = '/root/.docker/config.json';

/**
 * Adds one container to a host's cloud-config (start script, systemd unit,
 * helpers, packages, ECR credential helper) and returns the IAM statements
 * the host role needs for it. Shared by ContainerOnVm and HostFleet.
 */
export class ContainerSetup {
  /** Applies the container to `config`; returns the role statements it needs. */
  public static apply(config: CloudConfig, spec: ContainerSpec, osFamily: OsFamily): RolePolicyStatement[] {
    const traits = OsFamilies.traits(osFamily);
    const statements: RolePolicyStatement[] = [];
    if (!config.hasFile(DockerRun.PULL_SCRIPT)) config.addFile({ path: DockerRun.PULL_SCRIPT, content: HostScripts.pullImage(), permissions: '0755' });

    const ecr = spec.imageSource.ecr;
    if (ecr) {
      config.addPackage(traits.ecrCredentialHelperPackage);
      const existing = config.listFiles().find((f) => f.path === DOCKER_CONFIG);
      const credHelpers: { [registry: string]: string } = existing ? JSON.parse(existing.content).credHelpers : {};
      credHelpers[ecr.registry] = 'ecr-login';
      const sorted = Object.fromEntries(Object.keys(credHelpers).sort().map((k) => [k, credHelpers[k]]));
      config.putFile({ path: DOCKER_CONFIG, content: `${JSON.stringify({ credHelpers: sorted }, null, 2)}\n`, permissions: '0600' });
      statements.push({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] });
      statements.push({ actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], resources: [ecr.repositoryArn] });
    }

    if (spec.secretEnvironment.length > 0) {
      for (const p of traits.ssmClientPackages) config.addPackage(p);
      if (!config.hasFile(DockerRun.SSM_SCRIPT)) config.addFile({ path: DockerRun.SSM_SCRIPT, content: HostScripts.ssmEnv(), permissions: '0755' });
      statements.push({
        actions: ['ssm:GetParameter'],
        resources: spec.secretEnvironment.map(({ value }) =>
          (SSM_PARAMETER_ARN.test(value) ? value : `arn:aws:ssm:*:*:parameter/${value.replace(/^\//, '')}`)),
      });
    }

    config.addFile({ path: DockerRun.scriptPath(spec), content: DockerRun.startScript(spec), permissions: '0700' });
    config.addFile({ path: `/etc/systemd/system/${DockerRun.unitName(spec)}`, content: DockerRun.unit(spec), permissions: '0644' });
    if (!config.hasRunCommand(['systemctl', 'daemon-reload'])) config.addRunCommand(['systemctl', 'daemon-reload']);
    config.addRunCommand(['systemctl', 'enable', '--now', DockerRun.unitName(spec)]);
    return statements;
  }

  private constructor() {}
}
