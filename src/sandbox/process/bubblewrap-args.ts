/** One top-level system path as it is on the host: a directory to bind read-only, or a symlink. */
export type SystemEntry =
  | { readonly kind: 'directory'; readonly path: string }
  | { readonly kind: 'symlink'; readonly path: string; readonly target: string };

/** What the sandbox is made of; everything else on the host is invisible inside it. */
export interface BubblewrapOptions {
  /** System directories and merged-/usr symlinks (see `detectSystemLayout`). */
  readonly layout: readonly SystemEntry[];
  /** Single files or directories of /etc that programs need (passwd, ld.so.cache, ...). */
  readonly etcFiles: readonly string[];
  /** Further host paths bound read-only at the same place, e.g. a Python outside /usr. */
  readonly readOnlyPaths?: readonly string[];
  /** Size of the private /tmp tmpfs in bytes. */
  readonly tmpBytes: number;
  /** The whole environment inside; nothing of the caller's environment is passed. */
  readonly env: Readonly<Record<string, string>>;
  /** The program and its arguments, as seen inside the sandbox. */
  readonly command: readonly string[];
}

/** The environment candidates see: no secrets, a stable hash seed so set order is reproducible. */
export const sandboxEnvironment: Readonly<Record<string, string>> = {
  PATH: '/usr/local/bin:/usr/bin:/bin',
  HOME: '/tmp',
  TMPDIR: '/tmp',
  LANG: 'C.UTF-8',
  PYTHONHASHSEED: '0',
  PYTHONDONTWRITEBYTECODE: '1',
};

/**
 * Build bubblewrap's arguments: every namespace unshared (user, pid, network, ipc, uts, cgroup),
 * all capabilities dropped, a new session (no terminal injection), death with the parent, a cleared
 * environment, a read-only root with the system directories bound read-only, fresh /proc and /dev,
 * and /tmp a size-capped tmpfs, the only writable place.
 * The user's home, the project and the rest of the host file system are simply not mounted.
 */
export function buildBubblewrapArgs(options: BubblewrapOptions): string[] {
  const args = [
    '--unshare-all',
    '--die-with-parent',
    '--new-session',
    '--cap-drop',
    'ALL',
    '--hostname',
    'sandbox',
    '--clearenv',
  ];
  for (const [name, value] of Object.entries(options.env)) args.push('--setenv', name, value);
  for (const entry of options.layout) {
    if (entry.kind === 'symlink') args.push('--symlink', entry.target, entry.path);
    else args.push('--ro-bind', entry.path, entry.path);
  }
  for (const path of options.etcFiles) args.push('--ro-bind-try', path, path);
  for (const path of options.readOnlyPaths ?? []) args.push('--ro-bind', path, path);
  args.push('--proc', '/proc', '--dev', '/dev');
  args.push('--size', String(options.tmpBytes), '--tmpfs', '/tmp', '--chdir', '/tmp');
  // bwrap builds the root (and /dev) on writable tmpfs mounts of their own: freeze both so that
  // /tmp, size-capped, is the only place a candidate can write.
  args.push('--remount-ro', '/dev', '--remount-ro', '/');
  args.push('--', ...options.command);
  return args;
}
