import { EcrRepository, IContainerImage, ImageReference } from '../core/image';
import { IsolationError } from '../private/errors';

/** A container image: a reference with a tag or digest, from any registry or from ECR. */
export class ContainerImage implements IContainerImage {
  /**
   * An image from a registry, e.g. `nginx:1.27` or `ghcr.io/acme/api@sha256:...`.
   * The reference must name a tag or a digest (a digest pins the exact image).
   */
  public static fromRegistry(reference: string): ContainerImage {
    ImageReference.validate('ContainerImage.fromRegistry', 'reference', reference);
    return new ContainerImage(reference);
  }

  /**
   * An image in an ECR repository. The host's role gets pull rights to that
   * repository only, and the host authenticates with the ECR credential helper.
   * @param repositoryUrl `<account>.dkr.ecr.<region>.amazonaws.com/<name>`
   * @param tag a tag, or a digest `sha256:<hex>`
   */
  public static fromEcr(repositoryUrl: string, tag: string): ContainerImage {
    const ecr = ImageReference.parseEcrUrl(repositoryUrl);
    if (!ecr) {
      throw new IsolationError('ContainerImage.fromEcr', 'repositoryUrl', "must be an ECR repository URL '<account>.dkr.ecr.<region>.amazonaws.com/<name>'", repositoryUrl,
        "Copy the repository URI from the ECR console, e.g. '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api'.");
    }
    const isDigest = typeof tag === 'string' && tag.startsWith('sha256:');
    if (typeof tag !== 'string' || !(isDigest ? ImageReference.isDigest(tag) : ImageReference.isTag(tag))) {
      throw new IsolationError('ContainerImage.fromEcr', 'tag', 'must be an image tag or a digest sha256:<hex>', tag,
        "Use a tag such as '1.4.2' (letters, digits, '_', '.', '-', at most 128) or a digest 'sha256:<64 hex digits>'.");
    }
    return new ContainerImage(isDigest ? `${repositoryUrl}@${tag}` : `${repositoryUrl}:${tag}`, ecr);
  }

  /** The full reference passed to `docker pull` / `docker run`. */
  public readonly reference: string;
  /**
   * The ECR repository, for images from ECR.
   * @default - not from ECR
   */
  public readonly ecr?: EcrRepository;

  private constructor(reference: string, ecr?: EcrRepository) {
    this.reference = reference;
    this.ecr = ecr;
  }
}
