// How each language reads an environment variable and writes a line comment, for the quick fixes.
// Keyed by VS Code language id; an unknown id is read as a file name or extension (".env",
// "docker-compose.yml", "Dockerfile", "py") so callers without a language id still get a fit.

export interface EnvReference {
  text: string;
  /** Replace the string's quotes too (code), or only the value between them (config files). */
  replacesQuotes: boolean;
}

export interface CommentSyntax {
  prefix: string;
  suffix?: string;
}

type EnvSyntax = (name: string) => string;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const javascriptEnv: EnvSyntax = (name) => (IDENTIFIER.test(name) ? `process.env.${name}` : `process.env[${JSON.stringify(name)}]`);
const getenv: EnvSyntax = (name) => `System.getenv(${JSON.stringify(name)})`;

/** Code languages: the reference replaces the whole string literal. */
const CODE_ENV: Record<string, EnvSyntax> = {
  javascript: javascriptEnv,
  javascriptreact: javascriptEnv,
  typescript: javascriptEnv,
  typescriptreact: javascriptEnv,
  vue: javascriptEnv,
  svelte: javascriptEnv,
  python: (name) => `os.environ[${JSON.stringify(name)}]`,
  java: getenv,
  kotlin: getenv,
  groovy: getenv,
  scala: (name) => `sys.env(${JSON.stringify(name)})`,
  go: (name) => `os.Getenv(${JSON.stringify(name)})`,
  csharp: (name) => `Environment.GetEnvironmentVariable(${JSON.stringify(name)})`,
  fsharp: (name) => `System.Environment.GetEnvironmentVariable(${JSON.stringify(name)})`,
  powershell: (name) => `$env:${name}`,
  ruby: (name) => `ENV[${JSON.stringify(name)}]`,
  php: (name) => `getenv('${name}')`,
  rust: (name) => `std::env::var(${JSON.stringify(name)})`,
  c: (name) => `getenv(${JSON.stringify(name)})`,
  cpp: (name) => `std::getenv(${JSON.stringify(name)})`,
  swift: (name) => `ProcessInfo.processInfo.environment[${JSON.stringify(name)}]`,
  dart: (name) => `Platform.environment['${name}']`,
  perl: (name) => `$ENV{${name}}`,
  lua: (name) => `os.getenv(${JSON.stringify(name)})`,
  r: (name) => `Sys.getenv(${JSON.stringify(name)})`,
  elixir: (name) => `System.get_env(${JSON.stringify(name)})`,
};

/** Configuration languages: the value is replaced in place by what the tool expands. */
const IN_PLACE_ENV: Record<string, EnvSyntax> = {
  makefile: (name) => `$(${name})`,
  bat: (name) => `%${name}%`,
};
const DEFAULT_IN_PLACE: EnvSyntax = (name) => `\${${name}}`;

const SLASHES: CommentSyntax = { prefix: '// ' };
const HASH: CommentSyntax = { prefix: '# ' };
const MARKUP: CommentSyntax = { prefix: '<!-- ', suffix: ' -->' };
const DASHES: CommentSyntax = { prefix: '-- ' };
const SEMICOLON: CommentSyntax = { prefix: '; ' };
const PERCENT: CommentSyntax = { prefix: '% ' };

const COMMENTS: Record<string, CommentSyntax | undefined> = {
  ...Object.fromEntries(
    [
      'javascript',
      'javascriptreact',
      'typescript',
      'typescriptreact',
      'vue',
      'svelte',
      'java',
      'kotlin',
      'groovy',
      'scala',
      'go',
      'csharp',
      'fsharp',
      'rust',
      'c',
      'cpp',
      'objective-c',
      'objective-cpp',
      'swift',
      'dart',
      'php',
      'jsonc',
      'json5',
      'scss',
      'less',
      'proto3',
    ].map((id) => [id, SLASHES]),
  ),
  ...Object.fromEntries(
    [
      'python',
      'shellscript',
      'dotenv',
      'yaml',
      'dockercompose',
      'dockerfile',
      'properties',
      'toml',
      'ruby',
      'perl',
      'powershell',
      'r',
      'elixir',
      'makefile',
      'terraform',
      'hcl',
      'coffeescript',
      'julia',
      'ignore',
      'cmake',
      'nginx',
    ].map((id) => [id, HASH]),
  ),
  ...Object.fromEntries(['html', 'xml', 'xsl', 'markdown', 'svg'].map((id) => [id, MARKUP])),
  ...Object.fromEntries(['sql', 'lua', 'haskell', 'elm'].map((id) => [id, DASHES])),
  ...Object.fromEntries(['ini', 'clojure', 'lisp'].map((id) => [id, SEMICOLON])),
  ...Object.fromEntries(['latex', 'tex', 'matlab', 'erlang'].map((id) => [id, PERCENT])),
  css: { prefix: '/* ', suffix: ' */' },
  bat: { prefix: 'REM ' },
  vb: { prefix: "' " },
  // No comment syntax: ignore by fingerprint instead.
  json: undefined,
  jsonl: undefined,
  plaintext: undefined,
  csv: undefined,
};

