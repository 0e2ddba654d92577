import { Fn, Token } from 'cdktf';
import { ECR_REPOSITORY_URL, EcrRepository, IContainerImage, ImageReference, TAG_OR_DIGEST } from '../core/image';
import { collectDeferred, DeferredCheck } from '../private/deferred';
import { IsolationError } from '../private/errors';
import { Tokens } from '../private/tokens';
import { Check } from '../private/validate';
import '../terraform/tokens';

/** An ECR repository as `ContainerImage.fromEcrRepository` reads it: the `EcrRepository` resource of `@cdktf/provider-aws` fits. */
export interface EcrRepositoryAttributes {
  /** The repository URL, `<account>.dkr.ecr.<region>.amazonaws.com/<name>` (a token when the repository is in the same stack). */
  readonly repositoryUrl: string;
  /** The repository ARN, which the host's pull rights are scoped to. */
  readonly arn: string;
}

const FROM_ECR = 'ContainerImage.fromEcr';
const URL_WHAT = "an ECR repository URL '<account>.dkr.ecr.<region>.amazonaws.com/<name>'";
const URL_FIX = "Copy the repository URI from the ECR console, e.g. '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api'.";
const TAG_WHAT = 'an image tag or a digest sha256:<hex>';
const TAG_FIX = "Use a tag such as '1.4.2' (letters, digits, '_', '.', '-', at most 128) or a digest 'sha256:<64 hex digits>'.";

/**
 * A container image: a reference with a tag or digest, from any registry or from ECR.
 *
 * Every part may be a token (a `TerraformVariable` set from CI, the URL of
 * an ECR repository of the same stack): what cannot be checked at synth
 * becomes a precondition of the host that runs the image.
 */
export class ContainerImage implements IContainerImage {
  /**
   * An image from a registry, e.g. `nginx:1.27`, `ghcr.io/acme/api@sha256:...`
   * or `'nginx:' + tag.stringValue`. The reference must name a tag or a
   * digest (a digest pins the exact image).
   */
  public static fromRegistry(reference: string): ContainerImage {
    // A reference with tokens is matched by Terraform, where a container uses it (ContainerSpec).
    if (!Token.isUnresolved(reference)) ImageReference.validate('ContainerImage.fromRegistry', 'reference', reference);
    return new ContainerImage(reference);
  }

  /**
   * An image in an ECR repository. The host's role gets pull rights to that
   * repository only, and the host authenticates with the ECR credential helper.
   * The URL and the tag may be tokens (the repository's ARN and registry
   * are then derived from the URL with Terraform functions).
   * @param repositoryUrl `<account>.dkr.ecr.<region>.amazonaws.com/<name>`
   * @param tag a tag, or a digest `sha256:<hex>`
   */
  public static fromEcr(repositoryUrl: string, tag: string): ContainerImage {
    return ContainerImage.ecrImage(repositoryUrl, tag, undefined);
  }

  /**
   * An image in an ECR repository of the same stack (or any object with its
   * URL and ARN, such as the `EcrRepository` resource): pull rights are
   * scoped to the repository's own ARN.
   * @param repository the repository
   * @param tag a tag, or a digest `sha256:<hex>`
   */
  public static fromEcrRepository(repository: EcrRepositoryAttributes, tag: string): ContainerImage {
    if (repository === null || typeof repository !== 'object' || typeof repository.repositoryUrl !== 'string' || typeof repository.arn !== 'string') {
      throw new IsolationError('ContainerImage.fromEcrRepository', 'repository', 'must be an ECR repository (with repositoryUrl and arn)', repository,
        "Pass the EcrRepository resource, e.g. new EcrRepository(this, 'Repo', { name: 'api' }).");
    }
    return ContainerImage.ecrImage(repository.repositoryUrl, tag, repository.arn);
  }

  private static ecrImage(repositoryUrl: string, tag: string, arn: string | undefined): ContainerImage {
    const { result, checks } = collectDeferred(() => {
      let ecr: EcrRepository | undefined;
      if (typeof repositoryUrl === 'string' && Token.isUnresolved(repositoryUrl)) {
        Check.matches(FROM_ECR, 'repositoryUrl', repositoryUrl, ECR_REPOSITORY_URL, URL_WHAT, URL_FIX);
        ecr = ecrOfToken(repositoryUrl);
      } else {
        ecr = ImageReference.parseEcrUrl(repositoryUrl);
        if (!ecr) throw new IsolationError(FROM_ECR, 'repositoryUrl', `must be ${URL_WHAT}`, repositoryUrl, URL_FIX);
      }
      if (typeof tag === 'string' && Token.isUnresolved(tag)) {
        Check.matches(FROM_ECR, 'tag', tag, TAG_OR_DIGEST, TAG_WHAT, TAG_FIX);
      } else {
        const isDigest = typeof tag === 'string' && tag.startsWith('sha256:');
        if (typeof tag !== 'string' || !(isDigest ? ImageReference.isDigest(tag) : ImageReference.isTag(tag))) {
          throw new IsolationError(FROM_ECR, 'tag', `must be ${TAG_WHAT}`, tag, TAG_FIX);
        }
      }
      const separator = Tokens.ifStartsWith(tag, 'sha256:', '@', ':');
      return new ContainerImage(`${repositoryUrl}${separator}${tag}`, arn === undefined ? ecr : { ...ecr, repositoryArn: arn });
    });
    result._deferred = checks;
    return result;
  }

  /** The full reference passed to `docker pull` / `docker run`. */
  public readonly reference: string;
  /**
   * The ECR repository, for images from ECR.
   * @default - not from ECR
   */
  public readonly ecr?: EcrRepository;
  /**
   * Checks of token parts, handed to the spec of a container that uses the image.
   * @internal
   */
  public _deferred: DeferredCheck[] = [];

  private constructor(reference: string, ecr?: EcrRepository) {
    this.reference = reference;
    this.ecr = ecr;
  }
}

/** The parts of an ECR repository URL known at apply, as Terraform expressions. */
function ecrOfToken(url: string): EcrRepository {
  const parts = Fn.split('/', url);
  const registry = Fn.element(parts, 0);
  const hostParts = Fn.split('.', registry);
  const accountId = Fn.element(hostParts, 0);
  const region = Fn.element(hostParts, 3);
  const repositoryName = Fn.join('/', Fn.slice(parts, 1, Fn.lengthOf(parts)));
  const partition = Token.asString(Fn.conditional(Fn.endswith(registry, '.amazonaws.com.cn'), 'aws-cn', 'aws'));
  return {
    registry,
    accountId,
    region,
    repositoryName,
    repositoryArn: Fn.format('arn:%s:ecr:%s:%s:repository/%s', [partition, region, accountId, repositoryName]),
  };
}
