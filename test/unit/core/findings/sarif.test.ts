import * as assert from 'assert';
import Ajv, { type ValidateFunction } from 'ajv';
import * as fs from 'fs';
import * as path from 'path';
import { RULES, type RuleId } from '../../../../src/core/scanner';
import { SARIF_FINGERPRINT_KEY } from '../../../../src/core/findings/sarif';
import { fingerprintOf } from '../../../../src/core/tokens/tokenShapes';
import { makeCloudToken, makeDataCenterPat, makeLegacyCloudToken } from '../../../support/tokens';
import { assertNoSecret, ensureCliBuilt, removeTempDirs, runCli, tempDir, writeTree } from '../../cli/cliTestSupport';

/** The OASIS schema (errata01), shipped verbatim in test/fixtures and copied to out/test/fixtures by esbuild.js. */
const SCHEMA_FILE = path.join(__dirname, '..', '..', '..', 'fixtures', 'sarif-schema-2.1.0.json');

/**
 * The schema is draft-04; Ajv 8 speaks draft-07 and later. For this schema the only draft-04-only keyword is
 * the top-level `id` (no boolean exclusiveMinimum/Maximum, every $ref local), so it becomes `$id` and the
 * draft-07 meta-schema applies. Its formats are checked for real, not ignored.
 */
function sarifValidator(): ValidateFunction {
  const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
  const { id, $schema, ...rest } = schema;
  assert.strictEqual($schema, 'http://json-schema.org/draft-04/schema#');
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat('uri', (value: string) => /^[a-z][a-z0-9+.-]*:/i.test(value) && isUriReference(value) && canParseUrl(value));
  ajv.addFormat('uri-reference', isUriReference);
  ajv.addFormat(
    'date-time',
    (value: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(value) && !Number.isNaN(Date.parse(value)),
  );
  return ajv.compile({ ...rest, $id: id as string });
}

/** RFC 3986 characters only, and every % followed by two hex digits. */
function isUriReference(value: string): boolean {
  return /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/.test(value);
}

function canParseUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

interface SarifLogShape {
  version: string;
  runs: Array<{
    tool: {
      driver: {
        name: string;
        version: string;
        rules: Array<{ id: string; defaultConfiguration: { level: string }; properties: Record<string, unknown> }>;
      };
    };
    originalUriBaseIds: Record<string, { uri: string }>;
    results: Array<{
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: Record<string, number> } }>;
      partialFingerprints: Record<string, string>;
    }>;
  }>;
}

describe('CLI scan --format sarif', function () {
  this.timeout(20_000);
  const cloud = makeCloudToken();
  const pat = makeDataCenterPat();
  const legacy = makeLegacyCloudToken();
  const unverified = makeCloudToken({ validCrc: false });
  let root: string;
  let validate: ValidateFunction;

  before(() => {
    ensureCliBuilt();
    validate = sarifValidator();
    root = writeTree(tempDir('jtg sarif '), {
      'src/config.js': `const JIRA_API_TOKEN = "${cloud}";\n`,
      'docs/set up (draft).md': `JIRA_PAT=${pat}\n`,
      '.env': `JIRA_API_TOKEN=${legacy}\n`,
      'src/example.js': `// example\nconst t = "${unverified}";\n`,
    });
  });
  after(removeTempDirs);

  async function sarif(args: string[] = [], cwd = root): Promise<{ code: number | null; log: SarifLogShape; raw: string }> {
    const result = await runCli(['scan', '--format', 'sarif', ...args], { cwd });
    return { code: result.code, log: JSON.parse(result.stdout) as SarifLogShape, raw: result.stdout + result.stderr };
  }

  it('validates against the official SARIF 2.1.0 schema, with findings and without', async () => {
    const found = await sarif(['--report-unverified']);
    assert.strictEqual(found.code, 1);
    assert.ok(validate(found.log), JSON.stringify(validate.errors, null, 2));
    const clean = await sarif([], writeTree(tempDir(), { 'a.txt': 'nothing\n' }));
    assert.strictEqual(clean.code, 0);
    assert.ok(validate(clean.log), JSON.stringify(validate.errors, null, 2));
    assert.deepStrictEqual(clean.log.runs[0].results, []);
  });

  it('the validation is real: broken logs are refused', async () => {
    const { log } = await sarif();
    const broken = (mutate: (l: SarifLogShape) => void): boolean => {
      const copy = JSON.parse(JSON.stringify(log)) as SarifLogShape;
      mutate(copy);
      return validate(copy);
    };
    assert.strictEqual(
      broken((l) => {
        l.runs[0].results[0].level = 'fatal';
      }),
      false,
    );
    assert.strictEqual(
      broken((l) => {
        l.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
      }),
      false,
    );
    assert.strictEqual(
      broken((l) => {
        l.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = 'a b.js';
      }),
      false,
    );
    assert.strictEqual(
      broken((l) => {
        (l as { version: string }).version = '2.0.0';
      }),
      false,
    );
    assert.strictEqual(
      broken((l) => {
        (l.runs[0].tool.driver as { name?: string }).name = undefined;
      }),
      false,
    );
  });

  it('has one rule per rule id, levels from confidence, the fingerprint in partialFingerprints and relative URIs', async () => {
    const { log, raw } = await sarif(['--report-unverified']);
    const run = log.runs[0];
    assert.strictEqual(log.version, '2.1.0');
    assert.strictEqual(run.tool.driver.name, 'jira-token-guard');
    assert.deepStrictEqual(
      run.tool.driver.rules.map((r) => r.id),
      Object.keys(RULES),
    );
    for (const rule of run.tool.driver.rules) {
      const expected = { high: 'error', medium: 'warning', low: 'note' }[RULES[rule.id as RuleId].defaultConfidence];
      assert.strictEqual(rule.defaultConfiguration.level, expected, rule.id);
      assert.match(String(rule.properties['security-severity']), /^\d+\.\d$/);
    }
    const byUri = new Map(run.results.map((r) => [r.locations[0].physicalLocation.artifactLocation.uri, r]));
    assert.deepStrictEqual([...byUri.keys()].sort(), ['.env', 'docs/set%20up%20(draft).md', 'src/config.js', 'src/example.js']);
    for (const result of run.results) {
      assert.strictEqual(run.tool.driver.rules[result.ruleIndex].id, result.ruleId);
      assert.strictEqual(result.locations[0].physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
      assert.match(result.partialFingerprints[SARIF_FINGERPRINT_KEY], /^[0-9a-f]{64}$/);
    }
    const config = byUri.get('src/config.js')!;
    assert.deepStrictEqual([config.ruleId, config.level], ['atlassian-api-token', 'error']);
    assert.strictEqual(config.partialFingerprints[SARIF_FINGERPRINT_KEY], fingerprintOf(cloud));
    assert.deepStrictEqual(config.locations[0].physicalLocation.region, {
      startLine: 1,
      startColumn: 25,
      endLine: 1,
      endColumn: 25 + cloud.length,
    });
    assert.deepStrictEqual([byUri.get('.env')!.ruleId, byUri.get('.env')!.level], ['atlassian-api-token-legacy', 'warning']);
    assert.strictEqual(byUri.get('src/example.js')!.level, 'note');
    assert.ok(run.originalUriBaseIds['%SRCROOT%'].uri.startsWith('file:///') && run.originalUriBaseIds['%SRCROOT%'].uri.endsWith('/'));
    assertNoSecret([raw], [cloud, pat, legacy, unverified]);
  });
});
