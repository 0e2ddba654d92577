/**
 * Linux capabilities (capabilities(7)), without the CAP_ prefix.
 */
export const CAPABILITIES: readonly string[] = [
  'AUDIT_CONTROL', 'AUDIT_READ', 'AUDIT_WRITE', 'BLOCK_SUSPEND', 'BPF', 'CHECKPOINT_RESTORE', 'CHOWN', 'DAC_OVERRIDE',
  'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'IPC_LOCK', 'IPC_OWNER', 'KILL', 'LEASE', 'LINUX_IMMUTABLE', 'MAC_ADMIN',
  'MAC_OVERRIDE', 'MKNOD', 'NET_ADMIN', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_RAW', 'PERFMON', 'SETFCAP', 'SETGID',
  'SETPCAP', 'SETUID', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_CHROOT', 'SYS_MODULE', 'SYS_NICE', 'SYS_PACCT', 'SYS_PTRACE',
  'SYS_RAWIO', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'SYSLOG', 'WAKE_ALARM',
];

/**
 * Capabilities outside Docker's default set that give a container power
 * over the host or break its isolation, each with why. A container that
 * adds one needs `unsafeReason`, and IsolationChecks reports it
 * (CTR-DANGEROUS-CAPABILITIES) until acknowledged.
 *
 * Sources: capabilities(7) for what each allows; Docker's "Runtime privilege
 * and Linux capabilities" (docs.docker.com/engine/containers/run) for the
 * default set (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL,
 * MKNOD, NET_BIND_SERVICE, NET_RAW, SETFCAP, SETGID, SETPCAP, SETUID,
 * SYS_CHROOT), which is not listed here; CIS Docker Benchmark 1.6.0 5.4.
 * Left out as power over the container only, not the host: IPC_LOCK,
 * IPC_OWNER, LEASE, LINUX_IMMUTABLE, SYS_NICE, SYS_RESOURCE, SYS_PACCT,
 * SYS_TTY_CONFIG, WAKE_ALARM, BLOCK_SUSPEND, CHECKPOINT_RESTORE.
 */
export const DANGEROUS_CAPABILITIES: { readonly [capability: string]: string } = {
  SYS_ADMIN: 'mount, namespaces and most of the kernel\'s administration interfaces: the usual way out of a container',
  SYS_MODULE: 'loads kernel modules: code in the host kernel',
  SYS_RAWIO: 'raw I/O ports and /dev/mem: reads and writes host memory and devices',
  SYS_PTRACE: 'traces and injects into any process it can see, and opens kernel attack surface',
  SYS_BOOT: 'reboots the host and loads a new kernel (kexec)',
  SYS_TIME: 'sets the host\'s clock, which no namespace isolates',
  DAC_READ_SEARCH: 'bypasses read permission checks and opens files by handle (open_by_handle_at): reads host files (the "Shocker" escape)',
  NET_ADMIN: 'configures interfaces, routes and firewall rules (of the host, with its network namespace)',
  BPF: 'loads BPF programs into the kernel',
  PERFMON: 'performance monitoring of the kernel: leaks kernel addresses and data',
  SYSLOG: 'privileged syslog operations: reads kernel addresses, clears the kernel log',
  MAC_ADMIN: 'changes the mandatory access control (AppArmor, SELinux) configuration',
  MAC_OVERRIDE: 'overrides mandatory access control',
  AUDIT_CONTROL: 'changes the kernel\'s audit rules, which no namespace isolates',
  AUDIT_READ: 'reads the host\'s audit log',
};
