/** One statement of a host role's inline policy. */
export interface RolePolicyStatement {
  /** IAM actions, e.g. `ecr:BatchGetImage`. */
  readonly actions: string[];
  /** Resource ARNs (or `*` where the action has no resource). */
  readonly resources: string[];
  /**
   * Statement id.
   * @default - none
   */
  readonly sid?: string;
}
