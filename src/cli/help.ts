// Usage texts, one per command. Kept beside each other so the wording stays consistent.

export const MAIN_HELP = `jira-token-guard: find leaked Jira and Atlassian tokens, and check whether a token works.

Usage:
  jira-token-guard scan [options] [paths...]
  jira-token-guard scan --history [--range A..B] [--since DATE] [options] [folder]
  jira-token-guard scan - [--stdin-name NAME] [options]
  jira-token-guard check --url URL [options]
  jira-token-guard ignore FINGERPRINT... | --from REPORT.json
  jira-token-guard tokens --url URL --token-env NAME [options]
  jira-token-guard tokens --org ORG_ID --admin-key-env NAME [options]
  jira-token-guard <command> --help
  jira-token-guard --version

Commands:
  scan    Scan files (or the staged changes) for Jira and Atlassian tokens.
          Exit status: 0 nothing found, 1 found, 2 usage or read error.
  check   Test a token against Jira and print the verdict (and the expiry, when known).
          Exit status: 0 valid, 1 any other verdict or expiring within
          --expires-within, 2 usage error.
  ignore  Add fingerprints (printed by scan) to .jira-token-guard-ignore.
  tokens  List every token of a Data Center account or of a Cloud organisation, with flags
          (stale, never used, expiring, no expiry). Exit status: 0 none flagged, 1 some
          flagged, 2 usage or access error.
`;

