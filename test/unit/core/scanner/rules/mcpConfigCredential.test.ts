// Credentials in AI-assistant MCP configurations, and the `${input:…}` rewrite of .vscode/mcp.json.
import * as assert from 'assert';
import { applyEdits, parse, type ParseError, parseTree } from 'jsonc-parser';
import { scan } from '../../../../../src/core/scanner';
import { detectFormatting, planMcpInput } from '../../../../../src/core/hygiene/mcpConfig';
import { isMcpConfigFile, isVsCodeMcpConfig } from '../../../../../src/core/files/mcpFiles';
import { fingerprintOf } from '../../../../../src/core/tokens/tokenShapes';
import { makeCloudToken, makeDataCenterPat } from '../../../../support/tokens';

const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');
/** A password no format rule knows: only the MCP rule can find it. */
const password = () => `Pw-${Math.random().toString(36).slice(2)}!${Math.random().toString(36).slice(2, 8)}`;

function findings(text: string, fileName: string) {
  return scan(text, { fileName }).map((f) => ({
    ruleId: f.ruleId,
    value: text.slice(f.start, f.end),
    fingerprint: f.fingerprint,
    message: f.message,
  }));
}

describe('scanner: MCP configurations', () => {
  it('knows the files', () => {
    for (const file of [
      '/w/.vscode/mcp.json',
      'C:\\w\\.cursor\\mcp.json',
      '/home/me/Library/Application Support/Claude/claude_desktop_config.json',
      '/w/.mcp.json',
      '/w/.gemini/settings.json',
      '/w/.codeium/windsurf/mcp_config.json',
      'C:\\W\\.VSCODE\\MCP.JSON',
      '/w/.claude/Settings.Json',
      '.claude.json',
    ]) {
      assert.ok(isMcpConfigFile(file), file);
    }
    for (const file of ['/w/package.json', '/w/settings.json', '/w/mcp.json.bak', '/w/mcp.js', '/w/mcp.jsonc', 'json', '', undefined])
      assert.ok(!isMcpConfigFile(file), String(file));
    assert.ok(isVsCodeMcpConfig('/w/.vscode/mcp.json') && isVsCodeMcpConfig('C:\\w\\.vscode\\mcp.json'));
    assert.ok(!isVsCodeMcpConfig('/w/.cursor/mcp.json'));
  });

  it('flags the Basic header of the Atlassian server, env blocks and token arguments, whatever the format', () => {
    const headerPassword = password();
    const envPassword = password();
    const argPassword = password();
    const inlinePassword = password();
    const text = JSON.stringify(
      {
        mcpServers: {
          atlassian: {
            url: 'https://mcp.atlassian.com/v1/sse',
            headers: { Authorization: `Basic ${basic('me@acme.io', headerPassword)}` },
          },
          'mcp-atlassian': {
            command: 'uvx',
            args: ['mcp-atlassian'],
            env: {
              JIRA_URL: 'https://acme.atlassian.net',
              JIRA_USERNAME: 'me@acme.io',
              JIRA_API_TOKEN: envPassword,
              CONFLUENCE_API_TOKEN: '${input:confluence}',
            },
          },
          jira: { command: 'npx', args: ['jira-mcp', '--jira-token', argPassword, `--confluence-token=${inlinePassword}`] },
        },
      },
      null,
      2,
    );
    for (const file of ['/w/.cursor/mcp.json', '/w/claude_desktop_config.json', '/w/.mcp.json']) {
      const found = findings(text, file);
      assert.deepStrictEqual(
        found.map((f) => [f.ruleId, f.fingerprint]),
        [
          ['mcp-config-credential', fingerprintOf(headerPassword)],
          ['mcp-config-credential', fingerprintOf(envPassword)],
          ['mcp-config-credential', fingerprintOf(argPassword)],
          ['mcp-config-credential', fingerprintOf(inlinePassword)],
        ],
        file,
      );
      assert.strictEqual(found[0].value, basic('me@acme.io', headerPassword));
      assert.match(found[1].message, /^Atlassian credential in an AI-assistant configuration/);
      assert.match(found[1].message, /JIRA_API_TOKEN/);
      for (const f of found) assert.ok(!f.message.includes(f.value));
    }
    assert.deepStrictEqual(findings(text, '/w/config.json'), [], 'the same JSON elsewhere is not an MCP configuration');
  });

  it('leaves known formats to their own rules', () => {
    const token = makeCloudToken();
    const pat = makeDataCenterPat();
    const text = JSON.stringify(
      {
        servers: {
          jira: {
            env: { JIRA_API_TOKEN: token, JIRA_PERSONAL_TOKEN: pat },
            headers: { Authorization: `Basic ${basic('me@acme.io', token)}` },
          },
        },
      },
      null,
      2,
    );
    assert.deepStrictEqual(
      findings(text, '/w/.vscode/mcp.json').map((f) => f.ruleId),
      ['atlassian-api-token', 'jira-dc-pat', 'jira-basic-auth-header'],
    );
  });

  it('stays quiet on inputs, environment references, placeholders and other servers', () => {
    const text = `{
  // comments are allowed
  "inputs": [{ "type": "promptString", "id": "jira-token", "password": true }],
  "servers": {
    "jira": { "env": { "JIRA_API_TOKEN": "\${input:jira-token}", "CONFLUENCE_API_TOKEN": "\${env:CONFLUENCE_API_TOKEN}", "JIRA_PASSWORD": "<your-password>", "JIRA_URL": "https://acme.atlassian.net" } },
    "atlassian": { "url": "https://mcp.atlassian.com/v1/sse", "headers": { "Authorization": "Basic \${input:atlassian-basic-auth}" } },
    "github": { "url": "https://api.githubcopilot.com/mcp/", "headers": { "Authorization": "Bearer ${password()}" } },
    "other": { "env": { "SLACK_TOKEN": "${password()}" } },
  },
}`;
    assert.deepStrictEqual(findings(text, '/w/.vscode/mcp.json'), []);
  });

  it('survives hostile files', () => {
    assert.deepStrictEqual(findings(`${'['.repeat(200_000)}"jira"`, '/w/.mcp.json'), []);
    assert.deepStrictEqual(findings('{"servers": {"jira": {"env": {"JIRA_API_TOKEN": ', '/w/.mcp.json'), []);
  });

  it('a range rescan finds what the full scan finds there', () => {
    const secret = password();
    const text = `{\n  "servers": {\n    "jira": {\n      "env": {\n        "JIRA_API_TOKEN": "${secret}"\n      }\n    }\n  }\n}\n`;
    const full = scan(text, { fileName: '/w/.mcp.json' });
    assert.strictEqual(full.length, 1);
    const at = text.indexOf(secret);
    assert.deepStrictEqual(scan(text, { fileName: '/w/.mcp.json', range: { start: at, end: at + 1 } }), full);
    assert.deepStrictEqual(scan(text, { fileName: '/w/.mcp.json', range: { start: 0, end: 3 } }), []);
  });
});

