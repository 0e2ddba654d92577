import { FindingLevel, Rule, Unknown } from './rule';

/** An EBS volume (`aws_ebs_volume`), as the volume rules see it. */
export interface EbsVolumeView {
  /** `encrypted`: undefined when not set (EC2 then follows the account's default), an Unknown when known only at apply. */
  readonly encrypted?: boolean | Unknown;
}

/** EBS volume rules. */
export const EBS_VOLUME_RULES: ReadonlyArray<Rule<EbsVolumeView>> = [
  {
    id: 'HOST-VOLUME-ENCRYPTED',
    subject: 'aws_ebs_volume',
    level: FindingLevel.ERROR,
    finding: 'an EBS volume is not encrypted',
    explanation: 'An unencrypted volume, and every snapshot of it, exposes its data to anyone who can read the volume or the snapshot. ' +
      'Set encrypted = true (VmHost data volumes always are).',
    references: { checkov: ['CKV_AWS_3'], trivy: ['AVD-AWS-0026'] },
    check: (v) => (v.encrypted === true ? undefined : `encrypted is ${v.encrypted === false ? 'false' : 'not set'}`),
  },
];
