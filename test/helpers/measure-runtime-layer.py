#!/usr/bin/env python3
"""Measure a container runtime's own syscalls after it installed the container's seccomp filter.

Not run by CI: it is how src/model/knowledge/runtime-layers.ts was filled in. Run it as root:

    python3 test/helpers/measure-runtime-layer.py --runtime runc --runs 30
    python3 test/helpers/measure-runtime-layer.py --runtime crun --runs 30
    python3 test/helpers/measure-runtime-layer.py --runtime podman --runs 10

How: a bundle whose rootfs is busybox-static gets a seccomp profile with
`"defaultAction": "SCMP_ACT_LOG"` and no rules, so every syscall the container's init process makes
after the filter is installed produces a kernel RET_LOG record (audit type 1326). The records are
read from NETLINK_AUDIT multicast group 1 (AUDIT_NLGRP_READLOG), which works with audit disabled.
Only records whose pid is the container's init process (the runtime's --pid-file, or podman's
--pidfile: the runtime's init execs the application, so the pid is the same) are kept, and of
those only the ones made while the process was still the runtime (exe = the runtime's binary),
i.e. up to and including the application's execve. Other programs on the machine (other tests
running learn sessions) cannot enter the measurement.

Both values of process.noNewPrivileges are measured: runc and crun install the filter at different
points depending on it (without no_new_privs the filter must be installed while the process still
has CAP_SYS_ADMIN, so more of the runtime's setup runs under it).

Output: one line per syscall with the number of runs it was seen in, per configuration, and the
union as a JSON list (--json). A receive-buffer overflow (ENOBUFS) is counted and makes the run
invalid (it is repeated), so "not seen" is a measured statement.
"""
import argparse
import errno
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

NETLINK_AUDIT = 9
AUDIT_NLGRP_READLOG = 1
AUDIT_SECCOMP = 1326
SO_RCVBUFFORCE = 33
ARCH_NAMES = {'c000003e': 'x86_64', '40000003': 'x86'}


