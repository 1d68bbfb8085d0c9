import { describe, expect, it } from 'vitest';
import { SandboxError } from '../../errors/index.js';
import { prepareSandboxHost } from './sandbox-host.js';

describe('prepareSandboxHost', () => {
  it('refuses with an install hint when bubblewrap is missing', async () => {
    const attempt = prepareSandboxHost('/nonexistent-directory');
    await expect(attempt).rejects.toBeInstanceOf(SandboxError);
    await expect(attempt).rejects.toThrowErrorMatchingInlineSnapshot(
      `[SandboxError: bubblewrap (bwrap) was not found on PATH; symgen runs Python and Bash candidates only inside it: install it with \`apt-get install bubblewrap\` (Debian/Ubuntu) or \`dnf install bubblewrap\` (Fedora)]`,
    );
  });

  it('finds a working bubblewrap on this machine', async () => {
    const host = await prepareSandboxHost();
    expect(host.bwrapPath).toMatch(/bwrap$/);
    expect(host.layout.some((entry) => entry.path === '/usr')).toBe(true);
  });
});
