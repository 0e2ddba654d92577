// The benchmark stack written by hand: the same resources with the same
// attributes as bench/programs/library-program.ts, created directly from the
// provider classes, with the cloud-config user data put together from string
// templates and the `yaml` package. It uses nothing from the library (its
// constructs or its renderers); test/bench-equivalence.test.ts checks that
// both programs synthesize the same resources.
import { gzipSync } from 'node:zlib';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { DataAwsSubnets } from '@cdktf/provider-aws/lib/data-aws-subnets';
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { BenchContainer, BenchHost, INSTANCE_TYPE } from '../portfolio';

const LIB = '/usr/local/lib/cdktf-isolation';
const AL2023_X86_64 = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';
const USER_DATA_LIMIT = 16384;

const DAEMON_JSON = `{
  "live-restore": true,
  "log-driver": "json-file",
  "log-opts": {
    "max-file": "3",
    "max-size": "10m"
  },
  "no-new-privileges": true
}
`;

const WAIT_FOR_DOCKER = `#!/bin/sh
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

const PULL_IMAGE = `#!/bin/sh
# Written by cdktf-isolation: make sure an image is present.
set -eu
image="$1"
if docker image inspect "$image" >/dev/null 2>&1; then
  exit 0
fi
attempts="\${CDKTF_ISOLATION_PULL_ATTEMPTS:-6}"
delay=2
i=1
while :; do
  if docker pull --quiet "$image"; then
    exit 0
  fi
  if [ "$i" -ge "$attempts" ]; then
    echo "cdktf-isolation: could not pull $image after $attempts attempts" >&2
    exit 1
  fi
  sleep "$delay"
  delay=$((delay * 2))
  i=$((i + 1))
done
`;

/** Quotes a word for sh the way Python's shlex.quote does. */
function q(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.split("'").join("'\\''")}'`;
}

function unitName(c: BenchContainer): string {
  return `cdktf-container-${c.name}.service`;
}

function startScript(c: BenchContainer): string {
  const env = Object.keys(c.environment).sort().map((k) => `--env ${q(`${k}=${c.environment[k]}`)}`);
  const args = [
    '--detach',
    `--name ${q(c.name)}`,
    `--memory ${c.memoryMiB}m`,
    `--memory-swap ${c.memoryMiB}m`,
    `--cpus ${c.cpus}`,
    '--cpu-shares 512',
    '--pids-limit 256',
    '--cap-drop ALL',
    '--security-opt no-new-privileges=true',
    '--read-only',
    `--tmpfs /tmp:rw,noexec,nosuid,nodev,size=${Math.min(64, c.memoryMiB)}m`,
    '--user 65532:65532',
    '--restart on-failure:5',
    '--stop-timeout 10',
    '--log-driver json-file',
    '--log-opt max-size=10m',
    '--log-opt max-file=3',
    `--publish 127.0.0.1:${c.hostPort}:${c.containerPort}/tcp`,
    `--health-cmd ${q(c.healthCommand.map(q).join(' '))}`,
    '--health-interval 30s',
    '--health-timeout 5s',
    '--health-retries 3',
    '--health-start-period 10s',
    ...env,
    `--label ${q(`cdktf-isolation.container=${c.name}`)}`,
    q(c.image),
  ];
  return `#!/bin/sh
# Written by cdktf-isolation: (re)creates container ${c.name} at boot,
# run by ${unitName(c)}. Docker's restart policy supervises it.
set -eu
lib="\${CDKTF_ISOLATION_LIB:-${LIB}}"
"$lib/pull-image.sh" ${q(c.image)}
docker rm --force ${q(c.name)} >/dev/null 2>&1 || true
exec docker run \\
  ${args.join(' \\\n  ')}
`;
}

function unit(c: BenchContainer): string {
  return `[Unit]
Description=cdktf-isolation container ${c.name}
Wants=network-online.target
After=network-online.target docker.service
Wants=docker.service

[Service]
Type=oneshot
RemainAfterExit=yes
TimeoutStartSec=900
Environment=HOME=/root
ExecStart=${LIB}/containers/${c.name}.sh
ExecStop=/usr/bin/docker stop --time 10 ${c.name}
ExecStopPost=-/usr/bin/docker rm --force ${c.name}

[Install]
WantedBy=multi-user.target
`;
}

