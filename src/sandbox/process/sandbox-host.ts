import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, lstat, readlink } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { SandboxError } from '../../errors/index.js';
import { buildBubblewrapArgs, type SystemEntry, sandboxEnvironment } from './bubblewrap-args.js';

/** What this machine offers for sandboxing, found once by `prepareSandboxHost`. */
export interface SandboxHost {
  /** Absolute path of `bwrap`. */
  readonly bwrapPath: string;
  /**
   * The user and group bwrap is started as when symgen runs as root: `nobody` (65534), so that the
   * process limit (RLIMIT_NPROC, which the kernel never applies to root) holds and root-only files
   * stay unreadable. Node's spawn switches to them itself (supplementary groups cleared, then
   * setgid, setuid) in the child before exec, with no extra program in between. Absent when
   * symgen is not root.
   */
  readonly runAs?: { readonly uid: number; readonly gid: number };
  readonly layout: readonly SystemEntry[];
  readonly etcFiles: readonly string[];
}

const systemPaths = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];
const etcNames = ['passwd', 'group', 'nsswitch.conf', 'ld.so.cache', 'ld.so.conf', 'ld.so.conf.d'];
const installHint =
  'install it with `apt-get install bubblewrap` (Debian/Ubuntu) or `dnf install bubblewrap` (Fedora)';

async function findExecutable(name: string, searchPath: string): Promise<string | undefined> {
  for (const directory of searchPath.split(delimiter)) {
    if (!directory) continue;
    const candidate = join(directory, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory: keep looking.
    }
  }
  return undefined;
}

/** The host's top-level system directories, keeping merged-/usr symlinks as symlinks. */
export async function detectSystemLayout(): Promise<SystemEntry[]> {
  const layout: SystemEntry[] = [];
  for (const path of systemPaths) {
    try {
      const stats = await lstat(path);
      if (stats.isSymbolicLink()) layout.push({ kind: 'symlink', path, target: await readlink(path) });
      else if (stats.isDirectory()) layout.push({ kind: 'directory', path });
    } catch {
      // Absent on this distribution (e.g. /lib32): nothing to bind.
    }
  }
  return layout;
}

function probe(host: SandboxHost): Promise<{ code: number | null; stderr: string }> {
  const args = buildBubblewrapArgs({
    ...host,
    tmpBytes: 1024 * 1024,
    env: sandboxEnvironment,
    command: ['true'],
  });
  return new Promise((resolve) => {
    const child = spawn(host.bwrapPath, args, {
      env: {},
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 10_000,
      ...host.runAs,
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', (error) => resolve({ code: -1, stderr: error.message }));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/**
 * Find bubblewrap and check that it can really build a sandbox here (user namespaces may be
 * disabled). Never falls back to running unsandboxed.
 * @param searchPath Directories to look for `bwrap` in. @default $PATH, then /usr/bin:/bin:/usr/sbin
 * @throws SandboxError when bwrap is missing or cannot start a sandbox; the message says how to fix it.
 */
export async function prepareSandboxHost(
  searchPath = `${process.env.PATH ?? ''}${delimiter}/usr/bin${delimiter}/bin${delimiter}/usr/sbin`,
): Promise<SandboxHost> {
  const bwrapPath = await findExecutable('bwrap', searchPath);
  if (!bwrapPath) {
    throw new SandboxError(
      `bubblewrap (bwrap) was not found on PATH; symgen runs Python and Bash candidates only inside it: ${installHint}`,
    );
  }
  const host: SandboxHost = {
    bwrapPath,
    ...(process.getuid?.() === 0 ? { runAs: { uid: 65534, gid: 65534 } } : {}),
    layout: await detectSystemLayout(),
    etcFiles: etcNames.map((name) => `/etc/${name}`),
  };
  const result = await probe(host);
  if (result.code !== 0) {
    const reason = result.stderr.trim().split('\n')[0] || `exit code ${result.code}`;
    throw new SandboxError(
      `bubblewrap at ${bwrapPath} cannot create a sandbox here (${reason}); it needs user namespaces ` +
        '(e.g. `sysctl -w kernel.unprivileged_userns_clone=1`, or a container started with them allowed)',
    );
  }
  return host;
}
