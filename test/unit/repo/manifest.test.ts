// The manifest (package.json) and the code agree: every contributed command is registered, every registered
// command is contributed, and every setting's declared default is the one the code falls back to.
// Both sides are read from the sources (parsed, never run), so a command or setting added anywhere is covered.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const repo = path.resolve(__dirname, '..', '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
const PREFIX = 'jiraTokenGuard.';

function sourceFiles(dir: string): ts.SourceFile[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    if (!entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) return [];
    return [ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)];
  });
}

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

function unwrap(node: ts.Expression): ts.Expression {
  while (ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isParenthesizedExpression(node)) node = node.expression;
  return node;
}

const sources = sourceFiles(path.join(repo, 'src'));

/** `Name.key` → string value, for every `const Name = { key: '…' }` in src (Commands, …). */
function constantTables(): Map<string, string> {
  const values = new Map<string, string>();
  for (const file of sources) {
    walk(file, (node) => {
      if (!ts.isVariableDeclaration(node) || !ts.isIdentifier(node.name) || !node.initializer) return;
      const init = unwrap(node.initializer);
      if (ts.isStringLiteralLike(init)) values.set(node.name.text, init.text);
      if (!ts.isObjectLiteralExpression(init)) return;
      for (const property of init.properties) {
        if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) continue;
        const value = unwrap(property.initializer);
        if (ts.isStringLiteralLike(value)) values.set(`${node.name.text}.${property.name.text}`, value.text);
      }
    });
  }
  return values;
}

/**
 * Every id passed to `registerCommand`: a literal, a constant (`Commands.x`), or a variable taken from the
 * computed keys of a handler table in the same function (`{ [Commands.x]: … }` mapped over Object.entries).
 */
function registeredCommandIds(): { ids: Set<string>; unresolved: string[] } {
  const constants = constantTables();
  const ids = new Set<string>();
  const unresolved: string[] = [];
  const resolve = (expr: ts.Expression, where: string): void => {
    expr = unwrap(expr);
    if (ts.isStringLiteralLike(expr)) ids.add(expr.text);
    else if (constants.has(expr.getText())) ids.add(constants.get(expr.getText())!);
    else unresolved.push(`${where}: ${expr.getText()}`);
  };
  for (const file of sources) {
    walk(file, (node) => {
      // The features' helper (src/common/guardedCommands.ts): the ids are the keys of the table each call passes.
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'registerGuardedCommands') {
        const where = `${path.relative(repo, file.fileName)}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        const table = node.arguments[1] && unwrap(node.arguments[1]);
        if (!table || !ts.isObjectLiteralExpression(table)) unresolved.push(`${where}: a table that is not an object literal`);
        else
          for (const property of table.properties) {
            if (property.name && ts.isComputedPropertyName(property.name)) resolve(property.name.expression, where);
            else unresolved.push(`${where}: ${property.getText()}`);
          }
        return;
      }
      if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression) || node.expression.name.text !== 'registerCommand')
        return;
      if (path.relative(repo, file.fileName).split(path.sep).join('/') === 'src/common/guardedCommands.ts') return;
      const where = `${path.relative(repo, file.fileName)}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
      const first = unwrap(node.arguments[0]);
      if (!ts.isIdentifier(first) || constants.has(first.text)) return resolve(first, where);
      // A parameter of a small named helper (`const command = (id, run) => registerCommand(id, …)`): its callers' arguments.
      let fn: ts.Node | undefined = node.parent;
      while (fn && !(ts.isFunctionLike(fn) && fn.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === first.text)))
        fn = fn.parent;
      if (fn && ts.isFunctionLike(fn) && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) {
        const helper = fn.parent.name.text;
        const index = fn.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === first.text);
        let calls = 0;
        walk(file, (inner) => {
          if (
            ts.isCallExpression(inner) &&
            ts.isIdentifier(inner.expression) &&
            inner.expression.text === helper &&
            inner.arguments[index]
          ) {
            calls++;
            resolve(inner.arguments[index], where);
          }
        });
        if (calls === 0) unresolved.push(`${where}: ${first.text} (no caller of ${helper})`);
        return;
      }
      // A variable: the handler table's computed keys in the enclosing function are the ids.
      let scope: ts.Node = node;
      while (
        !ts.isSourceFile(scope) &&
        !ts.isMethodDeclaration(scope) &&
        !ts.isFunctionDeclaration(scope) &&
        !ts.isConstructorDeclaration(scope)
      )
        scope = scope.parent;
      const keys: ts.Expression[] = [];
      walk(scope, (inner) => {
        if (ts.isComputedPropertyName(inner) && ts.isObjectLiteralExpression(inner.parent.parent)) keys.push(inner.expression);
      });
      if (keys.length === 0) unresolved.push(`${where}: ${first.text}`);
      for (const key of keys) resolve(key, where);
    });
  }
  return { ids, unresolved };
}

