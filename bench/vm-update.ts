// 7. In-place update against replacement (issue 14): runs the VM test
// (test/vm/boot.test.ts, QEMU), which boots a host on its synthesized user data,
// then runs the commands of the SSM document synthesized for a changed set in
// the guest while a request loop hits the untouched container, and reboots.
// Prints the update time beside what a replacement costs in the same run (VM
// start to both containers healthy) and the failed requests. No time is
// asserted; the target is reported: the update healthy at least 10x sooner.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { load, machine, OUT, ROOT, table } from './common';

const TARGET = 10;

function main(): void {
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, 'vm-numbers.json');
  rmSync(file, { force: true });
  const before = load();
  const r = spawnSync('npx', ['jest', 'test/vm/boot.test.ts', '--coverage=false'], {
    cwd: ROOT,
    env: { ...process.env, CDKTF_ISOLATION_VM_TEST: '1', CDKTF_ISOLATION_VM_NUMBERS: file },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0 || !existsSync(file)) {
    throw new Error(`the VM test failed (status ${r.status}) or wrote no numbers to ${file}: its output is above`);
  }
  const { accelerator, imageBuilt, numbers: n } = JSON.parse(readFileSync(file, 'utf8'));
  const ratio = n.vmToAllHealthy / n.updateToHealthy;
  console.log(`## In-place update against replacement (test/vm; ${machine()}; ${accelerator.accel.toUpperCase()}: ${accelerator.reason}; ` +
    `image ${imageBuilt ? 'built in this run' : 'cached'}; load average ${before} before, ${load()} after)`);
  console.log();
  console.log(table(['what', 'time'], [
    ['replacement: VM start -> both containers healthy (first boot on the user data)', `${n.vmToAllHealthy.toFixed(0)} s`],
    ['reboot (power button) -> both containers healthy', `${n.rebootToAllHealthy.toFixed(0)} s`],
    ['in-place update: SSM document commands start -> new version healthy (the reconcile returns)', `${n.updateToHealthy.toFixed(1)} s`],
    ['failed requests on the untouched container during the update (target 0)', `${n.updateRequestsFailed} of ${n.updateRequestsOk + n.updateRequestsFailed}`],
    [`replacement / update (target >= ${TARGET}x)`, `${ratio.toFixed(1)}x ${ratio >= TARGET && n.updateRequestsFailed === 0 ? 'met' : 'MISSED'}`],
  ]));
}

main();
