// Debian's AMIs have no SSM agent (issue 14: container updates arrive
// through an SSM association; Session Manager needs it too): the library
// installs AWS's package from a unit that retries and never fails
// cloud-init. The unit is checked by systemd-analyze; the script runs with
// dpkg, curl and systemctl on a PATH of recorders (the download needs the
// internet, which tests do not reach).
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { MachineImage, VmHost } from '../../src';
import { HostLayout } from '../../src/core/render/host-layout';
import { materialize, systemdRoot, systemdVerify } from '../helpers/host-root';
import { awsStack, onlyResource, synthJson, userDataOf } from '../helpers/synth';
import { requireTools, run } from '../helpers/tools';

const enabled = requireTools('the SSM agent install (systemd-analyze)', ['systemd-analyze', 'sh']);

function userData(image: ReturnType<typeof MachineImage.debian12>): string {
  const { stack } = awsStack();
  new VmHost(stack, 'host', { machineImage: image, subnetId: 'subnet-0123456789abcdef0' });
  return userDataOf(onlyResource(synthJson(stack), 'aws_instance'));
}

(enabled ? describe : describe.skip)('the SSM agent on Debian', () => {
  const debian = userData(MachineImage.debian12());

  test('only Debian hosts install it; Amazon Linux 2023 and Ubuntu 24.04 ship it', () => {
    expect(debian).toContain(`path: ${HostLayout.SSM_AGENT_SCRIPT}`);
    expect(parse(debian, { version: '1.1' }).runcmd).toContainEqual(['systemctl', 'enable', '--now', '--no-block', HostLayout.SSM_AGENT_UNIT]);
    for (const other of [userData(MachineImage.amazonLinux2023()), userData(MachineImage.ubuntu2404())]) {
      expect(other).not.toContain(HostLayout.SSM_AGENT_UNIT);
    }
  });

  test('its unit passes systemd-analyze verify with no warnings', () => {
    const root = systemdRoot(debian);
    try {
      const r = systemdVerify(root, HostLayout.SSM_AGENT_UNIT);
      expect({ status: r.status, stderr: r.stderr, stdout: r.stdout }).toEqual({ status: 0, stderr: '', stdout: '' });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  describe('its script', () => {
    let work: string;
    let script: string;
    beforeEach(() => {
      work = mkdtempSync(join(tmpdir(), 'cdktf-ssm-agent-'));
      const root = join(work, 'root');
      materialize(debian, root);
      script = join(root, HostLayout.SSM_AGENT_SCRIPT);
    });
    afterEach(() => rmSync(work, { recursive: true, force: true }));

    /** Runs the script with recorders for dpkg, curl and systemctl; returns its status and what each was called with. */
    function runWith(o: { installed?: boolean; arch?: string; curlFails?: boolean }) {
      const bin = join(work, 'bin');
      const log = join(work, 'calls');
      rmSync(log, { force: true });
      mkdirSync(bin, { recursive: true });
      const stub = (name: string, body: string) => {
        writeFileSync(join(bin, name), `#!/bin/sh\nprintf '%s\\n' "${name} $*" >> '${log}'\n${body}\n`);
        chmodSync(join(bin, name), 0o755);
      };
      stub('dpkg', `case "$1" in -s) exit ${o.installed ? 0 : 1} ;; --print-architecture) echo ${o.arch ?? 'amd64'} ;; -i) test -s "$2" ;; esac`);
      // curl writes the file it was asked for (-o), or fails as a download without a way out does.
      stub('curl', o.curlFails ? 'echo "curl: (28) Connection timed out" >&2; exit 28'
        : 'while [ $# -gt 0 ]; do if [ "$1" = -o ]; then printf deb > "$2"; shift; fi; shift; done');
      stub('systemctl', 'exit 0');
      const r = run('sh', [script], { env: { PATH: `${bin}:/usr/bin:/bin` } });
      let calls: string[] = [];
      try {
        calls = readFileSync(log, 'utf8').trim().split('\n');
      } catch {
        calls = [];
      }
      return { status: r.status, stderr: r.stderr, calls };
    }

    test('downloads AWS\'s package for the architecture over HTTPS, installs and starts it', () => {
      const r = runWith({});
      expect(r.status).toBe(0);
      const curl = r.calls.find((c) => c.startsWith('curl '))!;
      expect(curl).toContain('--proto =https');
      expect(curl.endsWith('https://s3.amazonaws.com/ec2-downloads-windows/SSMAgent/latest/debian_amd64/amazon-ssm-agent.deb')).toBe(true);
      expect(r.calls.filter((c) => !c.startsWith('curl ')).map((c) => c.replace(/\/tmp\/[^ ]+/, '<tmp>'))).toEqual([
        'dpkg -s amazon-ssm-agent', 'dpkg --print-architecture', 'dpkg -i <tmp>', 'systemctl enable --now amazon-ssm-agent.service',
      ]);
      expect(runWith({ arch: 'arm64' }).calls.find((c) => c.startsWith('curl '))).toContain('/debian_arm64/amazon-ssm-agent.deb');
    });

    test('an agent already installed is only started (a reboot, or an AMI of your own that has it)', () => {
      const r = runWith({ installed: true });
      expect(r).toEqual({ status: 0, stderr: '', calls: ['dpkg -s amazon-ssm-agent', 'systemctl enable --now amazon-ssm-agent.service'] });
    });

    test('a failed download exits non-zero (the unit retries) and installs nothing', () => {
      const r = runWith({ curlFails: true });
      expect(r.status).toBe(28);
      expect(r.calls.some((c) => c.startsWith('dpkg -i'))).toBe(false);
      expect(r.stderr).toContain('Connection timed out');
    });

    test('an architecture AWS publishes no package for is an error that says so', () => {
      const r = runWith({ arch: 's390x' });
      expect(r.status).toBe(1);
      expect(r.stderr).toBe('cdktf-isolation: AWS publishes no SSM agent package for s390x\n');
    });
  });
});