/** The literal value of an expression (numbers, strings, booleans, arrays and objects of them). */
function literal(expr: ts.Expression): unknown {
  expr = unwrap(expr);
  if (ts.isStringLiteralLike(expr)) return expr.text;
  if (ts.isNumericLiteral(expr)) return Number(expr.text.replace(/_/g, ''));
  if (ts.isPrefixUnaryExpression(expr) && expr.operator === ts.SyntaxKind.MinusToken) return -(literal(expr.operand) as number);
  if (expr.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (expr.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (ts.isArrayLiteralExpression(expr)) return expr.elements.map((e) => literal(e));
  if (ts.isObjectLiteralExpression(expr)) {
    return Object.fromEntries(
      expr.properties.filter(ts.isPropertyAssignment).map((p) => [p.name.getText().replace(/^['"]|['"]$/g, ''), literal(p.initializer)]),
    );
  }
  throw new Error(`not a literal: ${expr.getText()}`);
}

/** The code's defaults: the `DEFAULTS` table that src/common/config.ts falls back to when a setting is unset. */
function codeDefaults(): Record<string, unknown> {
  return configTable('DEFAULTS');
}

/** A table of src/common/config.ts, read from the source. */
function configTable(name: string): Record<string, unknown> {
  const config = sources.find((f) => path.relative(repo, f.fileName).split(path.sep).join('/') === 'src/common/config.ts');
  assert.ok(config, 'src/common/config.ts exists');
  let table: Record<string, unknown> | undefined;
  walk(config, (node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name && node.initializer) {
      table = literal(node.initializer) as Record<string, unknown>;
    }
  });
  assert.ok(table, `src/common/config.ts has a ${name} table`);
  return table;
}

describe('manifest and code agree', () => {
  const contributed: string[] = manifest.contributes.commands.map((c: { command: string }) => c.command);

  it('registers every contributed command, and contributes every registered jiraTokenGuard command', () => {
    const { ids, unresolved } = registeredCommandIds();
    assert.deepStrictEqual(unresolved, [], 'every registerCommand id can be read from the sources');
    assert.ok(ids.size >= 10, `found ${ids.size} registered commands`);
    assert.deepStrictEqual(
      contributed.filter((id) => !ids.has(id)),
      [],
      'contributed but never registered',
    );
    const ours = [...ids].filter((id) => id.startsWith(PREFIX));
    assert.deepStrictEqual(
      ours.filter((id) => !contributed.includes(id)),
      [],
      'registered but not contributed',
    );
    assert.strictEqual(new Set(contributed).size, contributed.length, 'each command is contributed once');
  });

  it('writes every command id once, in the Commands table of src/common/constants.ts', () => {
    const constants = constantTables();
    assert.deepStrictEqual(
      contributed.filter((id) => ![...constants].some(([name, value]) => name.startsWith('Commands.') && value === id)),
      [],
      'contributed but not in Commands',
    );
    const elsewhere: string[] = [];
    for (const file of sources) {
      const where = path.relative(repo, file.fileName).split(path.sep).join('/');
      if (where === 'src/common/constants.ts') continue;
      walk(file, (node) => {
        if (ts.isStringLiteralLike(node) && contributed.includes(node.text)) elsewhere.push(`${where}: ${node.text}`);
      });
    }
    assert.deepStrictEqual(elsewhere, [], 'command ids written outside src/common/constants.ts');
  });

  it('declares every setting the code reads with the default the code falls back to', () => {
    const declared: Record<string, { default?: unknown }> = manifest.contributes.configuration.properties;
    const defaults = codeDefaults();
    assert.ok(Object.keys(defaults).length >= 10, 'the DEFAULTS table was read');
    for (const [key, value] of Object.entries(defaults)) {
      const setting = declared[PREFIX + key];
      assert.ok(setting, `${PREFIX}${key} is declared in package.json`);
      assert.deepStrictEqual(setting.default, value, `${PREFIX}${key}: package.json default equals the code's`);
    }
  });

  it('gives the settings guard the scope package.json declares for each setting', () => {
    const declared: Record<string, { scope?: string }> = manifest.contributes.configuration.properties;
    const scopes = configTable('SETTING_SCOPES');
    assert.deepStrictEqual(Object.keys(scopes).sort(), Object.keys(codeDefaults()).sort(), 'a scope for every setting the code reads');
    for (const [key, scope] of Object.entries(scopes)) assert.strictEqual(declared[PREFIX + key]?.scope, scope, `${PREFIX}${key}`);
  });

  it('declares only jiraTokenGuard settings, each with a default', () => {
    for (const [key, setting] of Object.entries<{ default?: unknown }>(manifest.contributes.configuration.properties)) {
      assert.ok(key.startsWith(PREFIX), key);
      assert.ok('default' in setting, `${key} has a default`);
    }
  });
});
