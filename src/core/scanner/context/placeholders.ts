// Values that stand for a secret rather than being one: `${JIRA_TOKEN}`, `<token>`, `****`, `password`.

const PLACEHOLDER_WORD =
  /^(?:your|my|the)?[-_ ]?(?:jira[-_ ]?|atlassian[-_ ]?)?(?:api[-_ ]?)?(?:token|password|passwd|pass|pwd|secret|pat|key|apikey)$/i;
const PLACEHOLDER_SHAPES = [
  /^\$/, // $VAR, ${VAR}, $(command)
  /^%(?:\(\w+\))?[sd]$/, // printf: %s, %(password)s
  /^(?:<.*>|\{.*\}|\[.*\])$/, // <token>, {token}, {{token}}, [password]
  /^(.)\1*$/, // xxx, ****, ...
  /^[x*•]+$/i,
  /^(?:changeme|example|placeholder|redacted|secret|hunter2|p[a@]ssw[o0]rd\d*)$/i,
];

/** `${JIRA_TOKEN}`, `<token>`, `xxx`, `****`, `password`, `token`, `$VAR`, `API_TOKEN`, … */
export function isPlaceholderPassword(password: string): boolean {
  if (password === '' || PLACEHOLDER_WORD.test(password) || PLACEHOLDER_SHAPES.some((shape) => shape.test(password))) return true;
  // An environment variable's name stands for the value: `https://me:JIRA_API_TOKEN@…`.
  return /^[A-Z][A-Z0-9_]*$/.test(password) && /TOKEN|PASS|SECRET|KEY|PAT|PWD/.test(password);
}
