/**
 * The apparmor exporter: golden profile from the sample policy, and tables for how each access
 * kind, mount, family and capability becomes a rule — or an `unexpressed` entry, never nothing.
 * (test/integration/export-apparmor.test.ts compiles the profiles with apparmor_parser.)
 * WHITTLE_UPDATE_GOLDEN=1 rewrites the golden files.
 */
import { describe, expect, it } from 'vitest';
import { apparmorExporter, renderApparmor } from '../../src/export/apparmor.js';
import type { MountRule, PathRule, Policy } from '../../src/model/policy.js';
import { samplePolicy } from '../helpers/sample-policy.js';
import { golden } from '../helpers/golden.js';


/** A policy with only the given parts (the rest empty). */
function policy(parts: Partial<Pick<Policy, 'paths' | 'mounts' | 'network' | 'capabilities'>> & { argv?: string[] } = {}): Policy {
  const p = samplePolicy();
  return {
    ...p,
    workload: { argv: parts.argv ?? ['/usr/bin/app'] },
    paths: parts.paths ?? [{ pattern: '/usr/bin/app', access: ['exec'], action: 'allow' }],
    mounts: parts.mounts ?? [],
    network: parts.network ?? { allow: [], deny: [] },
    capabilities: parts.capabilities ?? { allow: [], inferred: [] },
  };
}

const render = (p: Policy) => {
  const r = renderApparmor(p, { name: 'app' });
  return { text: r.artifacts[0]!.content as string, unexpressed: r.unexpressed };
};
const rule = (pattern: string, access: PathRule['access'], action: PathRule['action'] = 'allow', extra: Partial<PathRule> = {}): PathRule => ({ pattern, access, action, ...extra });
/** The profile's body lines, trimmed, without comments. */
const body = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

describe('apparmor golden', () => {
  it('renders the sample policy as the golden profile', () => {
    const r = renderApparmor(samplePolicy(), { name: 'app' });
    expect(r.artifacts).toHaveLength(1);
    expect(r.artifacts[0]!.suffix).toBeNull();
    golden('apparmor', 'app.apparmor', r.artifacts[0]!.content as string);
    golden('apparmor', 'app.unexpressed.json', JSON.stringify(r.unexpressed, null, 2) + '\n');
  });

  it('is the registered exporter, with a default name from the context', () => {
    expect(apparmorExporter.format).toBe('apparmor');
    expect(apparmorExporter.needsBpf).toBeFalsy();
    expect(apparmorExporter.defaultName({ name: 'app' })).toBe('app.apparmor');
  });

  it('starts with the abi and tunables, names the profile after ctx.name and attaches it to the executable', () => {
    const { text } = render(samplePolicy());
    const lines = body(text);
    expect(lines[0]).toBe('abi <abi/3.0>,');
    expect(text).toContain('#include <tunables/global>\n');
    expect(lines).toContain('profile app /usr/bin/app {');
    expect(lines.at(-1)).toBe('}');
  });
});

