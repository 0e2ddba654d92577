#!/usr/bin/python3
"""Image-level test agent for test/vm/boot.test.ts (never part of user data).

Writes one JSON line of the VM's state every 2 seconds to the virtio port
cdktf.report, which qemu writes to a file on the host. Read-only: it changes
nothing in the VM. Cheap on purpose (the VM may run under TCG): it reads
files and asks Docker's API on its socket; it spawns only `systemctl` and,
once cloud-init has finished, now and then `cloud-init status --long`.
"""
import http.client
import json
import os
import socket
import subprocess
import time

PORT = '/dev/virtio-ports/cdktf.report'
PERIOD = 2.0
DOCKER_SOCK = '/run/docker.sock'
SEM_DIR = '/var/lib/cloud/instance/sem'
CLOUD_INIT_LOG = '/var/log/cloud-init.log'
RUNCMD = "Running command ['/var/lib/cloud/instance/scripts/runcmd']"
UNITS = ['docker.service', 'cdktf-container-web.service', 'cdktf-container-worker.service']


def read(path):
    try:
        with open(path, encoding='utf-8', errors='replace') as f:
            return f.read()
    except OSError:
        return None


def read_json(path):
    text = read(path)
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return {'unparsable': text}


def out(argv, timeout=20):
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
        return {'rc': r.returncode, 'out': r.stdout, 'err': r.stderr[-2000:]}
    except (OSError, subprocess.TimeoutExpired) as e:
        return {'rc': -1, 'out': '', 'err': str(e)}


def sems():
    try:
        return {n: os.stat(os.path.join(SEM_DIR, n)).st_mtime_ns for n in sorted(os.listdir(SEM_DIR))}
    except OSError:
        return {}


class DockerConnection(http.client.HTTPConnection):
    """HTTP over Docker's unix socket."""

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(DOCKER_SOCK)


def docker_get(conn, url):
    conn.request('GET', url)
    r = conn.getresponse()
    body = r.read()
    if r.status != 200:
        raise OSError(f'GET {url}: {r.status} {body[:200]!r}')
    return json.loads(body)


def containers(docker_active):
    # Only once docker.service is up: a connection to docker.socket would start it.
    if not docker_active:
        return None
    conn = DockerConnection('localhost', timeout=10)
    try:
        listed = docker_get(conn, '/containers/json?all=1')
        keep = ('Id', 'Name', 'Created', 'RestartCount', 'State', 'HostConfig', 'Config')
        inspected = [docker_get(conn, f"/containers/{c['Id']}/json") for c in listed]
        return [{k: c.get(k) for k in keep} for c in inspected]
    except (OSError, ValueError, http.client.HTTPException) as e:
        return {'error': str(e)}
    finally:
        conn.close()


def report(seq, status_long):
    result = read_json('/run/cloud-init/result.json')
    log = read(CLOUD_INIT_LOG) or ''
    active = out(['systemctl', 'is-active'] + UNITS, timeout=10)
    units = dict(zip(UNITS, active['out'].split()))
    return {
        'seq': seq,
        'time': time.time(),
        'boot_id': (read('/proc/sys/kernel/random/boot_id') or '').strip(),
        'uptime': float((read('/proc/uptime') or '0').split()[0]),
        'cloud_init': {
            'status_json': read_json('/run/cloud-init/status.json'),
            'result_json': result,
            'status_long': status_long,
            'boot_finished': read('/var/lib/cloud/instance/boot-finished'),
            'sems': sems(),
            'runcmd_runs': log.count(RUNCMD),
        },
        'units': units,
        'containers': containers(units.get('docker.service') == 'active'),
    }


def main():
    while not os.path.exists(PORT):
        time.sleep(0.2)
    fd = os.open(PORT, os.O_WRONLY | os.O_NOCTTY)
    seq = 0
    status_long = None
    while True:
        started = time.monotonic()
        # `cloud-init status` costs a Python start-up: once its result exists,
        # every 10th report.
        if os.path.exists('/run/cloud-init/result.json') and (status_long is None or seq % 10 == 0):
            status_long = out(['cloud-init', 'status', '--long'], timeout=60)
        line = json.dumps(report(seq, status_long), separators=(',', ':')) + '\n'
        data = line.encode('utf-8')
        while data:
            data = data[os.write(fd, data):]
        seq += 1
        time.sleep(max(0.0, PERIOD - (time.monotonic() - started)))


if __name__ == '__main__':
    main()
