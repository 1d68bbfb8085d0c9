import { describe, expect, it } from 'vitest';
import { buildBubblewrapArgs, sandboxEnvironment } from './bubblewrap-args.js';

const args = buildBubblewrapArgs({
  layout: [
    { kind: 'directory', path: '/usr' },
    { kind: 'symlink', path: '/bin', target: 'usr/bin' },
  ],
  etcFiles: ['/etc/passwd'],
  tmpBytes: 1024 * 1024,
  env: sandboxEnvironment,
  command: ['python3', '-c', 'pass'],
});

describe('buildBubblewrapArgs', () => {
  it('isolates every namespace, drops capabilities and clears the environment', () => {
    for (const flag of ['--unshare-all', '--die-with-parent', '--new-session', '--clearenv']) {
      expect(args).toContain(flag);
    }
    expect(args).not.toContain('--share-net');
    expect(args.join(' ')).toContain('--cap-drop ALL');
    expect(args.join(' ')).toContain('--setenv HOME /tmp');
  });

  it('binds only system paths read-only, with a size-capped private /tmp', () => {
    const joined = args.join(' ');
    expect(joined).toContain('--ro-bind /usr /usr');
    expect(joined).toContain('--symlink usr/bin /bin');
    expect(joined).toContain('--size 1048576 --tmpfs /tmp');
    expect(joined).toContain('--remount-ro /');
    expect(joined).not.toMatch(/--bind |--ro-bind \/ |\/root|\/home/);
  });

  it('puts the command last, after --', () => {
    expect(args.slice(-4)).toEqual(['--', 'python3', '-c', 'pass']);
  });
});
