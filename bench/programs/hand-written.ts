// The benchmark stack written by hand: the same resources with the same
// attributes as bench/programs/library-program.ts, created directly from the
// provider classes, with the cloud-config user data put together from string
// templates and the `yaml` package. It uses nothing from the library (its
// constructs or its renderers); test/bench-equivalence.test.ts checks that
// both programs synthesize the same resources.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { DataAwsSubnets } from '@cdktf/provider-aws/lib/data-aws-subnets';
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SsmAssociation } from '@cdktf/provider-aws/lib/ssm-association';
import { SsmDocument } from '@cdktf/provider-aws/lib/ssm-document';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { anyToTerraform, Fn, hashMapper, TerraformResource, TerraformStack } from 'cdktf';
import { ValidateTerraformVersion } from 'cdktf/lib/validations/validate-terraform-version';
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
    '--label "cdktf-isolation.spec-digest=$spec_digest"',
    q(c.image),
  ];
  return `#!/bin/sh
# Written by cdktf-isolation: (re)creates container ${c.name} at boot,
# run by ${unitName(c)}. Docker's restart policy supervises it.
set -eu
lib="\${CDKTF_ISOLATION_LIB:-${LIB}}"
# The digest of this script, as a label: the reconcile compares it with
# the desired definition and leaves a container that runs it alone.
spec_digest=$(sha256sum < "$0")
spec_digest="\${spec_digest%% *}"
# A container that already runs this very definition is kept: the reconcile
# created it and then started this unit (at boot, the unit stopped and removed it).
# The reconcile sets CDKTF_ISOLATION_REPLACE=1: it pulled the image, it wants a new one.
replace="\${CDKTF_ISOLATION_REPLACE:-}"
if [ -z "$replace" ] && [ "$(docker inspect --format '{{.State.Running}} {{index .Config.Labels "cdktf-isolation.spec-digest"}}' ${q(c.name)} 2>/dev/null)" = "true $spec_digest" ]; then
  exit 0
fi
[ -n "$replace" ] || "$lib/pull-image.sh" ${q(c.image)}
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
ExecStart=/usr/bin/flock /run/cdktf-isolation.lock ${LIB}/containers/${c.name}.sh
ExecStop=/usr/bin/docker stop --time 10 ${c.name}
ExecStopPost=-/usr/bin/docker rm --force ${c.name}

[Install]
WantedBy=multi-user.target
`;
}

const file = (path: string, content: string, permissions: string) => ({ path, content, owner: 'root:root', permissions });

/** What the host is, without its containers' definitions (the digest that replaces the instance). */
function hostLevelDoc(host: BenchHost) {
  const writeFiles = [file('/etc/docker/daemon.json', DAEMON_JSON, '0644'), file(`${LIB}/wait-for-docker.sh`, WAIT_FOR_DOCKER, '0755')];
  const runcmd = [['systemctl', 'enable', '--now', 'docker.service'], [`${LIB}/wait-for-docker.sh`]];
  if (host.containers.length > 0) writeFiles.push(file(`${LIB}/pull-image.sh`, PULL_IMAGE, '0755'));
  return {
    package_update: true,
    packages: ['docker'],
    write_files: writeFiles,
    runcmd,
    final_message: 'cdktf-isolation: host ready, Docker engine running, after $UPTIME seconds',
  };
}

/**
 * The reconcile script, as a hand-writer keeps a copy of it: in the measured
 * child, the file transpileBench writes beside the transpiled programs
 * (bench/out/reconcile.sh); in the tests, from the library's renderer.
 */