export const SCAN_HELP = `Usage: jira-token-guard scan [options] [paths...]
       jira-token-guard scan --history [--range A..B] [--since DATE] [options] [folder]
       jira-token-guard scan - [--stdin-name NAME] [options]

Scans files for Jira Cloud API tokens, Atlassian access tokens, Bitbucket app passwords, Jira Data
Center personal access tokens, Basic auth headers and passwords in URLs, with the rules of the VS Code
extension. Paths default to the current folder. With a single folder, reported paths are relative to
it (its root); otherwise to the current folder.

Inside a git work tree, the files are those git lists (tracked, and untracked ones not ignored);
elsewhere folders are walked honouring their .gitignore files. .git and node_modules folders, binary
files, files over the size limit and symbolic links are skipped. UTF-16 files with a BOM are decoded.

The text format prints each finding on one line, ending with its fingerprint (a SHA-256 of the
token, not the token): \`jira-token-guard ignore FINGERPRINT\` accepts it for good.

Options:
  -                         Scan standard input (alone: no other path). Read up to the size
                            limit; larger input is an error (exit 2), not a pass.
  --stdin-name NAME         The path reported for standard input (default: stdin), relative to
                            the current folder; the scanner treats the input as that file (so
                            --stdin-name .env scans it as a .env file).
  --exit-zero               Exit 0 even when something is found (a read or usage error is still 2).
  --format text|json|sarif  Output format (default: text). json: 1-based positions, paths relative
                            to the root; sarif: SARIF 2.1.0 for GitHub code scanning.
  -o, --output FILE         Write the report to FILE instead of standard output. FILE is
                            replaced through a new file beside it; a symbolic link, FIFO or
                            device there is refused, not written through.
  --staged                  Scan what is staged in the git index (for a pre-commit hook), every
                            staged file, node_modules included; paths, if given, narrow it like a
                            git pathspec. Paths are relative to the repository's top folder.
  --history                 Scan what every commit added, on every branch and tag (like
                            git log -p --all, additions only), in the repository holding the
                            folder. A secret added in several commits is one finding: the
                            commit that first added it (full id, author, date, path then),
                            then the others. Removing a committed token does not unleak it.
  --range A..B              With --history: only these commits (e.g. main..feature, the
                            commits of a pull request).
  --since DATE              With --history: only commits since DATE (2024-01-31, "6 months ago").
  --baseline FILE           Report only findings whose fingerprint and path are not in FILE (a
                            baseline, or an earlier --format json report): a regular file of at
                            most 32 MB, not a link.
  --write-baseline FILE     Write what this scan found to FILE as a baseline: fingerprints and
                            paths, never the tokens. Written as --output is. Says so on stderr
                            and exits 0: what it found is accepted (2 still on a read error).
  --max-file-size SIZE      Skip larger files: KB, or with a unit (512k, 4m). Default: 2048 KB.
  --no-gitignore            Also scan what .gitignore files exclude.
  --include-node-modules    Also scan node_modules folders.
  --include-git-dir         Also scan .git folders.
  --include-binary          Also scan files that look binary.
  --report-unverified       Also report ATATT3... strings whose checksum is wrong (usually
                            placeholders or truncated examples), with low confidence.
  --no-inline-ignores       Honour no ignore comment in the scanned files (for CI: the files'
                            authors then cannot hide a finding); .jira-token-guard-ignore still
                            applies.
  --ignore-file FILE        Take the fingerprints to ignore from FILE instead of the root's
                            .jira-token-guard-ignore (for a pull request: the base branch's
                            copy). A regular file of at most 1 MB, like the root's.
  --no-ignore-file          Read no ignore list at all: the root's .jira-token-guard-ignore is
                            not read.
  --verify                  Test each finding with the engine of \`check\`: live (accepted), dead
                            (refused) or unknown, with the reason. A Jira Cloud token is sent
                            only to an https://<site>.atlassian.net named next to it (with an
                            account email next to it); a Data Center PAT only to the hosts
                            given with --verify-host or "verifyHosts"; nothing else is sent.
                            Not with --history yet.
  --verify-host URL         A Data Center site --verify may send PATs to (repeatable).
  --only-live               With --verify: report (and fail on) live findings only.
  --config FILE             Read the configuration from FILE instead of the root's
                            .jira-token-guard.json (below).
  --no-config               Read no configuration file.
  -h, --help                Show this help.

Configuration: .jira-token-guard.json at the scanned root (the folder; the repository's top with
--staged and --history; the current folder for -), JSONC, read only as a regular file of at most
64 KB. The VS Code extension reads the same file. An unknown key is an error naming it.
  { "exclude": ["test/fixtures/**"],            globs relative to the root: not reported
    "rules": { "jira-dc-pat": "off" },          rules switched off
    "inlineIgnores": false,                     as --no-inline-ignores
    "reportUnverified": true,                   as --report-unverified
    "maxFileSize": "4MB",                       as --max-file-size (the option wins)
    "verifyHosts": ["https://jira.example.com"] }  as --verify-host
Options given on the command line win; --no-inline-ignores and --report-unverified add to the file.

Ignoring a finding on purpose: a "jira-token-guard:ignore" comment on its line or the line above;
the comments of other scanners with their own meaning (gitleaks:allow, trufflehog:ignore,
secretlint-disable-line and "pragma: allowlist secret" on the finding's line,
secretlint-disable-next-line and "pragma: allowlist nextline secret" on the line above); or its
fingerprint (from --format json: a SHA-256 of the token, not the token) on a line of
.jira-token-guard-ignore at the root, read only when it is a regular file of at most 1 MB.

Exit status: 0 nothing found, 1 findings, 2 usage or read error (with a one-line reason on stderr).
`;

export const IGNORE_HELP = `Usage: jira-token-guard ignore [options] FINGERPRINT...
       jira-token-guard ignore [options] --from REPORT.json

Adds fingerprints to .jira-token-guard-ignore in the current folder (the list the scan, the VS Code
extension's "Ignore in Workspace" and the GitHub action read): each fingerprint once, none that is
already there, in the same format the extension writes. Fingerprints are what the scan prints at the
end of each text line, and the "fingerprint" of each finding of a --format json report. The list
never holds a token; commit it so the team and CI agree. An argument that is not a fingerprint is
refused without being repeated (it might be a token pasted in the wrong place).

Options:
  --from FILE          Add every finding of FILE: a --format json report or a --write-baseline
                       file (a regular file of at most 32 MB). Each line notes the rule and place.
  --comment TEXT       The note written after each fingerprint (default with --from: the rule and
                       the place; none otherwise).
  --ignore-file FILE   Write to FILE instead of ./.jira-token-guard-ignore. A symbolic link, FIFO
                       or device there is refused, not written through.
  -h, --help           Show this help.

Exit status: 0 written (or nothing new to add), 2 usage or read error.
`;