const BY_FILE_NAME: Record<string, string> = {
  dockerfile: 'dockerfile',
  'docker-compose.yml': 'dockercompose',
  'docker-compose.yaml': 'dockercompose',
  'compose.yml': 'dockercompose',
  'compose.yaml': 'dockercompose',
  makefile: 'makefile',
  gemfile: 'ruby',
  rakefile: 'ruby',
  jenkinsfile: 'groovy',
  '.gitignore': 'ignore',
  '.npmrc': 'properties',
};

const BY_EXTENSION: Record<string, string> = {
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascriptreact',
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'typescriptreact',
  vue: 'vue',
  svelte: 'svelte',
  py: 'python',
  java: 'java',
  kt: 'kotlin',
  kts: 'kotlin',
  groovy: 'groovy',
  gradle: 'groovy',
  scala: 'scala',
  go: 'go',
  cs: 'csharp',
  fs: 'fsharp',
  ps1: 'powershell',
  psm1: 'powershell',
  psd1: 'powershell',
  rb: 'ruby',
  php: 'php',
  rs: 'rust',
  c: 'c',
  h: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  cxx: 'cpp',
  hpp: 'cpp',
  swift: 'swift',
  dart: 'dart',
  pl: 'perl',
  pm: 'perl',
  lua: 'lua',
  r: 'r',
  ex: 'elixir',
  exs: 'elixir',
  sh: 'shellscript',
  bash: 'shellscript',
  zsh: 'shellscript',
  ksh: 'shellscript',
  env: 'dotenv',
  yml: 'yaml',
  yaml: 'yaml',
  dockerfile: 'dockerfile',
  properties: 'properties',
  ini: 'ini',
  cfg: 'ini',
  conf: 'ini',
  toml: 'toml',
  tf: 'terraform',
  tfvars: 'terraform',
  hcl: 'hcl',
  json: 'json',
  jsonc: 'jsonc',
  json5: 'json5',
  xml: 'xml',
  csproj: 'xml',
  html: 'html',
  htm: 'html',
  md: 'markdown',
  markdown: 'markdown',
  css: 'css',
  scss: 'scss',
  less: 'less',
  sql: 'sql',
  bat: 'bat',
  cmd: 'bat',
  txt: 'plaintext',
  mk: 'makefile',
};

/** A known language id, or the id a file name or extension stands for. */
function languageOf(languageIdOrFile: string): string {
  const id = languageIdOrFile.trim();
  if (Object.hasOwn(COMMENTS, id) || Object.hasOwn(CODE_ENV, id) || Object.hasOwn(IN_PLACE_ENV, id)) return id;
  const base = id.slice(Math.max(id.lastIndexOf('/'), id.lastIndexOf('\\')) + 1).toLowerCase();
  if (Object.hasOwn(BY_FILE_NAME, base)) return BY_FILE_NAME[base];
  if (base === '.env' || base.startsWith('.env.') || base.endsWith('.env')) return 'dotenv';
  if (base.startsWith('dockerfile.') || base.endsWith('.dockerfile')) return 'dockerfile';
  const extension = base.slice(base.lastIndexOf('.') + 1);
  return Object.hasOwn(BY_EXTENSION, extension) ? BY_EXTENSION[extension] : id;
}

export function envReference(languageId: string, varName: string): EnvReference {
  const language = languageOf(languageId);
  if (Object.hasOwn(CODE_ENV, language)) return { text: CODE_ENV[language](varName), replacesQuotes: true };
  const inPlace = Object.hasOwn(IN_PLACE_ENV, language) ? IN_PLACE_ENV[language] : DEFAULT_IN_PLACE;
  return { text: inPlace(varName), replacesQuotes: false };
}

/** The line-comment syntax; undefined where the language has none (JSON, plain text) or is unknown. */
export function ignoreComment(languageId: string): CommentSyntax | undefined {
  const language = languageOf(languageId);
  return Object.hasOwn(COMMENTS, language) ? COMMENTS[language] : undefined;
}
