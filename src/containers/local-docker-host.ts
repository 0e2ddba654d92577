import type { Container } from '@cdktf/provider-docker/lib/container';
import type { Image } from '@cdktf/provider-docker/lib/image';
import { Annotations } from 'cdktf';
import { Construct } from 'constructs';
import { ContainerOptions } from '../core/container-options';
import { ContainerSpec } from '../core/container-spec';
import { DockerProviderConfig } from '../core/render/docker-provider';
import { IsolationError } from '../private/errors';
import { escapeTerraformTemplates } from '../private/terraform-string';
import { Check, checkTags } from '../private/validate';
import { Preconditions } from '../terraform/preconditions';

/** Props of `LocalDockerHost`. */
export interface LocalDockerHostProps {
  /**
   * Containers to run, as for `ContainerOnVm`.
   * @default - none; add them with addContainer()
   */
  readonly containers?: ContainerOptions[];
  /**
   * Values for the containers' `secretEnvironment` names on this machine
   * (e.g. from `process.env`); SSM is not read locally. They end up in the
   * Terraform state, like any docker_container environment.
   * @default - none; a container with secrets then fails
   */
  readonly secretValues?: { [name: string]: string };
}

/** The resources of one container on a local Docker daemon. */
export interface LocalContainerConfig {
  /** The docker_image resource. */
  readonly image: Image;
  /** The docker_container resource. */
  readonly container: Container;
  /** The validated spec. */
  readonly spec: ContainerSpec;
}

/**
 * The docker provider's modules are loaded on first use, not with the
 * library: stacks for EC2 never need them, and they take about 10 ms and
 * 1.7 MiB to load (bench/RESULTS.md).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
function dockerModules() {
  return {
    Container: require('@cdktf/provider-docker/lib/container').Container as typeof Container,
    Image: require('@cdktf/provider-docker/lib/image').Image as typeof Image,
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The same container specs as `ContainerOnVm`, as `docker_image` and
 * `docker_container` resources for a local Docker daemon (the stack needs a
 * `DockerProvider`), so a developer runs locally what will run on EC2.
 *
 * What the local path cannot enforce: the docker provider's
 * docker_container has no pids limit (a fork bomb is bounded by the
 * daemon's defaults only) and no UTS namespace mode. A container that asks
 * for either gets a warning; IsolationChecks' CTR-PIDS rule does not apply
 * to docker_container for the same reason. Every string of the
 * configuration reaches Terraform escaped (`${` and `%{` arrive as written).
 */
export class LocalDockerHost extends Construct {
  private readonly secretValues: { [name: string]: string };
  private readonly names = new Set<string>();

  constructor(scope: Construct, id: string, props?: LocalDockerHostProps) {
    super(scope, id);
    const path = this.node.path;
    props = Check.props(path, props, "{ containers: [{ name: 'web', image, memoryMiB: 256 }] }", true);
    this.secretValues = checkTags(path, 'secretValues', props.secretValues);
    if (props.containers !== undefined && !Array.isArray(props.containers)) {
      throw new IsolationError(path, 'containers', 'must be a list of containers', props.containers, "Write containers as [{ name: 'web', image, memoryMiB: 256 }].");
    }
    for (const options of props.containers ?? []) this.addContainer(options);
  }

  /** Adds one container; its construct id is its name. */
  public addContainer(options: ContainerOptions): LocalContainerConfig {
    const path = `${this.node.path}/${typeof options?.name === 'string' ? options.name : 'container'}`;
    const spec = ContainerSpec.of(options, path);
    if (spec.zeroDowntime) {
      throw new IsolationError(path, 'zeroDowntime', 'is for containers on a VmHost (it needs the host\'s reverse proxy); LocalDockerHost publishes the port directly',
        options.zeroDowntime, 'Remove zeroDowntime for the local container.');
    }
    if (this.names.has(spec.name)) {
      throw new IsolationError(path, 'name', `must be unique on ${this.node.path}`, spec.name, 'Give each container its own name.');
    }
    this.names.add(spec.name);
    const config = DockerProviderConfig.container(spec);
    const env = [...config.env];
    for (const { name } of spec.secretEnvironment) {
      const value = this.secretValues[name];
      if (typeof value !== 'string') {
        throw new IsolationError(path, `secretEnvironment.${name}`, 'needs a local value in the LocalDockerHost\'s secretValues', name,
          `Pass secretValues: { ${name}: process.env.${name} } (SSM is not read on a developer machine).`);
      }
      env.push(`${name}=${value}`);
    }
    env.sort();
    const { Container, Image } = dockerModules();
    const image = new Image(this, `${spec.name}-image`, escapeTerraformTemplates(DockerProviderConfig.image(spec)));
    const container = new Container(this, spec.name, { ...escapeTerraformTemplates({ ...config, env }), image: image.imageId });
    // Checks of values known at apply run before the container is created.
    Preconditions.set(container, Preconditions.of(spec._deferred));
    Preconditions.report(container, spec._deferred);
    // Warn about what the user asked for and the provider cannot do, not about defaults.
    const asked = DockerProviderConfig.unsupported(spec).filter((gap) => gap !== 'pidsLimit' || options.pidsLimit !== undefined);
    for (const gap of asked) {
      Annotations.of(container).addWarning(`${path}: '${gap}' is not enforced locally: the docker provider's docker_container has no such setting.`);
    }
    return { image, container, spec };
  }
}
