import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors/index.js';
import { defaultSandboxLimits, resolveSandboxLimits } from './limits.js';

describe('resolveSandboxLimits', () => {
  it('merges over the defaults', () => {
    expect(resolveSandboxLimits({ wallMs: 1_000 })).toEqual({ ...defaultSandboxLimits, wallMs: 1_000 });
  });

  it('reports every bad value', () => {
    const attempt = () => resolveSandboxLimits({ wallMs: 0, maxProcesses: 1 });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrowErrorMatchingInlineSnapshot(
      `[ConfigError: sandbox limits: wallMs: Too small: expected number to be >0 (and 1 more)]`,
    );
  });
});