export const CHECK_HELP = `Usage: jira-token-guard check --url URL [--email E | --username U] [--kind KIND]
                              (--token-env NAME | --token-stdin) [options]

Tests a token against Jira as the extension's Test Connection does and prints the verdict in one
sentence. The token is never accepted as an argument: it would show in \`ps\` and in shell history.

Options:
  --url URL            The Jira site: https://your-team.atlassian.net, https://jira.example.com/jira
  --email EMAIL        The Atlassian account's email (Jira Cloud).
  --username NAME      The Jira user name (Data Center basic auth; optional with a PAT).
  --kind KIND          cloud | cloud-scoped | datacenter-pat | datacenter-basic. Default: inferred
                       from the URL and the token's shape.
  --token-env NAME     Read the token from the environment variable NAME.
  --token-stdin        Read the token from standard input (asked for without echo on a terminal).
  --gateway-url URL    Atlassian's API gateway, for scoped tokens. Default: https://api.atlassian.com
  --timeout SECONDS    Give up after this long. Default: 15.
  --json               Print the whole result as JSON instead of a sentence.
  --expires-within D   Exit 1 when the token works but expires within D (30d, 4w, or days), so a
                       scheduled job warns before automation breaks.
  --expires-at DATE    The token's expiry, YYYY-MM-DD, for Cloud tokens (no API tells it). Data
                       Center PATs: read from the PAT API.
  -h, --help           Show this help.

Behind a proxy that re-signs TLS, trust its certificate with NODE_EXTRA_CA_CERTS=/path/to/ca.pem.

A valid token's expiry, when known, is printed after the verdict.

Exit status: 0 valid, 1 any other verdict or expiring within --expires-within, 2 usage error.
`;

export const TOKENS_HELP = `Usage: jira-token-guard tokens --url URL [--kind datacenter-pat] --token-env NAME [options]
       jira-token-guard tokens --org ORG_ID --admin-key-env NAME [--admin-api-url URL] [options]

Lists every token, not only the one you hold, for a scheduled audit:
- a Data Center account's personal access tokens (the PAT API, read with one of them);
- a Cloud organisation's API tokens of every managed user (the organisation admin API, read with an
  admin API key that has the scope read:tokens:admin). Every page is read; a rate limit is waited out.
The token and the key are read from environment variables, never from arguments, and never printed.

Options:
  --url URL              The Data Center site, e.g. https://jira.example.com/jira
  --kind datacenter-pat  The only kind with a token list (the default).
  --token-env NAME       Read the personal access token from the environment variable NAME.
  --org ORG_ID           The Cloud organisation id (admin.atlassian.com shows it in the address).
  --admin-key-env NAME   Read the admin API key from the environment variable NAME.
  --admin-api-url URL    The admin API (for tests and proxies). Default: https://api.atlassian.com
  --stale-days N         Flag tokens unused for more than N days. Default: 90.
  --expires-within N     Flag tokens expiring within N days (30, 30d, 4w). Default: 14.
  --format text|json     Output format (default: text). json: { "tokens": [{ "id", "label", "user"?,
                         "createdAt", "expiresAt"?, "lastActiveAt"?, "flags": [...] }] }
  -h, --help             Show this help.

Flags: stale, never-used (when the server reports use: the admin API does, the PAT API usually
does not), expiring, no-expiry, created-before-2024-12-15 (Cloud tokens from before expiry was
imposed).

Behind a proxy that re-signs TLS, trust its certificate with NODE_EXTRA_CA_CERTS=/path/to/ca.pem.

Exit status: 0 no token flagged, 1 some token flagged, 2 usage or access error (one line on stderr).
`;