describe('apparmor file rules', () => {
  const cases: Array<[string, PathRule, string[]]> = [
    ['read', rule('/etc/hostname', ['read']), ['/etc/hostname r,']],
    ['read of a shared object maps it executable', rule('/usr/lib/libz.so.1', ['read']), ['/usr/lib/libz.so.1 mr,']],
    ['read of a glob that may cover shared objects', rule('/usr/lib/x86_64-linux-gnu/**', ['read']), ['/usr/lib/x86_64-linux-gnu/** mr,']],
    ['write', rule('/var/log/app.log', ['write']), ['/var/log/app.log w,']],
    ['create (file or directory)', rule('/srv/out', ['create']), ['/srv/out{,/} w,']],
    ['remove', rule('/srv/old', ['remove']), ['/srv/old{,/} w,']],
    ['rename needs read and write', rule('/srv/a', ['rename']), ['/srv/a{,/} rw,']],
    ['link', rule('/srv/hard', ['link']), ['/srv/hard l,']],
    ['exec inherits this profile (ix) and maps', rule('/usr/bin/tool', ['exec']), ['/usr/bin/tool mix,']],
    ['readdir is r on the directory', rule('/etc/ld.so.conf.d', ['readdir']), ['/etc/ld.so.conf.d/ r,']],
    ['chmod and chown are w', rule('/srv/f', ['chmod', 'chown']), ['/srv/f w,']],
    ['write and create of one file', rule('/tmp/app/out.txt', ['write', 'create']), ['/tmp/app/out.txt w,', '/tmp/app/out.txt{,/} w,']],
    ['a denied read', rule('/etc/shadow', ['read'], 'deny', { errno: 'EACCES' }), ['deny /etc/shadow r,']],
    ['a denied exec', rule('/usr/bin/su', ['exec'], 'deny', { errno: 'EACCES' }), ['deny /usr/bin/su x,']],
    ['a path with a space is quoted', rule('/srv/my files/a', ['read']), ['"/srv/my files/a" r,']],
    ["AppArmor's own glob characters are escaped", rule('/srv/a{b}[c]?', ['read']), ['"/srv/a\\{b\\}\\[c\\]\\?" r,']],
    ['a comma cannot end the rule early', rule('/srv/a,b', ['read']), ['"/srv/a,b" r,']],
  ];
  for (const [name, r, want] of cases) {
    it(name, () => {
      const lines = body(render(policy({ paths: [rule('/usr/bin/app', ['exec']), r] })).text);
      for (const w of want) expect(lines).toContain(w);
    });
  }

  it('stat, ioctl and mount-target make no file rule, and say why once', () => {
    const { text, unexpressed } = render(policy({ paths: [rule('/usr/bin/app', ['exec']), rule('/etc/passwd', ['stat']), rule('/dev/tty9', ['ioctl']), rule('/mnt/x', ['mount-target'])] }));
    expect(text).not.toMatch(/\/etc\/passwd|\/dev\/tty9|\/mnt\/x /);
    expect(unexpressed.filter((u) => u.item === 'stat and path lookup')).toHaveLength(1);
    expect(unexpressed.filter((u) => u.item === 'ioctl on paths')).toHaveLength(1);
  });

  it('reports a denied errno AppArmor cannot return, and a denied stat it cannot see', () => {
    const { unexpressed } = render(policy({ paths: [rule('/usr/bin/app', ['exec']), rule('/etc/secret', ['read'], 'deny', { errno: 'EPERM' }), rule('/etc/hidden', ['stat'], 'deny', { errno: 'EACCES' })] }));
    expect(unexpressed).toContainEqual(expect.objectContaining({ item: 'deny read /etc/secret with EPERM' }));
    expect(unexpressed).toContainEqual(expect.objectContaining({ item: 'deny stat /etc/hidden' }));
  });

  it('reports a path that is not absolute instead of writing a rule for it', () => {
    const { text, unexpressed } = render(policy({ paths: [rule('/usr/bin/app', ['exec']), rule('./lost', ['read'])] }));
    expect(text).not.toContain('lost');
    expect(unexpressed).toContainEqual(expect.objectContaining({ item: 'allow read ./lost' }));
  });

  it('writes control characters as octal escapes', () => {
    const lines = body(render(policy({ paths: [rule('/usr/bin/app', ['exec']), rule('/srv/a\nb', ['read'])] })).text);
    expect(lines).toContain('/srv/a\\012b r,');
  });

  it('expresses or reports every path rule of the sample (nothing dropped)', () => {
    const p = samplePolicy();
    const { text, unexpressed } = render(p);
    for (const r of p.paths) {
      const inProfile = text.includes(r.pattern);
      const reported = unexpressed.some((u) => u.item.includes(r.pattern));
      expect(inProfile || reported, r.pattern).toBe(true);
    }
  });
});