class Reader:
    """Collects every type-1326 record from the READLOG multicast group while running."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_AUDIT)
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 64 << 20)
        except OSError:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 << 20)
        self.sock.bind((0, 1 << (AUDIT_NLGRP_READLOG - 1)))
        self.sock.settimeout(0.1)
        self.records = []
        self.lost = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        while not self.stop.is_set():
            try:
                data = self.sock.recv(1 << 16)
            except socket.timeout:
                continue
            except OSError as e:
                if e.errno == errno.ENOBUFS:
                    self.lost += 1
                    continue
                raise
            off = 0
            while off + 16 <= len(data):
                length, typ, _flags, _seq, _pid = struct.unpack_from('=IHHII', data, off)
                if length < 16:
                    break
                if typ == AUDIT_SECCOMP:
                    self.records.append(data[off + 16:off + length].decode('utf-8', 'replace').rstrip('\0'))
                off += (length + 3) & ~3

    def take(self):
        """Wait until the kernel has delivered what is queued, then return and clear the records."""
        time.sleep(0.3)
        out, self.records = self.records, []
        lost, self.lost = self.lost, 0
        return out, lost

    def close(self):
        self.stop.set()
        self.thread.join()
        self.sock.close()


def fields(rec):
    """key=value pairs of an audit record; exe/comm may be quoted or hex-encoded."""
    out = {}
    for tok in rec.split(' '):
        if '=' not in tok:
            continue
        k, v = tok.split('=', 1)
        if v.startswith('"') and v.endswith('"'):
            v = v[1:-1]
        elif k in ('exe', 'comm') and v and all(c in '0123456789ABCDEF' for c in v) and len(v) % 2 == 0:
            v = bytes.fromhex(v).decode('utf-8', 'replace')
        out[k] = v
    return out


_names = {}


def syscall_name(arch, nr):
    key = (arch, nr)
    if key not in _names:
        a = {'x86_64': 'x86_64', 'x86': 'x86'}[arch]
        r = subprocess.run(['scmp_sys_resolver', '-a', a, str(nr)], capture_output=True, text=True, check=True)
        _names[key] = r.stdout.strip()
    return _names[key]


def make_bundle(base, runtime_spec_args, nnp, user=None):
    bundle = os.path.join(base, 'bundle')
    rootfs = os.path.join(bundle, 'rootfs')
    os.makedirs(os.path.join(rootfs, 'bin'))
    for d in ('proc', 'dev', 'sys', 'tmp', 'etc'):
        os.makedirs(os.path.join(rootfs, d), exist_ok=True)
    shutil.copy2('/bin/busybox', os.path.join(rootfs, 'bin', 'busybox'))
    for app in ('sh', 'true', 'sleep'):
        os.symlink('busybox', os.path.join(rootfs, 'bin', app))
    subprocess.run(['runc', 'spec', '--bundle', bundle], check=True)
    with open(os.path.join(bundle, 'config.json')) as f:
        cfg = json.load(f)
    cfg['process']['terminal'] = False
    cfg['process']['args'] = runtime_spec_args
    cfg['process']['noNewPrivileges'] = nnp
    if user:
        parts = user.split(':')
        cfg['process']['user'] = {'uid': int(parts[0]), 'gid': int(parts[1])}
        if len(parts) > 2:
            cfg['process']['user']['additionalGids'] = [int(g) for g in parts[2].split(',')]
    cfg['root']['readonly'] = False
    cfg['linux']['seccomp'] = log_profile()
    with open(os.path.join(bundle, 'config.json'), 'w') as f:
        json.dump(cfg, f, indent=2)
    return bundle


def log_profile():
    return {'defaultAction': 'SCMP_ACT_LOG', 'architectures': ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']}


def crun_cgroup_workaround():
    """crun 1.8.1 refuses hybrid cgroups; one mounted v1 controller it knows makes it accept them."""
    if os.path.ismount('/sys/fs/cgroup/hugetlb'):
        return
    os.makedirs('/sys/fs/cgroup/hugetlb', exist_ok=True)
    subprocess.run(['mount', '-t', 'cgroup', '-o', 'hugetlb', 'cgroup', '/sys/fs/cgroup/hugetlb'], check=True)


def run_oci(runtime, bundle, base, i):
    """One container run; returns the init process's host pid and the runtime's exe path."""
    cid = f'whittle-measure-{os.getpid()}-{i}'
    pidfile = os.path.join(base, f'pid-{i}')
    r = subprocess.run([runtime, 'run', '--pid-file', pidfile, '--bundle', bundle, cid],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    subprocess.run([runtime, 'delete', '-f', cid], capture_output=True)
    if r.returncode != 0:
        raise RuntimeError(f'{runtime} run failed ({r.returncode}): {r.stderr.strip()}')
    with open(pidfile) as f:
        return int(f.read().strip())


PODMAN = ['podman', '--storage-driver', 'vfs', '--cgroup-manager', 'cgroupfs']


def podman_image(base):
    """A local image from the busybox-static rootfs (no registry is reachable)."""
    rootfs = os.path.join(base, 'img')
    os.makedirs(os.path.join(rootfs, 'bin'))
    shutil.copy2('/bin/busybox', os.path.join(rootfs, 'bin', 'busybox'))
    for app in ('sh', 'true', 'sleep'):
        os.symlink('busybox', os.path.join(rootfs, 'bin', app))
    tar = os.path.join(base, 'img.tar')
    subprocess.run(['tar', '-C', rootfs, '-cf', tar, '.'], check=True)
    subprocess.run(PODMAN + ['import', tar, 'localhost/whittle-measure:latest'], check=True, capture_output=True)
    return 'localhost/whittle-measure:latest'


def run_podman(image, profile, base, i, nnp, oci_runtime, user):
    pidfile = os.path.join(base, f'pid-{i}')
    args = PODMAN + (['--runtime', oci_runtime] if oci_runtime else []) + ['run', '--rm', '--network', 'none', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024',
                     '--security-opt', f'seccomp={profile}', '--pidfile', pidfile]
    if user:
        parts = user.split(':')
        args += ['--user', f'{parts[0]}:{parts[1]}']
        for g in (parts[2].split(',') if len(parts) > 2 else []):
            args += ['--group-add', g]
    if nnp:
        args += ['--security-opt', 'no-new-privileges']
    r = subprocess.run(args + [image, '/bin/true'], stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise RuntimeError(f'podman run failed ({r.returncode}): {r.stderr.strip()}')
    with open(pidfile) as f:
        return int(f.read().strip())


def layer_of(records, pid):
    """The syscalls the init process made before it became the application (its execve included)."""
    seen = []
    exes = set()
    for rec in records:
        f = fields(rec)
        if f.get('pid') != str(pid):
            continue
        exe = f.get('exe', '')
        if exe == '/bin/busybox':
            continue  # the application, after its execve
        exes.add(f'{exe} (comm {f.get("comm", "?")})')
        seen.append((ARCH_NAMES.get(f.get('arch'), f.get('arch')), int(f['syscall'])))
    return seen, exes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--runtime', required=True, choices=['runc', 'crun', 'podman'])
    ap.add_argument('--runs', type=int, default=20)
    ap.add_argument('--nnp', choices=['true', 'false', 'both'], default='both')
    ap.add_argument('--json', action='store_true', help='print only the union as JSON')
    ap.add_argument('--podman-runtime', choices=['runc', 'crun'], help="podman's OCI runtime (default: podman's own choice)")
    ap.add_argument('--user', help='run the process as UID:GID[:GID,GID...] instead of root')
    ap.add_argument('--load', type=int, default=0, help='busy-loop processes running meanwhile (provokes Go runtime activity)')
    a = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit('run as root')
    if a.runtime == 'crun' or a.runtime == 'podman':
        crun_cgroup_workaround()
    base = tempfile.mkdtemp(prefix='whittle-measure-')
    load = [subprocess.Popen(['sh', '-c', 'while :; do :; done']) for _ in range(a.load)]
    reader = Reader()
    report = {}
    union = set()
    try:
        nnps = {'true': [True], 'false': [False], 'both': [True, False]}[a.nnp]
        image = podman_image(base) if a.runtime == 'podman' else None
        profile = os.path.join(base, 'log.json')
        with open(profile, 'w') as f:
            json.dump(log_profile(), f)
        for nnp in nnps:
            counts = {}
            exes = set()
            sub = os.path.join(base, f'nnp-{nnp}')
            os.makedirs(sub)
            bundle = None if image else make_bundle(sub, ['/bin/true'], nnp, a.user)
            done = 0
            attempts = 0
            while done < a.runs:
                attempts += 1
                if attempts > a.runs * 3:
                    sys.exit('too many runs lost records: the machine is too busy to measure')
                reader.take()
                pid = run_podman(image, profile, sub, done, nnp, a.podman_runtime, a.user) if image else run_oci(a.runtime, bundle, sub, done)
                records, lost = reader.take()
                if lost:
                    print(f'run lost {lost} netlink reads (ENOBUFS): repeated', file=sys.stderr)
                    continue
                seen, e = layer_of(records, pid)
                if not seen:
                    raise RuntimeError(f'no records for pid {pid}: is "log" in /proc/sys/kernel/seccomp/actions_logged?')
                exes |= e
                for key in set(seen):
                    counts[key] = counts.get(key, 0) + 1
                done += 1
            names = {syscall_name(arch, nr) + ('' if arch == 'x86_64' else f' ({arch})'): c for (arch, nr), c in counts.items()}
            report[f'noNewPrivileges={str(nnp).lower()}'] = {'runs': a.runs, 'exe': sorted(exes), 'syscalls': dict(sorted(names.items()))}
            union |= set(names)
    finally:
        for p in load:
            p.kill()
            p.wait()
        reader.close()
        if a.runtime == 'podman':
            subprocess.run(PODMAN + ['rmi', '-f', 'localhost/whittle-measure:latest'], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
    if a.json:
        print(json.dumps(sorted(union)))
        return
    for cfgname, r in report.items():
        print(f'{a.runtime} {cfgname}: {r["runs"]} runs, exe {", ".join(r["exe"])}')
        for name, c in r['syscalls'].items():
            print(f'  {name:24} {c}/{r["runs"]}')
    print('union:', json.dumps(sorted(union)))


if __name__ == '__main__':
    main()