/** The cloud-config of one host. */
export function handWrittenCloudConfig(host: BenchHost): string {
  const file = (path: string, content: string, permissions: string) => ({ path, content, owner: 'root:root', permissions });
  const writeFiles = [file('/etc/docker/daemon.json', DAEMON_JSON, '0644'), file(`${LIB}/wait-for-docker.sh`, WAIT_FOR_DOCKER, '0755')];
  const runcmd = [['systemctl', 'enable', '--now', 'docker.service'], [`${LIB}/wait-for-docker.sh`]];
  if (host.containers.length > 0) {
    writeFiles.push(file(`${LIB}/pull-image.sh`, PULL_IMAGE, '0755'));
    runcmd.push(['systemctl', 'daemon-reload']);
  }
  for (const c of host.containers) {
    writeFiles.push(file(`${LIB}/containers/${c.name}.sh`, startScript(c), '0700'));
    writeFiles.push(file(`/etc/systemd/system/${unitName(c)}`, unit(c), '0644'));
    runcmd.push(['systemctl', 'enable', '--now', unitName(c)]);
  }
  const doc = {
    package_update: true,
    packages: ['docker'],
    write_files: writeFiles,
    runcmd,
    final_message: 'cdktf-isolation: host ready, Docker engine running, after $UPTIME seconds',
  };
  // YAML 1.1, as cloud-init's PyYAML reads it (so '0644' and 'on' get quoted); no line folding.
  const body = stringify(doc, { lineWidth: 0, minContentWidth: 0, defaultStringType: 'PLAIN', version: '1.1' });
  return `#cloud-config\n# cdktf-isolation host ${host.path}\n${body}`;
}

/** EC2 takes 16 KB of user data: plain text (Terraform template syntax escaped) when it fits, else gzip + base64. */
function userData(text: string, hostPath: string): { userData?: string; userDataBase64?: string } {
  if (Buffer.byteLength(text, 'utf8') <= USER_DATA_LIMIT) {
    return { userData: text.split('${').join('$${').split('%{').join('%%{') };
  }
  const gz = gzipSync(text, { level: 9 });
  gz.writeUInt32LE(0, 4); // no timestamp, and the Unix OS byte: the same bytes on every machine
  gz[9] = 3;
  if (gz.length > USER_DATA_LIMIT) throw new Error(`${hostPath}: user data is ${gz.length} bytes even compressed`);
  return { userDataBase64: gz.toString('base64') };
}

/** Adds the hosts (instance, security group, role, profile, lookups) with their containers' user data to `stack`. */
export function buildByHand(stack: Construct, hosts: BenchHost[]): void {
  for (const h of hosts) {
    const tags = { Name: h.path };
    const description = `cdktf-isolation host ${h.path}`;
    const ami = new DataAwsSsmParameter(stack, `${h.id}-ami`, { name: AL2023_X86_64 });
    const vpc = new DataAwsVpc(stack, `${h.id}-vpc`, { default: true });
    const subnets = new DataAwsSubnets(stack, `${h.id}-subnets`, { filter: [{ name: 'vpc-id', values: [vpc.id] }] });
    const sg = new SecurityGroup(stack, `${h.id}-sg`, { description, vpcId: vpc.id, tags });
    new VpcSecurityGroupEgressRule(stack, `${h.id}-egress-80`, {
      securityGroupId: sg.id, ipProtocol: 'tcp', fromPort: 80, toPort: 80, cidrIpv4: '0.0.0.0/0', description: 'HTTP: package mirrors',
    });
    new VpcSecurityGroupEgressRule(stack, `${h.id}-egress-443`, {
      securityGroupId: sg.id, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0', description: 'HTTPS: SSM, image registries, package mirrors',
    });
    const role = new IamRole(stack, `${h.id}-role`, {
      description,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
      tags,
    });
    new IamRolePolicyAttachment(stack, `${h.id}-ssm`, { role: role.name, policyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' });
    const profile = new IamInstanceProfile(stack, `${h.id}-profile`, { role: role.name, tags });
    new Instance(stack, `${h.id}-instance`, {
      ami: ami.insecureValue,
      instanceType: INSTANCE_TYPE,
      subnetId: Fn.element(Fn.sort(subnets.ids), 0),
      vpcSecurityGroupIds: [sg.id],
      iamInstanceProfile: profile.name,
      associatePublicIpAddress: false,
      monitoring: false,
      ebsOptimized: true,
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1, instanceMetadataTags: 'disabled' },
      rootBlockDevice: { volumeType: 'gp3', volumeSize: 20, encrypted: true, deleteOnTermination: true, tags },
      ...userData(handWrittenCloudConfig(h), h.path),
      userDataReplaceOnChange: true,
      tags,
    });
  }
}
