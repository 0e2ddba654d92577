#!/usr/bin/python3
"""Image-level stand-in for the SSM agent's aws:runShellScript (test only).

test/vm/boot.test.ts sends one JSON line {"id": N, "commands": [...],
"timeoutSeconds": S} on the virtio port cdktf.command; this program runs the
commands as the agent's runShellScript plugin does: joined by newlines into
a file `_script.sh` in a fresh orchestration directory, executed as root with
`sh -c <file>` in that directory, stopped after timeoutSeconds. It answers on
the same port with one JSON line {"id", "rc", "stdout", "stderr", "seconds"}.
Never part of any user data: the commands under test come from the
synthesized aws_ssm_document, byte for byte.
"""
import json
import os
import subprocess
import time

PORT = '/dev/virtio-ports/cdktf.command'
ORCHESTRATION = '/var/lib/cdktf-vmtest/orchestration'


def run(request):
    step = os.path.join(ORCHESTRATION, str(request['id']), 'reconcile')
    os.makedirs(step, mode=0o700, exist_ok=True)
    script = os.path.join(step, '_script.sh')
    with open(script, 'w', encoding='utf-8') as f:
        f.write('\n'.join(request['commands']) + '\n')
    os.chmod(script, 0o700)
    started = time.monotonic()
    try:
        r = subprocess.run(['sh', '-c', script], cwd=step, capture_output=True, text=True,
                           timeout=request['timeoutSeconds'], check=False)
        rc, stdout, stderr = r.returncode, r.stdout, r.stderr
    except subprocess.TimeoutExpired as e:
        rc, stdout, stderr = 124, str(e.stdout or ''), f'timed out after {request["timeoutSeconds"]} s'
    return {'id': request['id'], 'rc': rc, 'stdout': stdout[-20000:], 'stderr': stderr[-20000:],
            'seconds': time.monotonic() - started}


def main():
    while not os.path.exists(PORT):
        time.sleep(0.2)
    fd = os.open(PORT, os.O_RDWR | os.O_NOCTTY)
    buffer = b''
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            # No host connected to the port: wait for one.
            time.sleep(0.5)
            continue
        buffer += chunk
        while b'\n' in buffer:
            line, buffer = buffer.split(b'\n', 1)
            if not line.strip():
                continue
            data = (json.dumps(run(json.loads(line)), separators=(',', ':')) + '\n').encode('utf-8')
            while data:
                data = data[os.write(fd, data):]


if __name__ == '__main__':
    main()
