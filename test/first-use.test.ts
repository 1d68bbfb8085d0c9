import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { main } from '../src/cli/main.js';
import { cheapFilterVerdict, curateOptionsSchema } from '../src/curate/index.js';
import { type DatasetExample, questionWords } from '../src/dataset/index.js';
import { wordCount } from '../src/generate/pipeline/question-text.js';

// Issue 16, items 2, 3 and 9: what a new user meets first.

const ROOT = join(import.meta.dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The shell lines of the README's code blocks that run symgen. */
function readmeCommands(): string[] {
  const blocks = [...README.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((match) => match[1]!);
  return blocks
    .flatMap((block) => block.replace(/\\\n\s*/g, ' ').split('\n'))
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => /\bsymgen\b/.test(line) && !line.startsWith('#'));
}

describe('a fresh clone (item 2)', () => {
  it('installing leaves package-lock.json as committed', () => {
    const folder = mkdtempSync(join(tmpdir(), 'symgen-lock-'));
    copyFileSync(join(ROOT, 'package.json'), join(folder, 'package.json'));
    copyFileSync(join(ROOT, 'package-lock.json'), join(folder, 'package-lock.json'));
    // npm works out the lock file as `npm install` would, from its cache, without installing
    const result = spawnSync(
      'npm',
      ['install', '--package-lock-only', '--ignore-scripts', '--offline', '--no-audit', '--no-fund'],
      {
        cwd: folder,
        encoding: 'utf8',
      },
    );
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(join(folder, 'package-lock.json'), 'utf8')).toBe(
      readFileSync(join(ROOT, 'package-lock.json'), 'utf8'),
    );
  }, 60_000);

  it('biome reads biome.json without a deprecation notice', () => {
    const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'biome'), ['check', 'biome.json'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    expect(`${result.stdout}${result.stderr}`).toContain('Checked 1 file');
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/deprecat/i);
  });
});

describe('the README (item 3)', () => {
  const commands = readmeCommands();

  it('runs symgen as npx symgen (or says how to link it)', () => {
    expect(commands.length).toBeGreaterThan(5);
    for (const line of commands)
      expect(line, line).toMatch(/^(npm install && npm run build && )?npx symgen /);
    expect(README).toContain('npm link');
  });

  it('mentions symgen models check', () => {
    expect(README).toMatch(/symgen models check/);
  });

  it('names only files a fresh clone has, or ones the main job or an earlier example writes', () => {
    const mainJob = parse(readFileSync(join(ROOT, 'examples', 'geoquery', 'generate.yaml'), 'utf8')) as {
      output: { dir: string };
    };
    const runDir = join('examples', 'geoquery', mainJob.output.dir).replace(/^(\.\.\/)*/, '');
    const written = new Set<string>();
    const inputs = [
      '--in',
      '--gold',
      '--pred',
      '--db',
      '--reference',
      '--dataset',
      '--train',
      '--task-module',
    ];
    for (const line of commands) {
      const args = line.replace(/^.*?npx symgen /, '').split(/\s+/);
      const produced = (path: string) =>
        existsSync(join(ROOT, path)) || written.has(path) || path === runDir || path.startsWith(`${runDir}/`);
      args.forEach((arg, index) => {
        if (inputs.includes(args[index - 1] ?? '')) expect(produced(arg), `${line}: ${arg}`).toBe(true);
        if (args[index - 1] === '--out') written.add(arg);
      });
      // a positional config or run folder
      const positional = args[1];
      if (positional && !positional.startsWith('-') && /[/.]/.test(positional))
        expect(produced(positional), `${line}: ${positional}`).toBe(true);
    }
    expect(runDir).toBe('runs/geoquery-offline');
  });

  it('the python evaluate example runs from a fresh clone and scores its shipped predictions', async () => {
    const line = commands.find((command) => command.includes('evaluate --task python'));
    expect(line).toBeDefined();
    let stdout = '';
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout += String(chunk);
      return true;
    });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const code = await main(line!.replace(/^npx symgen /, '').split(/\s+/));
      expect(code).toBe(0);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    expect(stdout).toMatch(/pass@1\s+75\.0%/);
  }, 60_000);
});

const example = (question: string, program: string): DatasetExample => ({
  line: 1,
  id: '1',
  question,
  program,
  raw: { question, program },
});

describe('word counts of questions in scripts written without spaces (item 9)', () => {
  it('counts Chinese and Japanese words, so curate keeps a Chinese question', () => {
    expect(questionWords('美国最大的州是哪个？').length).toBeGreaterThanOrEqual(5);
    expect(questionWords('日本で一番高い山は何ですか').length).toBeGreaterThanOrEqual(4);
    expect(questionWords('How many states border Texas?')).toEqual([
      'how',
      'many',
      'states',
      'border',
      'texas',
    ]);
    const options = curateOptionsSchema.parse({ filters: { language: 'any', minWords: 3 } });
    const verdict = cheapFilterVerdict(
      example('德克萨斯州有多少人口？', 'SELECT population FROM state WHERE state_name = "texas"'),
      options.filters,
    );
    expect(verdict).toBeUndefined();
    // a one-word question is still too short
    expect(cheapFilterVerdict(example('州？', 'SELECT 1'), options.filters)?.reason).toBe('too-short');
    // generate's question filter counts the same way
    expect(wordCount('德克萨斯州有多少人口？')).toBeGreaterThanOrEqual(3);
    expect(wordCount('texas ?')).toBe(2);
  });
});
