// The stack both synth programs build (bench/programs/*): `containers`
// containers, `perHost` to a host, each with an image reference, three
// environment variables, one published port and a health check. Plain data,
// so that the library program and the hand-written program read the same
// description and nothing else.

/** Instance type of every host: 8 GiB holds 10 containers of 64-256 MiB plus the reserve (384 MiB + 16 MiB each). */
export const INSTANCE_TYPE = 't3.large';
/** Id of the stack; hosts are its direct children, so a host's construct path is `bench/<id>`. */
export const STACK_ID = 'bench';
/** Region of the AWS provider. */
export const REGION = 'eu-west-1';

/** One container of the benchmark stack. */
export interface BenchContainer {
  readonly name: string;
  readonly image: string;
  readonly memoryMiB: number;
  readonly cpus: number;
  readonly environment: { [name: string]: string };
  readonly containerPort: number;
  readonly hostPort: number;
  readonly healthCommand: string[];
}

/** One host of the benchmark stack and the containers placed on it. */
export interface BenchHost {
  /** Construct id of the host. */
  readonly id: string;
  /** Construct path of the host (its `Name` tag). */
  readonly path: string;
  readonly containers: BenchContainer[];
}

/** Container `c` (0-based) of host `h`. */
export function benchContainer(h: number, c: number): BenchContainer {
  const name = `svc-${h}-${c}`;
  return {
    name,
    image: `ghcr.io/acme/svc-${c % 10}:1.${h % 10}.${c}`,
    memoryMiB: 64 * (1 + ((h + c) % 4)), // 64, 128, 192 or 256 MiB
    cpus: c % 2 === 0 ? 0.1 : 0.15,
    environment: { LOG_LEVEL: 'info', PORT: '8080', SERVICE_NAME: name },
    containerPort: 8080,
    hostPort: 8000 + c,
    healthCommand: ['wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/healthz'],
  };
}

/** `containers` containers on ceil(containers / perHost) hosts, `perHost` to a host (the last may hold fewer). */
export function benchHosts(containers: number, perHost = 10): BenchHost[] {
  const hosts: BenchHost[] = [];
  for (let h = 0; h * perHost < containers; h++) {
    const count = Math.min(perHost, containers - h * perHost);
    const id = `host${h}`;
    hosts.push({ id, path: `${STACK_ID}/${id}`, containers: Array.from({ length: count }, (_, c) => benchContainer(h, c)) });
  }
  return hosts;
}
