// docs/threat-model.md lists every surface: a command, a setting, a registration with VS Code, a file the code
// writes, a program it starts, a network client it builds, a piece of stored state. This reads src/ and
// package.json and fails on any surface the page does not name in its section, and on any test the page
// names that does not exist. A new surface gets its row in the same commit.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const DOC = fs.readFileSync(path.join(REPO, 'docs', 'threat-model.md'), 'utf8');
const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  contributes: { commands: Array<{ command: string }>; configuration: { properties: Record<string, unknown> } };
};

/** The text of a `## ` section of the page. */
function section(title: string): string {
  const start = DOC.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `docs/threat-model.md has a "${title}" section`);
  const end = DOC.indexOf('\n## ', start + 1);
  return DOC.slice(start, end < 0 ? undefined : end);
}

/** Every .ts file under src/, relative to the repository, with its text. */
function sources(): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts'))
        out.push({ file: path.relative(REPO, full).split(path.sep).join('/'), text: fs.readFileSync(full, 'utf8') });
    }
  };
  walk(path.join(REPO, 'src'));
  return out;
}

/** Code only: comments removed, so a word in a comment is not a surface. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

const missingFrom = (where: string, names: Iterable<string>) => [...new Set(names)].filter((name) => !where.includes(`\`${name}\``)).sort();

/** Files of src/ (besides the test seams, which exist in Test mode only) whose code matches. */
function filesMatching(pattern: RegExp): string[] {
  return sources()
    .filter(({ file }) => file !== 'src/testSeams.ts')
    .filter(({ text }) => pattern.test(code(text)))
    .map(({ file }) => file);
}

describe('threat model (docs/threat-model.md)', () => {
  it('lists every contributed command under Commands', () => {
    const commands = manifest.contributes.commands.map((c) => c.command);
    assert.ok(commands.length >= 20);
    assert.deepStrictEqual(missingFrom(section('Commands'), commands), []);
  });

  it('lists every setting under Settings', () => {
    const settings = Object.keys(manifest.contributes.configuration.properties);
    assert.ok(settings.length >= 10);
    assert.deepStrictEqual(missingFrom(section('Settings'), settings), []);
  });

  it('lists every registration with VS Code under Registrations', () => {
    const names = new Set<string>();
    for (const { text } of sources()) {
      for (const [, name] of code(text).matchAll(
        /\b(register(?!Command\b)[A-Z]\w*|create(?:TreeView|StatusBarItem|OutputChannel|DiagnosticCollection|FileSystemWatcher|Terminal|WebviewPanel|WebviewView|TextEditorDecorationType))\s*\(/g,
      ))
        names.add(name);
      if (/\benvironmentVariableCollection\b/.test(code(text))) names.add('environmentVariableCollection');
      if (/\bcontext\.secrets\b/.test(code(text))) names.add('secrets');
    }
    // Our own helpers named register…: not VS Code registrations.
    for (const own of ['registerGuardedCommands', 'registerUnavailableCommands']) names.delete(own);
    assert.ok(names.size >= 8, [...names].join(', '));
    assert.deepStrictEqual(missingFrom(section('Registrations with VS Code'), names), []);
  });

  it('lists every file that starts a program under Programs started', () => {
    const files = filesMatching(
      /\bfrom ['"]child_process['"]|require\(['"]child_process['"]\)|\bchildProcess\(\)\s*\.\s*(spawn|exec|execFile|execFileSync|fork)/,
    );
    assert.ok(files.length >= 1);
    // childProcess.ts only loads the module for the one file that starts git.
    const starters = files.filter((f) => f !== 'src/scanEngine/childProcess.ts');
    assert.deepStrictEqual(missingFrom(section('Programs started'), starters), []);
  });

  it('lists every file that writes a file, a document or a setting under Files read and written', () => {
    const files = filesMatching(
      /\b(writeFile|writeFileSync|appendFile|appendFileSync|copyFile|createWriteStream|rename|renameSync|applyEdit)\s*\(|\bdocument\.save\(\)|getConfiguration\([^)]*\)\s*\.update\(/,
    );
    assert.ok(files.length >= 5, files.join(', '));
    assert.deepStrictEqual(missingFrom(section('Files read and written'), files), []);
  });

  it('lists every file that makes network requests under Network destinations', () => {
    const files = filesMatching(
      /\bcreateHttpClient\s*\(|from ['"]axios['"]|require\(['"]axios['"]\)|\bcheckCredential\s*\(|\bPatApi\b/,
    ).filter((f) => !f.startsWith('src/cli/'));
    assert.ok(files.length >= 3, files.join(', '));
    assert.deepStrictEqual(missingFrom(section('Network destinations'), files), []);
  });

  it('lists every globalState key and the SecretStorage key under Stored state', () => {
    const constants = fs.readFileSync(path.join(REPO, 'src', 'common', 'constants.ts'), 'utf8');
    const keys = [...constants.matchAll(/export const \w+_(?:STATE_KEY|KEY_PREFIX) = '([^']+)'/g)].map((m) => m[1]);
    assert.ok(keys.length >= 5, keys.join(', '));
    assert.deepStrictEqual(missingFrom(section('Stored state'), keys), []);
  });

  it('lists the activation events under Registrations: when the extension starts is a surface too', () => {
    const events = (manifest as { activationEvents?: string[] }).activationEvents ?? [];
    assert.ok(events.length >= 1);
    assert.deepStrictEqual(missingFrom(section('Registrations with VS Code'), events), []);
  });

  it('names only tests that exist, and every row names one', () => {
    const references = [...DOC.matchAll(/`(test\/[\w/.-]+\.test\.ts)`\s*«([^»]+)»/g)];
    assert.ok(references.length >= 40, `${references.length} test references`);
    const broken: string[] = [];
    for (const [, file, title] of references) {
      const full = path.join(REPO, file);
      if (!fs.existsSync(full)) broken.push(`${file}: no such file`);
      else if (!fs.readFileSync(full, 'utf8').includes(title)) broken.push(`${file}: no test titled “${title}”`);
    }
    assert.deepStrictEqual(broken, []);
    const rows = DOC.split('\n').filter((line) => /^\| `/.test(line) || /^\| [A-Z`]/.test(line));
    const withoutTest = rows.filter((row) => !/^\| Surface /.test(row) && !/`test\/[\w/.-]+\.test\.ts`\s*«/.test(row));
    assert.deepStrictEqual(withoutTest, [], 'rows without a test');
  });

  it('fails on a surface it does not list (a deliberate violation)', () => {
    assert.ok(missingFrom(section('Commands'), ['jiraTokenGuard.notACommand']).length === 1);
    const fake = "import { spawn } from 'child_process';";
    assert.ok(/\bfrom ['"]child_process['"]/.test(code(fake)), 'the programs pattern sees an import of child_process');
    assert.ok(
      /\bregister(?!Command\b)[A-Z]\w*\s*\(/.test('vscode.window.registerUriHandler(handler)'),
      'the registrations pattern sees a new register call',
    );
  });
});