describe('apparmor attachment', () => {
  it('attaches to the exec rule matching argv[0]', () => {
    const lines = body(render(policy({ argv: ['/usr/bin/b'], paths: [rule('/usr/bin/a', ['exec'], 'allow', { from: [{ count: 1, firstSeen: 0 }] }), rule('/usr/bin/b', ['exec'], 'allow', { from: [{ count: 1, firstSeen: 1 }] })] })).text);
    expect(lines).toContain('profile app /usr/bin/b {');
  });

  it('attaches a relative argv[0] to the resolved executable the tracer recorded', () => {
    const paths = [
      rule('/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', ['exec'], 'allow', { from: [{ count: 1, firstSeen: 0.001 }] }),
      rule('/work/bin/tool', ['exec'], 'allow', { from: [{ count: 1, firstSeen: 0 }] }),
    ];
    expect(body(render(policy({ argv: ['bin/tool'], paths })).text)).toContain('profile app /work/bin/tool {');
    // a name the tracer resolved elsewhere (sh → dash): the earliest exec
    expect(body(render(policy({ argv: ['sh'], paths })).text)).toContain('profile app /work/bin/tool {');
  });

  it('without any executable path: a profile by name, and says so', () => {
    const { text, unexpressed } = render(policy({ argv: ['tool'], paths: [rule('/etc/hostname', ['read'])] }));
    expect(body(text)).toContain('profile app {');
    expect(unexpressed).toContainEqual(expect.objectContaining({ item: 'attachment to tool' }));
  });
});

describe('apparmor mounts', () => {
  const m = (op: string, source: string, target: string, fstype: string, flags: string): MountRule => ({ op, source, target, fstype, flags });
  const cases: Array<[string, MountRule, string]> = [
    ['a tmpfs with flags', m('mount', 'none', '/tmp/app/mnt', 'tmpfs', 'MS_NOSUID|MS_NODEV'), 'mount fstype=tmpfs options=(nosuid,nodev) none -> /tmp/app/mnt/,'],
    ['a mount without flags is rw', m('mount', 'proc', '/proc', 'proc', ''), 'mount fstype=proc options=(rw) proc -> /proc/,'],
    ['a read-only mount', m('mount', '/dev/sdb1', '/mnt/data', 'ext4', 'MS_RDONLY|MS_NOEXEC'), 'mount fstype=ext4 options=(ro,noexec) /dev/sdb1 -> /mnt/data/,'],
    ['a bind', m('bind', '/srv/a', '/srv/b', '', 'MS_BIND'), 'mount options=(bind) /srv/a -> /srv/b{,/},'],
    ['a recursive bind', m('bind', '/srv/a', '/srv/b', '', 'MS_BIND|MS_REC'), 'mount options=(rbind) /srv/a -> /srv/b{,/},'],
    ['a move', m('move', '/srv/a', '/srv/b', '', 'MS_MOVE'), 'mount options=(move) /srv/a -> /srv/b/,'],
    ['a remount', m('remount', '', '/srv/b', '', 'MS_REMOUNT|MS_RDONLY'), 'remount options=(ro) /srv/b/,'],
    ['a bind remount', m('remount-bind', '', '/srv/b', '', 'MS_REMOUNT|MS_BIND|MS_RDONLY'), 'remount options=(bind,ro) /srv/b/,'],
    ['a propagation change', m('propagation', '', '/', '', 'MS_REC|MS_PRIVATE'), 'mount options=(rprivate) -> /,'],
    ['an umount', m('umount', '', '/tmp/app/mnt', '', 'MNT_DETACH'), 'umount /tmp/app/mnt/,'],
    ['pivot_root', m('pivot_root', '/newroot', '/newroot/old', '', ''), 'pivot_root oldroot=/newroot/old/ /newroot/,'],
  ];
  for (const [name, mount, want] of cases) {
    it(name, () => expect(body(render(policy({ mounts: [mount] })).text)).toContain(want));
  }

  it('reports a flag AppArmor 3 has no name for, and leaves it out (the mount is refused)', () => {
    const { text, unexpressed } = render(policy({ mounts: [m('mount', 'none', '/srv/t', 'tmpfs', 'MS_NOSUID|MS_LAZYTIME')] }));
    expect(body(text)).toContain('mount fstype=tmpfs options=(nosuid) none -> /srv/t/,');
    expect(unexpressed.find((u) => u.item.startsWith('mount mount tmpfs'))?.reason).toMatch(/MS_LAZYTIME/);
  });

  it('reports namespace operations and the new mount API instead of writing a rule', () => {
    const { text, unexpressed } = render(policy({ mounts: [m('unshare', '', '', '', 'CLONE_NEWNS|CLONE_NEWUSER'), m('move_mount', '(fd)', '/srv/x', '', ''), m('fsopen', '', '', 'tmpfs', '')] }));
    expect(text).not.toMatch(/CLONE_|move_mount|fsopen/);
    expect(unexpressed.filter((u) => u.item.startsWith('mount '))).toHaveLength(3);
  });
});

