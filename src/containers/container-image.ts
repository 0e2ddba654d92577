import { IsolationError } from '../private/errors';

/** An ECR repository an image comes from. */
export interface EcrRepository {
  /** The registry host, `<account>.dkr.ecr.<region>.amazonaws.com`. */
  readonly registry: string;
  /** The account id. */
  readonly accountId: string;
  /** The region. */
  readonly region: string;
  /** The repository name (may contain `/`). */
  readonly repositoryName: string;
  /** The repository ARN (partition `aws`, or `aws-cn` for `.amazonaws.com.cn`). */
  readonly repositoryArn: string;
}

// The grammar of github.com/distribution/reference.
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?)`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const ECR_URL = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(\.cn)?\/(.+)$/;

const REFERENCE_FIX = "Write '<name>:<tag>' or '<name>@sha256:<digest>', e.g. 'nginx:1.27', 'ghcr.io/acme/api:2.1.0' or 'registry.example.com:5000/team/app@sha256:<64 hex>'; names are lower case.";

/** A container image: a reference with a tag or digest, from any registry or from ECR. */
export class ContainerImage {
  /**
   * An image from a registry, e.g. `nginx:1.27` or `ghcr.io/acme/api@sha256:...`.
   * The reference must name a tag or a digest (a digest pins the exact image).
   */
  public static fromRegistry(reference: string): ContainerImage {
    ContainerImage.validate('ContainerImage.fromRegistry', 'reference', reference);
    return new ContainerImage(reference);
  }

  /**
   * An image in an ECR repository. The host's role gets pull rights to that
   * repository only, and the host authenticates with the ECR credential helper.
   * @param repositoryUrl `<account>.dkr.ecr.<region>.amazonaws.com/<name>`
   * @param tag a tag, or a digest `sha256:<hex>`
   */
  public static fromEcr(repositoryUrl: string, tag: string): ContainerImage {
    const m = typeof repositoryUrl === 'string' ? ECR_URL.exec(repositoryUrl) : null;
    if (!m || !new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`).test(m[4])) {
      throw new IsolationError('ContainerImage.fromEcr', 'repositoryUrl', "must be an ECR repository URL '<account>.dkr.ecr.<region>.amazonaws.com/<name>'", repositoryUrl,
        "Copy the repository URI from the ECR console, e.g. '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api'.");
    }
    const isDigest = typeof tag === 'string' && tag.startsWith('sha256:');
    if (typeof tag !== 'string' || !(isDigest ? new RegExp(`^${DIGEST}$`).test(tag) : new RegExp(`^${TAG}$`).test(tag))) {
      throw new IsolationError('ContainerImage.fromEcr', 'tag', 'must be an image tag or a digest sha256:<hex>', tag,
        "Use a tag such as '1.4.2' (letters, digits, '_', '.', '-', at most 128) or a digest 'sha256:<64 hex digits>'.");
    }
    const registry = repositoryUrl.slice(0, repositoryUrl.indexOf('/'));
    const partition = m[3] ? 'aws-cn' : 'aws';
    const ecr: EcrRepository = {
      registry,
      accountId: m[1],
      region: m[2],
      repositoryName: m[4],
      repositoryArn: `arn:${partition}:ecr:${m[2]}:${m[1]}:repository/${m[4]}`,
    };
    return new ContainerImage(isDigest ? `${repositoryUrl}@${tag}` : `${repositoryUrl}:${tag}`, ecr);
  }

  /**
   * Validates an image reference and returns it.
   * @param path construct path for the error
   * @param prop prop name for the error
   */
  public static validate(path: string, prop: string, reference: unknown): string {
    const m = typeof reference === 'string' ? REFERENCE.exec(reference) : null;
    if (!m || reference === '' || (reference as string).length > 512) {
      throw new IsolationError(path, prop, 'must be an image reference', reference, REFERENCE_FIX);
    }
    if (m[2] === undefined && m[3] === undefined) {
      throw new IsolationError(path, prop, 'must name a tag or a digest', reference,
        `Pin the image: '${reference}:<tag>' or '${reference}@sha256:<digest>' (an untagged reference means whatever 'latest' is at boot).`);
    }
    return reference as string;
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
