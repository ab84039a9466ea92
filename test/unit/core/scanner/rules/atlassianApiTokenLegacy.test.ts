// Keyword-anchored values (the legacy 24-character token) in every way code and configuration assign
// them, each beside the negatives that must stay quiet. Values are generated when the tests run.
import * as assert from 'assert';
import { randomBytes } from 'crypto';
import { scan } from '../../../../../src/core/scanner';
import { JIRA_KEYWORDS, KeywordIndex } from '../../../../../src/core/scanner/context/textContext';
import { looksGenerated } from '../../../../../src/core/scanner/context/randomness';
import { makeLegacyCloudToken } from '../../../../support/tokens';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random-looking legacy token over [A-Za-z0-9] (drawn again in the rare case it looks like a pattern). */
function token(): string {
  for (;;) {
    const value =
      Math.random() < 0.5 ? makeLegacyCloudToken() : Array.from(randomBytes(24), (b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('');
    if (looksGenerated(value) && !/^[0-9a-f]+$/i.test(value)) return value;
  }
}

/** `§` in the template is replaced by a fresh token; the finding must be exactly there. */
type Form = [name: string, fileName: string, template: string];

function check(form: Form, expectFound: boolean): void {
  const [name, fileName, template] = form;
  const value = token();
  const text = template.replace('§', value);
  const findings = scan(text, { fileName }).map((f) => [f.ruleId, text.slice(f.start, f.end)]);
  if (expectFound) assert.deepStrictEqual(findings, [['atlassian-api-token-legacy', value]], `${name}:\n${text}`);
  else assert.deepStrictEqual(findings, [], `${name}:\n${text}`);
}

// Each positive form comes with negatives built the same way: without the keyword, with a key that
// names no credential, or with a placeholder / hash instead of a token.
const FORMS: Array<{ form: string; found: Form[]; quiet: Form[] }> = [
  {
    form: 'typed declarations',
    found: [
      ['Go var', 'main.go', 'package main\n\nvar jiraToken string = "§"\n'],
      ['Go :=', 'main.go', 'func main() {\n\tjiraToken := "§"\n}\n'],
      ['Kotlin', 'Jira.kt', 'object Config {\n    val jiraToken: String = "§"\n}\n'],
      ['Scala', 'Jira.scala', 'object Config {\n  val jiraToken: String = "§"\n}\n'],
      ['Swift', 'Jira.swift', 'let jiraToken: String = "§"\n'],
      ['TypeScript', 'jira.ts', 'export const jiraToken: string = "§";\n'],
      ['Java', 'Jira.java', 'class Jira {\n  private static final String jiraToken = "§";\n}\n'],
      ['C#', 'Jira.cs', 'public static string JiraToken = "§";\n'],
      ['Rust', 'main.rs', 'let jira_token: &str = "§";\n'],
      ['Rust static', 'main.rs', 'static JIRA_TOKEN: &\'static str = "§";\n'],
    ],
    quiet: [
      ['Go var, no keyword', 'main.go', 'var slackToken string = "§"\n'],
      ['Kotlin, no keyword', 'Slack.kt', 'val slackToken: String = "§"\n'],
      [
        'TypeScript, a type that names Jira but a key that is no credential',
        'jira.ts',
        'const issueKey: JiraIssueKey = "0123456789abcdef01234567";\n',
      ],
      ['Java, placeholder', 'Jira.java', 'String jiraToken = "yourjiraapitokenhere1234";\n'],
      ['Rust, hex id', 'main.rs', 'let jira_issue_id: &str = "5f8d0d55b54764421b7156c3";\n'],
    ],
  },
  {
    form: 'compound and exotic operators',
    found: [
      ['PHP .=', 'jira.php', '<?php\n$jiraToken .= "§";\n'],
      ['Makefile ::=', 'Makefile', 'JIRA_TOKEN ::= §\n'],
      ['Makefile :::=', 'Makefile', 'JIRA_TOKEN :::= §\n'],
      ['Makefile ?=', 'Makefile', 'JIRA_TOKEN ?= §\n'],
      ['Makefile +=', 'Makefile', 'JIRA_TOKEN += §\n'],
      ['Makefile !=', 'Makefile', 'JIRA_TOKEN != §\n'],
      ['shell export', 'env.sh', 'export JIRA_TOKEN=§\n'],
      ['fish set -gx', 'config.fish', 'set -gx JIRA_TOKEN §\n'],
      ['PowerShell $env:', 'env.ps1', '$env:JIRA_TOKEN = "§"\n'],
      ['batch set', 'env.bat', '@echo off\nset JIRA_TOKEN=§\n'],
      ['batch set, quoted', 'env.cmd', 'set "JIRA_TOKEN=§"\n'],
    ],
    quiet: [
      ['Makefile ?=, no keyword', 'Makefile', 'SLACK_TOKEN ?= §\n'],
      ['fish, no keyword', 'config.fish', 'set -gx GITHUB_TOKEN §\n'],
      ['PowerShell, placeholder', 'env.ps1', '$env:JIRA_TOKEN = "xxxxxxxxxxxxxxxxxxxxxxxx"\n'],
      ['shell, an expansion', 'env.sh', 'export JIRA_TOKEN="${JIRA_TOKEN_FROM_VAULT}"\n'],
      ['comparison of unrelated names', 'x.go', 'if build != "§" { jiraEnabled = true }\n'],
    ],
  },
  {
    form: 'the key as a string argument',
    found: [
      ['System.setProperty', 'Main.java', 'System.setProperty("JIRA_TOKEN", "§");\n'],
      ['os.environ.setdefault', 'conf.py', 'os.environ.setdefault("JIRA_TOKEN", "§")\n'],
      ['os.Setenv', 'main.go', 'os.Setenv("JIRA_TOKEN", "§")\n'],
      ['headers.put', 'Client.java', 'headers.put("X-Jira-Token", "§");\n'],
      ['ENV[…] =', 'env.rb', 'ENV["JIRA_TOKEN"] = "§"\n'],
      ['config.set', 'conf.js', "config.set('jira.token', '§');\n"],
      ['basic auth tuple', 'sync.py', 'jira = JIRA(server=SERVER, basic_auth=("me@acme.io", "§"))\n'],
    ],
    quiet: [
      ['setProperty, no keyword', 'Main.java', 'System.setProperty("SLACK_TOKEN", "§");\n'],
      ['a Jira key that names no credential', 'conf.js', "config.set('jira.project', '§');\n"],
      ['a translation call', 'i18n.js', 't("jira", "§");\n'],
      ['headers.put, placeholder', 'Client.java', 'headers.put("X-Jira-Token", "<your-jira-api-token>");\n'],
    ],
  },
  {
    form: 'XML and HTML',
    found: [
      ['element, same line', 'app.config', '<config>\n  <jiraToken>§</jiraToken>\n</config>\n'],
      ['element, next line', 'pom.xml', '<properties>\n  <jiraToken>\n    §\n  </jiraToken>\n</properties>\n'],
      ['add key/value', 'web.config', '<appSettings>\n  <add key="JiraToken" value="§" />\n</appSettings>\n'],
      ['property name/value', 'build.xml', '<property name="jira.api.token" value="§"/>\n'],
      ['.NET setting, value element', 'app.config', '<setting name="JiraApiToken" serializeAs="String">\n  <value>§</value>\n</setting>\n'],
      [
        'credential element under <jira>',
        'settings.xml',
        '<jira>\n  <url>https://jira.example.org</url>\n  <user>ci</user>\n  <notes>deploy bot</notes>\n  <password>§</password>\n</jira>\n',
      ],
    ],
    quiet: [
      ['element, no keyword', 'app.config', '<config>\n  <slackToken>§</slackToken>\n</config>\n'],
      ['next line, no keyword', 'pom.xml', '<properties>\n  <apiToken>\n    §\n  </apiToken>\n</properties>\n'],
      ['add key/value, a Jira id', 'web.config', '<add key="JiraProjectId" value="5f8d0d55b54764421b7156c3" />\n'],
      ['text after a tag', 'index.html', '<p>\n  § is the build\n</p>\n'],
    ],
  },
  {
    form: 'YAML block scalars',
    found: [
      ['literal', 'values.yaml', 'jira_token: |\n  §\n'],
      ['folded with chomping', 'values.yaml', 'jira_token: >-\n  §\n'],
      ['plain on the next line', 'values.yml', 'jira_api_token:\n  §\n'],
      [
        'nested under jira',
        'config.yml',
        'jira:\n  url: https://jira.example.org\n  user: ci\n  project: OPS\n  team: platform\n  api:\n    token: §\n',
      ],
    ],
    quiet: [
      ['literal, no keyword', 'values.yaml', 'slack_token: |\n  §\n'],
      [
        'nested under something else',
        'config.yml',
        'slack:\n  url: https://hooks.example.org\n  user: ci\n  project: OPS\n  team: platform\n  api:\n    token: §\n',
      ],
      ['block scalar holding a hash', 'values.yaml', 'jira_commit: |\n  0123456789abcdef01234567\n'],
    ],
  },
  {
    form: '.properties',
    found: [
      ['dotted key', 'app.properties', 'jira.url=https://jira.example.org\njira.api.token=§\n'],
      ['colon', 'app.properties', 'jira.api.token: §\n'],
      ['blank separator', 'app.properties', 'jira.api.token §\n'],
    ],
    quiet: [
      ['no keyword', 'app.properties', 'slack.api.token=§\n'],
      ['placeholder', 'app.properties', 'jira.api.token=changemechangemechangeme\n'],
    ],
  },
  {
    form: 'TOML and INI sections',
    found: [
      ['TOML', 'config.toml', '[jira]\nserver = "https://jira.example.org"\nuser = "ci"\nproject = "OPS"\ntimeout = 30\ntoken = "§"\n'],
      [
        'TOML dotted section',
        'pyproject.toml',
        '[tool.jira]\nserver = "https://jira.example.org"\nproject = "OPS"\nretries = 3\npassword = "§"\n',
      ],
      ['INI', 'setup.cfg', '[atlassian]\nurl = https://acme.example.org\nuser = ci\nretries = 3\napi_token = §\n'],
    ],
    quiet: [
      [
        'TOML, another section',
        'config.toml',
        '[jira]\nserver = "https://jira.example.org"\n\n[slack]\nchannel = "ops"\nretries = 3\ntoken = "§"\n',
      ],
      ['INI, a key that names no credential', 'setup.cfg', '[jira]\nurl = https://jira.example.org\nretries = 3\nbuild = §\n'],
    ],
  },
  {
    form: 'HCL',
    found: [
      ['assignment', 'main.tf', 'jira_api_token = "§"\n'],
      [
        'provider block',
        'main.tf',
        'provider "jira" {\n  url      = "https://jira.example.org"\n  user     = "ci"\n  timeout  = 30\n  password = "§"\n}\n',
      ],
      ['variable default', 'variables.tf', 'variable "jira_api_token" {\n  type    = string\n  default = "§"\n}\n'],
      ['variable default, one line', 'variables.tf', 'variable "jira_api_token" { default = "§" }\n'],
    ],
    quiet: [
      [
        'provider block, no keyword',
        'main.tf',
        'provider "slack" {\n  url      = "https://hooks.example.org"\n  user     = "ci"\n  timeout  = 30\n  password = "§"\n}\n',
      ],
      ['variable default, no keyword', 'variables.tf', 'variable "build_id" {\n  type    = string\n  default = "§"\n}\n'],
    ],
  },
  {
    form: 'Dockerfile',
    found: [
      ['ENV =', 'Dockerfile', 'FROM node:20\nENV JIRA_API_TOKEN=§\n'],
      ['ENV blank', 'Dockerfile', 'FROM node:20\nENV JIRA_API_TOKEN §\n'],
      ['ARG', 'Dockerfile', 'FROM node:20\nARG ATLASSIAN_TOKEN=§\n'],
    ],
    quiet: [
      ['ENV, no keyword', 'Dockerfile', 'FROM node:20\nENV NPM_TOKEN=§\n'],
      ['ARG, an expansion', 'Dockerfile', 'FROM node:20\nARG JIRA_API_TOKEN=${JIRA_API_TOKEN_FROM_CI}\n'],
    ],
  },
  {
    form: 'docker-compose environment lists',
    found: [
      ['list item', 'docker-compose.yml', 'services:\n  bot:\n    environment:\n      - JIRA_API_TOKEN=§\n'],
      ['quoted list item', 'compose.yaml', 'services:\n  bot:\n    environment:\n      - "JIRA_API_TOKEN=§"\n'],
      ['mapping', 'compose.yaml', 'services:\n  bot:\n    environment:\n      JIRA_API_TOKEN: §\n'],
    ],
    quiet: [
      ['list item, no keyword', 'docker-compose.yml', 'services:\n  bot:\n    environment:\n      - NPM_TOKEN=§\n'],
      ['list item, an expansion', 'docker-compose.yml', 'services:\n  bot:\n    environment:\n      - JIRA_API_TOKEN=${JIRA_API_TOKEN}\n'],
    ],
  },
  {
    form: '.netrc',
    found: [
      ['one line', '.netrc', 'machine acme.atlassian.net login me@acme.io password §\n'],
      ['one field per line', '.netrc', 'machine jira.example.org\nlogin ci-bot\naccount ops\nmacdef init\npassword §\n'],
      ['indented fields', '.netrc', 'machine acme.atlassian.net\n  login me@acme.io\n  password §\n'],
    ],
    quiet: [
      ['another machine', '.netrc', 'machine acme.atlassian.net\n  login me@acme.io\n\nmachine github.com\n  login me\n  password §\n'],
      ['one line, another host', '.netrc', 'machine github.com login me password §\n'],
    ],
  },
];

describe('scanner: keyword-anchored values in every form', () => {
  for (const { form, found, quiet } of FORMS) {
    describe(form, () => {
      for (const f of found) it(`finds: ${f[0]}`, () => check(f, true));
      for (const f of quiet) it(`stays quiet: ${f[0]}`, () => check(f, false));
    });
  }

  it('keeps the false-positive guard: a random value needs the keyword, placeholders and hashes stay silent', () => {
    for (const text of [
      `value = "${token()}"\n`,
      `token = "${token()}"\n`,
      `[build]\ntoken = "${token()}"\n`,
      'JIRA_API_TOKEN=yourjiraapitokenhere1234\n',
      'jira_token: |\n  aaaaaaaaaaaaaaaaaaaaaaaa\n',
      '<jiraToken>\n  abcdefghijklmnopqrstuvwx\n</jiraToken>\n',
      'jira.commit=0123456789abcdef01234567\n',
    ]) {
      assert.deepStrictEqual(scan(text, { fileName: 'config.ini' }), [], text);
    }
  });

  it('sections count in configuration files only: in code the keyword must be near', () => {
    const text = `[jira]\nserver = "https://jira.example.org"\nuser = "ci"\nproject = "OPS"\ntoken = "${token()}"\n`;
    assert.strictEqual(scan(text, { fileName: '/repo/config.toml' }).length, 1);
    for (const fileName of ['/repo/src/config.js', '/repo/tool.py', undefined])
      assert.deepStrictEqual(scan(text, { fileName }), [], String(fileName));
  });

  it('a section header is looked for within a bounded distance only', () => {
    const filler = Array.from({ length: 60 }, (_, i) => `key${i} = ${i}`).join('\n');
    assert.strictEqual(scan(`[jira]\n${filler}\ntoken = "${token()}"\n`, { fileName: 'config.ini' }).length, 0);
    assert.strictEqual(scan(`[jira]\n${filler.slice(0, 200)}\ntoken = "${token()}"\n`, { fileName: 'config.ini' }).length, 1);
  });
});

describe('scanner: the keyword index shared by a scan', () => {
  it('answers whether a keyword ends in the window, for offsets visited in order or not', () => {
    const text = `${'x'.repeat(100)}jira${'y'.repeat(3000)}Confluence${'z'.repeat(100)}`;
    const index = new KeywordIndex(text, JIRA_KEYWORDS);
    assert.strictEqual(index.endsWithin(0, 50), false);
    assert.strictEqual(index.endsWithin(0, 104), true);
    assert.strictEqual(index.endsWithin(104, 2000), false, 'the window starts after it');
    assert.strictEqual(index.endsWithin(2000, text.length), true);
    assert.strictEqual(index.endsWithin(0, 103), false, 'going back starts over');
    assert.strictEqual(index.endsWithin(50, 200), true);
  });
});