describe('apparmor network and capabilities', () => {
  it('allows accepted families, denies denied ones, and reports families AppArmor 3.0 does not know', () => {
    const { text, unexpressed } = render(policy({ network: { allow: ['AF_INET', 'AF_INET6', 'AF_UNIX', 'AF_NETLINK', 'AF_DECnet'], deny: ['AF_PACKET'] } }));
    const lines = body(text);
    for (const l of ['network inet,', 'network inet6,', 'network unix,', 'network netlink,', 'deny network packet,']) expect(lines).toContain(l);
    expect(unexpressed).toContainEqual(expect.objectContaining({ item: 'network AF_DECnet' }));
  });

  it('writes no network rule when no family was accepted (AppArmor then refuses sockets)', () => {
    expect(render(policy()).text).not.toMatch(/^\s*network /m);
  });

  it('grants accepted capabilities, marks inferred ones, and reports unknown ones', () => {
    const { text, unexpressed } = render(policy({ capabilities: { allow: ['CAP_NET_BIND_SERVICE', 'CAP_CHOWN', 'CAP_MADE_UP'], inferred: ['CAP_CHOWN'] } }));
    const lines = body(text);
    expect(lines).toContain('capability net_bind_service,');
    expect(text).toContain('capability chown,  # inferred from syscalls');
    expect(unexpressed).toContainEqual(expect.objectContaining({ item: 'capability CAP_MADE_UP' }));
  });
});

describe('apparmor fixed denials', () => {
  it('always denies writes to the kernel control files and devpts remounts', () => {
    const lines = body(render(policy()).text);
    for (const l of [
      'deny /proc/sysrq-trigger wl,',
      'deny /proc/sys/fs/binfmt_misc/{,**} wl,',
      'deny /sys/kernel/security/{,**} wl,',
      'deny /sys/kernel/debug/{,**} wl,',
      'deny /dev/mem wl,',
      'deny remount /dev/pts/,',
    ]) {
      expect(lines).toContain(l);
    }
  });

  it('reports accepted items the fixed denials override', () => {
    const { unexpressed } = render(
      policy({
        paths: [rule('/usr/bin/app', ['exec']), rule('/proc/sysrq-trigger', ['write']), rule('/sys/**', ['write']), rule('/proc/sys/fs/binfmt_misc/register', ['read'])],
        mounts: [{ op: 'remount', source: '', target: '/dev/pts', fstype: '', flags: 'MS_REMOUNT' }],
      }),
    );
    expect(unexpressed).toContainEqual(expect.objectContaining({ item: 'allow write /proc/sysrq-trigger' }));
    expect(unexpressed.filter((u) => u.item === 'allow write /sys/**').map((u) => u.reason)).toEqual([
      expect.stringContaining('/sys/kernel/security'),
      expect.stringContaining('/sys/kernel/debug'),
    ]);
    // reading is not what the fixed denials refuse
    expect(unexpressed.some((u) => u.item.includes('binfmt_misc/register'))).toBe(false);
    expect(unexpressed).toContainEqual(expect.objectContaining({ item: 'mount remount → /dev/pts' }));
  });
});

describe('apparmor unexpressed', () => {
  const p = samplePolicy();
  const { unexpressed } = render(p);

  it('reports every syscall rule: the allowlist by name, each denial, the ENOSYS answers', () => {
    const list = unexpressed.find((u) => u.item.startsWith('syscall allowlist'))!;
    for (const n of p.syscalls.allow) expect(list.item.split(' ')).toContain(n);
    expect(unexpressed).toContainEqual(expect.objectContaining({ item: 'deny syscall ptrace (EPERM)' }));
    expect(unexpressed).toContainEqual(expect.objectContaining({ item: 'deny syscall futex (ENOSYS)' }));
    expect(unexpressed.find((u) => u.item.startsWith('ENOSYS for probe syscalls'))!.item).toContain('clone3');
  });

  it('says AppArmor is not enforced on this kernel, and what enforces instead', () => {
    const e = unexpressed.find((u) => u.item === 'enforcement')!;
    expect(e.reason).toMatch(/not active/);
    expect(e.reason).toMatch(/Landlock/);
    expect(e.reason).toMatch(/seccomp/);
  });
});
