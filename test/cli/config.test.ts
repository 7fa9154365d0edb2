// The one configuration (src/config.ts): every variable checked, with an error naming it; the documented table
// (docs/OPERATIONS.md "Configuration") lists exactly the variables the code reads; a bad value stops a command.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, defaultCheckpoint, loadConfig, variables } from '../../src/config.ts';
import { main } from '../../src/cli/main.ts';

const refused = (env: Record<string, string>, variable: string, problem: RegExp) =>
  assert.throws(
    () => loadConfig(env),
    (e: unknown) => e instanceof ConfigError && e.variable === variable && problem.test(e.message),
  );

describe('configuration', () => {
  test('defaults when nothing is set; an empty value counts as unset', () => {
    const c = loadConfig({ XDG_CONFIG_HOME: '/cfg', PORT: '' });
    assert.equal(c.databaseUrl, undefined);
    assert.equal(c.port, undefined);
    assert.deepEqual(c.checkpoint, defaultCheckpoint);
    assert.equal(c.secretsDir, '/cfg/councils/secrets');
    assert.equal(c.verifyState, '/cfg/councils/verify-state.json');
    assert.equal(c.approvalKey, './councils-approval.key');
    assert.equal(c.debug, false);
    assert.equal(c.passwordHash, undefined); // the service's default: OWASP's m=19456,t=2,p=1
  });

  test('values are parsed once, into their types', () => {
    const c = loadConfig({
      PORT: '8080',
      COUNCILS_PUBLIC_URL: 'https://councils.example/',
      COUNCILS_CHECKPOINT_ENTRIES: '50',
      COUNCILS_CHECKPOINT_SECONDS: '2.5',
      COUNCILS_ANONYMOUS_RATE: 'off',
      COUNCILS_TRUST_PROXY: 'true',
      COUNCILS_DEBUG: '1',
      COUNCILS_PASSWORD_HASH: 't=3, m=12288',
    });
    assert.equal(c.port, 8080);
    assert.equal(c.publicUrl, 'https://councils.example');
    assert.deepEqual(c.checkpoint, { everyEntries: 50, everyMs: 2500 });
    assert.equal(c.anonymousRate, false);
    assert.equal(c.trustProxy, true);
    assert.equal(c.debug, true);
    assert.deepEqual(c.passwordHash, { memoryKiB: 12288, passes: 3, lanes: 1 });
  });

  test('a bad value is refused, naming the variable', () => {
    refused({ PORT: '80a' }, 'PORT', /0\.\.65535/);
    refused({ PORT: '70000' }, 'PORT', /0\.\.65535/);
    refused({ COUNCILS_CHECKPOINT_ENTRIES: '0' }, 'COUNCILS_CHECKPOINT_ENTRIES', /whole number/);
    refused({ COUNCILS_CHECKPOINT_ENTRIES: '1e3' }, 'COUNCILS_CHECKPOINT_ENTRIES', /whole number/);
    refused({ COUNCILS_CHECKPOINT_SECONDS: 'ten' }, 'COUNCILS_CHECKPOINT_SECONDS', /number > 0/);
    refused({ COUNCILS_PUBLIC_URL: 'ftp://x' }, 'COUNCILS_PUBLIC_URL', /http or https/);
    refused({ COUNCILS_URL: 'localhost:3000' }, 'COUNCILS_URL', /URL/);
    refused({ COUNCILS_SERVER: 'nowhere' }, 'COUNCILS_SERVER', /not a URL/);
    refused({ COUNCILS_ANONYMOUS_RATE: '5' }, 'COUNCILS_ANONYMOUS_RATE', /BURST\/PER_MINUTE/);
    refused({ COUNCILS_TRUST_PROXY: '10.0.0.0/40' }, 'COUNCILS_TRUST_PROXY', /prefix length/);
    refused({ COUNCILS_PASSWORD_HASH: '19456' }, 'COUNCILS_PASSWORD_HASH', /m=KIB,t=PASSES,p=LANES/);
    refused({ COUNCILS_PASSWORD_HASH: 'm=64,m=128' }, 'COUNCILS_PASSWORD_HASH', /m=KIB/);
    refused({ COUNCILS_PASSWORD_HASH: 'm=4,t=1,p=1' }, 'COUNCILS_PASSWORD_HASH', /8 KiB a lane/);
    refused({ COUNCILS_PASSWORD_HASH: 'm=64,t=0' }, 'COUNCILS_PASSWORD_HASH', /1 to 1000 passes/);
    refused({ COUNCILS_PASSWORD_HASH: 'm=64,p=0' }, 'COUNCILS_PASSWORD_HASH', /1 to 255 lanes/);
  });

  test('a command refuses to start on a bad variable, exit status 2, naming it', async () => {
    const saved = process.env.PORT;
    process.env.PORT = '80a';
    let err = '';
    try {
      const code = await main(['serve'], { out: () => {}, err: (t) => void (err += t) });
      assert.equal(code, 2);
      assert.match(err, /councils serve: the environment: PORT: a port is 0\.\.65535, not "80a"/);
    } finally {
      if (saved === undefined) delete process.env.PORT;
      else process.env.PORT = saved;
    }
  });

  test('the documented table lists exactly the variables the code reads', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => {
        const p = join(dir, n);
        return statSync(p).isDirectory() ? files(p) : /\.(ts|js)$/.test(n) ? [p] : [];
      });
    const read = new Set<string>();
    for (const f of [...files('src').filter((f) => !f.startsWith(join('src', 'web'))), 'bin/councils.js']) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/process\.env\.([A-Z_]+)|get\('([A-Z_]+)'\)|read\('([A-Z_]+)'/g))
        read.add(m[1] ?? m[2] ?? m[3]!);
      if (/COUNCILS_LOG_KEY_\$\{/.test(text)) read.add('COUNCILS_LOG_KEY_<ORG>');
    }
    const listed = variables.map((v) => v.name);
    assert.deepEqual([...read].sort(), [...listed].sort(), 'src/config.ts variables vs. what the code reads');
    const doc = readFileSync('docs/OPERATIONS.md', 'utf8');
    const section = doc.slice(
      doc.indexOf('## Configuration'),
      doc.indexOf('\n## ', doc.indexOf('## Configuration') + 1),
    );
    const rows = [...section.matchAll(/^\| `([A-Z_<>]+)`/gm)].map((m) => m[1]!);
    assert.deepEqual(rows.sort(), [...listed].sort(), 'docs/OPERATIONS.md "Configuration" vs. src/config.ts');
  });
});