describe('.vscode/mcp.json: ${input:…} instead of the literal', () => {
  const formatting = { tabSize: 2, insertSpaces: true, eol: '\n' };

  function rewrite(text: string, secret: string): { result: string; inputId: string } {
    const start = text.indexOf(secret);
    const plan = planMcpInput(text, { start, end: start + secret.length }, formatting);
    assert.ok(plan, 'a plan');
    return { result: applyEdits(text, plan.edits), inputId: plan.inputId };
  }

  function assertValid(text: string): unknown {
    const errors: ParseError[] = [];
    const value = parse(text, errors, { allowTrailingComma: true });
    assert.deepStrictEqual(errors, []);
    return value;
  }

  it('replaces an env value and appends a password input, keeping comments and layout', () => {
    const secret = password();
    const text = `{\n  // Jira tools\n  "inputs": [\n    {\n      "type": "promptString",\n      "id": "other",\n      "description": "x"\n    }\n  ],\n  "servers": {\n    "jira": {\n      "command": "uvx",\n      "env": {\n        "JIRA_API_TOKEN": "${secret}" // pasted here\n      }\n    }\n  }\n}\n`;
    const { result, inputId } = rewrite(text, secret);
    assert.strictEqual(inputId, 'jira-api-token');
    assert.ok(!result.includes(secret));
    const config = assertValid(result) as { servers: { jira: { env: Record<string, string> } }; inputs: unknown[] };
    assert.strictEqual(config.servers.jira.env.JIRA_API_TOKEN, '${input:jira-api-token}');
    assert.deepStrictEqual(config.inputs[1], {
      type: 'promptString',
      id: 'jira-api-token',
      description: config.inputs[1] && (config.inputs[1] as { description: string }).description,
      password: true,
    });
    assert.match((config.inputs[1] as { description: string }).description, /JIRA_API_TOKEN for the “jira” MCP server/);
    assert.ok(result.includes('// Jira tools') && result.includes('// pasted here'), 'comments kept');
    assert.ok(result.includes('\n      "command": "uvx",\n'), 'untouched lines keep their layout');
  });

  it('keeps "Basic " in the header and lets the input hold the base64 credentials; creates inputs when missing', () => {
    const token = makeCloudToken();
    const credentials = basic('me@acme.io', token);
    const text = `{\n\t"servers": {\n\t\t"atlassian": {\n\t\t\t"url": "https://mcp.atlassian.com/v1/sse",\n\t\t\t"headers": { "Authorization": "Basic ${credentials}" }\n\t\t}\n\t}\n}\n`;
    const start = text.indexOf(credentials);
    const plan = planMcpInput(text, { start, end: start + credentials.length }, detectFormatting(text));
    assert.ok(plan);
    const result = applyEdits(text, plan.edits);
    const config = assertValid(result) as {
      servers: { atlassian: { headers: Record<string, string> } };
      inputs: Array<Record<string, unknown>>;
    };
    assert.strictEqual(config.servers.atlassian.headers.Authorization, `Basic \${input:${plan.inputId}}`);
    assert.strictEqual(plan.inputId, 'atlassian-basic-auth');
    assert.deepStrictEqual(
      { ...config.inputs[0], description: undefined },
      { type: 'promptString', id: 'atlassian-basic-auth', description: undefined, password: true },
    );
    assert.match(String(config.inputs[0].description), /base64 of your-email:API-token/);
    assert.ok(!result.includes(credentials) && !result.includes(token));
    assert.ok(/\n\t"inputs": \[/.test(result), 'tabs, as the file uses');
  });

  it('picks a free id, and refuses what it cannot rewrite safely', () => {
    const secret = password();
    const text = `{"inputs": [{"type": "promptString", "id": "jira-api-token"}], "servers": {"a": {"env": {"JIRA_API_TOKEN": "${secret}"}}}}`;
    assert.strictEqual(rewrite(text, secret).inputId, 'jira-api-token-2');
    const escaped = `{"servers": {"a": {"env": {"JIRA_API_TOKEN": "\\u0041${secret}"}}}}`;
    const at = escaped.indexOf(secret);
    assert.strictEqual(planMcpInput(escaped, { start: at, end: at + secret.length }, formatting), undefined);
    const broken = `{"servers": {"a": {"env": {"JIRA_API_TOKEN": "${secret}"`;
    assert.strictEqual(
      planMcpInput(broken, { start: broken.indexOf(secret), end: broken.indexOf(secret) + secret.length }, formatting),
      undefined,
    );
    const notAnArray = `{"inputs": {}, "servers": {"a": {"env": {"JIRA_API_TOKEN": "${secret}"}}}}`;
    assert.strictEqual(
      planMcpInput(notAnArray, { start: notAnArray.indexOf(secret), end: notAnArray.indexOf(secret) + secret.length }, formatting),
      undefined,
    );
    assert.ok(parseTree('{}'));
  });
});