function reconcileScript(): string {
  const copied = join(__dirname, '..', 'reconcile.sh');
  if (existsSync(copied)) return readFileSync(copied, 'utf8');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../../src/core/render/reconcile') as typeof import('../../src/core/render/reconcile')).ReconcileScript.render();
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** gzip at level 9 with no timestamp and the Unix OS byte: the same bytes on every machine. */
function gzipDeterministic(text: string): Buffer {
  const gz = gzipSync(text, { level: 9 });
  gz.writeUInt32LE(0, 4);
  gz[9] = 3;
  return gz;
}

function gzipBase64(text: string): string {
  return gzipDeterministic(text).toString('base64');
}

let reconcilePayload: string | undefined;

/** The reconcile script's payload, the same on every host: read and compressed once. */
function reconcileScriptPayload(): string {
  reconcilePayload ??= gzipBase64(reconcileScript());
  return reconcilePayload;
}

/**
 * The SSM document that brings the host to its containers: the set (a
 * manifest, the start scripts, the units) and the reconcile script (copied,
 * as a hand-writer would copy it), each written as base64 of its gzip.
 */
function reconcileDocument(host: BenchHost): { content: string; digest: string; timeoutSeconds: number } {
  const containers = [...host.containers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const manifest = ['# cdktf-isolation desired container set v1', 'settle-seconds 10', 'health-timeout-seconds 300',
    ...containers.map((c) => `container ${c.name} ${sha256(startScript(c))} ${c.image}`), ''].join('\n');
  const files = [{ path: 'set', content: manifest, mode: '0600' }, ...containers.flatMap((c) => [
    { path: `containers/${c.name}.sh`, content: startScript(c), mode: '0700' },
    { path: `units/${unitName(c)}`, content: unit(c), mode: '0644' },
  ])];
  const write = (content: string, target: string) => `printf %s ${gzipBase64(content)} | base64 -d | gzip -dc > ${target}`;
  const commands = [
    'set -eu', 'umask 077', `lib="\${CDKTF_ISOLATION_LIB:-${LIB}}"`, 'mkdir -p "$lib"', 'd=$(mktemp -d "$lib/desired.XXXXXX")', 'trap \'rm -rf "$d"\' EXIT',
    'mkdir "$d/containers" "$d/units"',
    ...files.map((f) => `${write(f.content, `"$d/${f.path}"`)} && chmod ${f.mode} "$d/${f.path}"`),
    `printf %s ${reconcileScriptPayload()} | base64 -d | gzip -dc > "$d/reconcile.sh"`,
    'sh "$d/reconcile.sh" "$d"',
  ];
  const timeoutSeconds = Math.min(172800, 900 + Math.max(1, containers.length) * (900 + 2 * (300 + 60)));
  const content = JSON.stringify({
    schemaVersion: '2.2',
    description: `cdktf-isolation: brings the host's ${containers.length} container(s) to the desired set (set digest in the reconcile log)`,
    mainSteps: [{
      action: 'aws:runShellScript',
      name: 'reconcile',
      precondition: { StringEquals: ['platformType', 'Linux'] },
      inputs: { runCommand: commands, timeoutSeconds: String(timeoutSeconds) },
    }],
  }, null, 2);
  return { content, digest: sha256(content), timeoutSeconds };
}

/** The cloud-config of one host. */
export function handWrittenCloudConfig(host: BenchHost): string {
  const level = hostLevelDoc(host);
  const writeFiles = [...level.write_files];
  const runcmd = [...level.runcmd];
  if (host.containers.length > 0) runcmd.push(['systemctl', 'daemon-reload']);
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
  const gz = gzipDeterministic(text);
  if (gz.length > USER_DATA_LIMIT) throw new Error(`${hostPath}: user data is ${gz.length} bytes even compressed`);
  return { userDataBase64: gz.toString('base64') };
}

/**
 * A `terraform_data` holding a digest: what cdktf's `DataResource` writes
 * with only `input` set. Not `DataResource` itself, which runs `terraform
 * version` in a child process for each instance when the stack is validated
 * (two per host, about 10 s at 100 hosts); the program checks the version
 * once instead, as the library does (bench/RESULTS.md, run of 2026-12-02).
 */
class TerraformData extends TerraformResource {
  constructor(scope: Construct, id: string, private readonly digest: string) {
    super(scope, id, { terraformResourceType: 'terraform_data', terraformGeneratorMetadata: { providerName: 'terraform' } });
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    return { input: hashMapper(anyToTerraform)({ digest: this.digest }) };
  }
}

/** Adds the hosts (instance, security group, role, profile, lookups) with their containers' user data to `stack`. */
export function buildByHand(stack: Construct, hosts: BenchHost[]): void {
  TerraformStack.of(stack).node.addValidation(new ValidateTerraformVersion('>=1.4', 'terraform_data needs Terraform 1.4 or later.'));
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
    const hostInputs = new TerraformData(stack, `${h.id}-host-inputs`, sha256(JSON.stringify(hostLevelDoc(h))));
    const instance = new Instance(stack, `${h.id}-instance`, {
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
      userDataReplaceOnChange: false,
      lifecycle: { ignoreChanges: ['user_data', 'user_data_base64'], replaceTriggeredBy: [`terraform_data.${TerraformStack.of(stack).getLogicalId(hostInputs)}`] },
      tags,
    });
    const doc = reconcileDocument(h);
    const document = new SsmDocument(stack, `${h.id}-document`, {
      name: `cdktf-isolation-${h.path.replace(/[^A-Za-z0-9_.-]+/g, '-')}`,
      documentType: 'Command',
      documentFormat: 'JSON',
      content: doc.content.split('${').join('$${').split('%{').join('%%{'),
      targetType: '/AWS::EC2::Instance',
    });
    const rolloutDigest = new TerraformData(stack, `${h.id}-rollout-digest`, doc.digest);
    new SsmAssociation(stack, `${h.id}-association`, {
      name: document.name,
      documentVersion: document.latestVersion,
      targets: [{ key: 'InstanceIds', values: [instance.id] }],
      waitForSuccessTimeoutSeconds: doc.timeoutSeconds + 300,
      lifecycle: { replaceTriggeredBy: [`terraform_data.${TerraformStack.of(stack).getLogicalId(rolloutDigest)}`] },
    });
  }
}
