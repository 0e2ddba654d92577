import { IsolationError } from '../private/errors';
import { Tokens } from '../private/tokens';
import { Check } from '../private/validate';

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

/**
 * A container image as a container spec reads it. `ContainerImage`'s
 * factories return one; implement it to bring references of your own.
 */
export interface IContainerImage {
  /** The full reference passed to `docker pull` / `docker run` (a tag or a digest). */
  readonly reference: string;
  /**
   * The ECR repository, for images from ECR: the host gets pull rights to it and the credential helper.
   * @default - not from ECR
   */
  readonly ecr?: EcrRepository;
}

// The grammar of github.com/distribution/reference.
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?)`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const PINNED_REFERENCE = new RegExp(`^${NAME}(?::${TAG}(?:@${DIGEST})?|@${DIGEST})$`);
const ECR_URL = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(\.cn)?\/(.+)$/;
const REPOSITORY_NAME = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);

/** An ECR repository URL, `<account>.dkr.ecr.<region>.amazonaws.com[.cn]/<name>` (what Terraform matches when the URL is a token). */
export const ECR_REPOSITORY_URL = new RegExp(
  `^[0-9]{12}\\.dkr\\.ecr(?:-fips)?\\.[a-z]{2}(?:-[a-z]+)+-[0-9]\\.amazonaws\\.com(?:\\.cn)?/${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
/** A tag, or a digest such as `sha256:<hex>`. */
export const TAG_OR_DIGEST = new RegExp(`^(?:${TAG}|${DIGEST})$`);

const REFERENCE_FIX = "Write '<name>:<tag>' or '<name>@sha256:<digest>', e.g. 'nginx:1.27', 'ghcr.io/acme/api:2.1.0' or 'registry.example.com:5000/team/app@sha256:<64 hex>'; names are lower case.";

/** The grammar of image references and ECR repository URLs. Pure. */
export class ImageReference {
  /**
   * Validates an image reference (it must name a tag or a digest) and returns it.
   * @param path construct path for the error
   * @param prop prop name for the error
   */
  public static validate(path: string, prop: string, reference: unknown): string {
    if (typeof reference === 'string' && Tokens.isUnresolved(reference)) {
      // Known at apply (e.g. 'nginx:' + a tag variable): Terraform matches the whole reference, pinned.
      return Check.matches(path, prop, reference, PINNED_REFERENCE, 'an image reference that names a tag or a digest', REFERENCE_FIX);
    }
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

  /** The ECR repository of a repository URL, or undefined when it is not one. */
  public static parseEcrUrl(repositoryUrl: unknown): EcrRepository | undefined {
    const m = typeof repositoryUrl === 'string' ? ECR_URL.exec(repositoryUrl) : null;
    if (!m || !REPOSITORY_NAME.test(m[4])) return undefined;
    const partition = m[3] ? 'aws-cn' : 'aws';
    return {
      registry: (repositoryUrl as string).slice(0, (repositoryUrl as string).indexOf('/')),
      accountId: m[1],
      region: m[2],
      repositoryName: m[4],
      repositoryArn: `arn:${partition}:ecr:${m[2]}:${m[1]}:repository/${m[4]}`,
    };
  }

  /** True when `tag` is an image tag. */
  public static isTag(tag: string): boolean {
    return new RegExp(`^${TAG}$`).test(tag);
  }

  /** True when `digest` is a digest such as `sha256:<hex>`. */
  public static isDigest(digest: string): boolean {
    return new RegExp(`^${DIGEST}$`).test(digest);
  }

  private constructor() {}
}
