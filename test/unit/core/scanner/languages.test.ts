import * as assert from 'assert';
import { envReference, ignoreComment, scan } from '../../../../src/core/scanner';
import { makeDataCenterPat } from '../../../support/tokens';

describe('scanner: envReference', () => {
  const cases: Array<[language: string, text: string, replacesQuotes: boolean]> = [
    ['javascript', 'process.env.JIRA_API_TOKEN', true],
    ['typescript', 'process.env.JIRA_API_TOKEN', true],
    ['typescriptreact', 'process.env.JIRA_API_TOKEN', true],
    ['python', 'os.environ["JIRA_API_TOKEN"]', true],
    ['java', 'System.getenv("JIRA_API_TOKEN")', true],
    ['kotlin', 'System.getenv("JIRA_API_TOKEN")', true],
    ['go', 'os.Getenv("JIRA_API_TOKEN")', true],
    ['csharp', 'Environment.GetEnvironmentVariable("JIRA_API_TOKEN")', true],
    ['powershell', '$env:JIRA_API_TOKEN', true],
    ['ruby', 'ENV["JIRA_API_TOKEN"]', true],
    ['php', "getenv('JIRA_API_TOKEN')", true],
    ['rust', 'std::env::var("JIRA_API_TOKEN")', true],
    ['shellscript', '${JIRA_API_TOKEN}', false],
    ['dotenv', '${JIRA_API_TOKEN}', false],
    ['yaml', '${JIRA_API_TOKEN}', false],
    ['dockercompose', '${JIRA_API_TOKEN}', false],
    ['dockerfile', '${JIRA_API_TOKEN}', false],
    ['properties', '${JIRA_API_TOKEN}', false],
    ['ini', '${JIRA_API_TOKEN}', false],
    ['json', '${JIRA_API_TOKEN}', false],
    ['xml', '${JIRA_API_TOKEN}', false],
    ['markdown', '${JIRA_API_TOKEN}', false],
    ['makefile', '$(JIRA_API_TOKEN)', false],
    ['bat', '%JIRA_API_TOKEN%', false],
    ['some-unknown-language', '${JIRA_API_TOKEN}', false],
  ];
  for (const [language, text, replacesQuotes] of cases) {
    it(`reads the variable in ${language}`, () => {
      assert.deepStrictEqual(envReference(language, 'JIRA_API_TOKEN'), { text, replacesQuotes });
    });
  }

  it('quotes names JavaScript cannot use as properties', () => {
    assert.strictEqual(envReference('javascript', 'JIRA-TOKEN').text, 'process.env["JIRA-TOKEN"]');
  });

  it('falls back on the file name or extension when the language id is unknown', () => {
    assert.strictEqual(envReference('/repo/.env.local', 'X').text, '${X}');
    assert.strictEqual(envReference('/repo/scripts/sync.py', 'X').text, 'os.environ["X"]');
    assert.strictEqual(envReference('C:\\repo\\src\\Client.cs', 'X').text, 'Environment.GetEnvironmentVariable("X")');
    assert.strictEqual(envReference('ts', 'X').text, 'process.env.X');
    assert.deepStrictEqual(envReference('docker-compose.yml', 'X'), { text: '${X}', replacesQuotes: false });
  });
});

describe('scanner: ignoreComment', () => {
  const cases: Array<[language: string, comment: { prefix: string; suffix?: string } | undefined]> = [
    ['javascript', { prefix: '// ' }],
    ['typescript', { prefix: '// ' }],
    ['java', { prefix: '// ' }],
    ['go', { prefix: '// ' }],
    ['csharp', { prefix: '// ' }],
    ['rust', { prefix: '// ' }],
    ['php', { prefix: '// ' }],
    ['jsonc', { prefix: '// ' }],
    ['python', { prefix: '# ' }],
    ['shellscript', { prefix: '# ' }],
    ['dotenv', { prefix: '# ' }],
    ['yaml', { prefix: '# ' }],
    ['dockerfile', { prefix: '# ' }],
    ['dockercompose', { prefix: '# ' }],
    ['properties', { prefix: '# ' }],
    ['powershell', { prefix: '# ' }],
    ['ruby', { prefix: '# ' }],
    ['toml', { prefix: '# ' }],
    ['html', { prefix: '<!-- ', suffix: ' -->' }],
    ['xml', { prefix: '<!-- ', suffix: ' -->' }],
    ['markdown', { prefix: '<!-- ', suffix: ' -->' }],
    ['sql', { prefix: '-- ' }],
    ['lua', { prefix: '-- ' }],
    ['ini', { prefix: '; ' }],
    ['css', { prefix: '/* ', suffix: ' */' }],
    ['bat', { prefix: 'REM ' }],
    ['json', undefined],
    ['plaintext', undefined],
  ];
  for (const [language, comment] of cases) {
    it(`comments a line in ${language}`, () => {
      assert.deepStrictEqual(ignoreComment(language), comment);
    });
  }

  it('falls back on the file name or extension when the language id is unknown', () => {
    assert.deepStrictEqual(ignoreComment('/repo/.env'), { prefix: '# ' });
    assert.deepStrictEqual(ignoreComment('/repo/Dockerfile'), { prefix: '# ' });
    assert.deepStrictEqual(ignoreComment('/repo/app.config.json'), undefined);
    assert.deepStrictEqual(ignoreComment('/repo/README.md'), { prefix: '<!-- ', suffix: ' -->' });
    assert.strictEqual(ignoreComment('no-such-language'), undefined);
    assert.strictEqual(ignoreComment('constructor'), undefined);
    assert.deepStrictEqual(envReference('toString', 'X'), { text: '${X}', replacesQuotes: false });
  });

  it('writes comments the scanner honours', () => {
    const line = `JIRA_PAT=${makeDataCenterPat()}`;
    assert.strictEqual(scan(line).length, 1);
    for (const [language, comment] of cases) {
      if (comment) assert.deepStrictEqual(scan(`${comment.prefix}jira-token-guard:ignore${comment.suffix ?? ''}\n${line}\n`), [], language);
    }
  });
});
