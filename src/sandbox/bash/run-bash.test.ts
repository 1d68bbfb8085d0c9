import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../errors/index.js';
import type { FixtureFile } from '../process/index.js';
import { openProcessSandbox, type ProcessSandbox } from '../process/index.js';
import { readFixtureDirectory } from './read-fixture.js';
import { fileStateKey, runBash } from './run-bash.js';

const fixtureDirectory = fileURLToPath(new URL('./__fixtures__/small', import.meta.url));
const secret = 'symgen-bash-secret-93ab';
let sandbox: ProcessSandbox;
let fixture: FixtureFile[];

beforeAll(async () => {
  process.env.SYMGEN_BASH_SECRET = secret;
  sandbox = await openProcessSandbox({
    size: 4,
    limits: { wallMs: 1_500, cpuSeconds: 1, maxFileBytes: 1024 * 1024, maxOutputBytes: 4096 },
  });
  fixture = await readFixtureDirectory(fixtureDirectory);
});

afterAll(async () => {
  delete process.env.SYMGEN_BASH_SECRET;
  await sandbox.close();
});

describe('runBash', () => {
  it('runs in a private copy of the fixture and lists the resulting files', async () => {
    const result = await runBash(sandbox, {
      script: 'sort fruits.txt | tee sorted.txt; rm notes/todo.md',
      fixture,
    });
    expect(result).toMatchObject({ status: 'ok', result: 0, stdout: 'apple\nfig\npear\n' });
    const sorted = result.files.find((file) => file.path === 'sorted.txt');
    const expectedHash = createHash('sha256').update('apple\nfig\npear\n').digest('hex');
    expect(sorted).toMatchObject({ type: 'file', size: 15, sha256: expectedHash });
    expect(result.files.map((file) => file.path)).toEqual(['fruits.txt', 'notes', 'sorted.txt']);
    expect(existsSync(`${fixtureDirectory}/sorted.txt`)).toBe(false);
    expect(existsSync(`${fixtureDirectory}/notes/todo.md`)).toBe(true);
  });

  it('gives equal state keys to scripts with equal effects', async () => {
    const [first, second, third] = await Promise.all(
      ['sort fruits.txt > out.txt', 'sort < fruits.txt > out.txt', 'cat fruits.txt > out.txt'].map((script) =>
        runBash(sandbox, { script, fixture }),
      ),
    );
    expect(fileStateKey(first!.files)).toBe(fileStateKey(second!.files));
    expect(fileStateKey(first!.files)).not.toBe(fileStateKey(third!.files));
  });

  it('lists symlinks without following them', async () => {
    const result = await runBash(sandbox, { script: 'ln -s /etc/passwd link' });
    expect(result.files).toEqual([
      { path: 'link', type: 'symlink', size: 0, mode: 0o777, target: '/etc/passwd' },
    ]);
  });

  it('reports a failing command as an error with its exit code', async () => {
    const result = await runBash(sandbox, { script: 'ls missing-file' });
    expect(result).toMatchObject({ status: 'error', exitCode: 2, result: 2 });
    expect(result.stderr).toContain('missing-file');
  });

  it('contains hostile scripts and keeps running', async () => {
    const corpus: Record<string, readonly string[]> = {
      // bash is pid 1 of the candidate's pid namespace: when it ends, all it started dies with it.
      ':(){ :|:& };:': ['timeout', 'error', 'ok'],
      // -1 is every process of the candidate's own namespace, none of the sandbox's.
      'kill -9 -1': ['ok', 'error'],
      'rm -rf /usr/bin 2>/dev/null; ls /usr/bin/bash': ['error', 'ok'],
      'echo x > /etc/evil': ['error'],
      'exec 3<>/dev/tcp/1.1.1.1/53': ['error'],
      'ls /root /work': ['error'],
      // bash survives and exits 153: the killed command was `yes`, by SIGXFSZ.
      'yes > big.txt': ['error'],
      'while :; do :; done': ['timeout'],
    };
    const scripts = Object.keys(corpus);
    const results = await Promise.all(scripts.map((script) => runBash(sandbox, { script, fixture })));
    scripts.forEach((script, index) => {
      expect({ script, status: results[index]!.status }).toEqual({
        script,
        status: expect.toBeOneOf([...corpus[script]!]),
      });
    });
    expect(results[scripts.indexOf('yes > big.txt')]!.error).toContain('SIGXFSZ');
    expect(existsSync('/etc/evil')).toBe(false);
    expect(existsSync('/usr/bin/bash')).toBe(true);
    const environment = await runBash(sandbox, { script: 'env; cat fruits.txt | wc -l' });
    expect(environment.status).toBe('ok');
    expect(environment.stdout).not.toContain(secret);
    expect(environment.stdout).toContain('PATH=');
    expect((await runBash(sandbox, { script: 'wc -l < fruits.txt', fixture })).stdout.trim()).toBe('3');
  });
});

describe('readFixtureDirectory', () => {
  it('reads files and directories in order, with contents', async () => {
    expect(fixture.map((file) => [file.path, file.type ?? 'file'])).toEqual([
      ['fruits.txt', 'file'],
      ['notes', 'dir'],
      ['notes/todo.md', 'file'],
    ]);
  });

  it('refuses a file with more than one hard link, such as a host file linked in', async () => {
    const { link, mkdtemp, rm, writeFile, symlink } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const folder = await mkdtemp(join(tmpdir(), 'symgen-fixture-'));
    try {
      const outside = join(folder, 'outside-secret');
      await writeFile(outside, 'host secret');
      const fixtureFolder = join(folder, 'fixture');
      await mkdir(fixtureFolder);
      await writeFile(join(fixtureFolder, 'ok.txt'), 'fine');
      expect((await readFixtureDirectory(fixtureFolder)).map((file) => file.path)).toEqual(['ok.txt']);
      await link(outside, join(fixtureFolder, 'linked.txt'));
      await expect(readFixtureDirectory(fixtureFolder)).rejects.toThrow(/2 hard links/);
      await rm(join(fixtureFolder, 'linked.txt'));
      await symlink(outside, join(fixtureFolder, 'symlinked.txt'));
      await expect(readFixtureDirectory(fixtureFolder)).rejects.toThrow(/not a regular file/);
      // The folder itself given as a link to elsewhere is refused too.
      await symlink(fixtureFolder, join(folder, 'via-link'));
      await expect(readFixtureDirectory(join(folder, 'via-link'))).rejects.toThrow(/not a directory/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('rejects a missing or oversized fixture', async () => {
    await expect(readFixtureDirectory('/nonexistent-fixture')).rejects.toBeInstanceOf(InputError);
    await expect(readFixtureDirectory(fixtureDirectory, { maxBytes: 4 })).rejects.toThrow(
      /more than 4 bytes/,
    );
  });
});
