// Every sentence a credential check can show, in one table so the wording stays consistent.
// A message says what happened in plain words; a hint says what to do next. Neither ever holds a secret.
import { type ConnectionKind } from '../connections/connection';
import { KIND_LABELS } from '../connections/kindLabels';
import { CLOUD_TOKEN_PAGE, tokenPageUrl } from '../connections/tokenPages';

export interface MessageContext {
  kind: ConnectionKind;
  /** Email (Cloud) or user name (Data Center basic). */
  user?: string;
  host: string;
  baseUrl: string;
  displayName?: string;
  loginUrl?: string;
  redirectOrigin?: string;
  retryAfterSeconds?: number;
  httpStatus?: number;
  requestId?: string;
  timeoutMs?: number;
  expiresAt?: string;
  cloudId?: string;
}

export interface Wording {
  message: string;
  hint?: string;
}

function credentialNoun(kind: ConnectionKind): string {
  return KIND_LABELS[kind].credential;
}

function forUser(c: MessageContext): string {
  return c.user ? ` for ${c.user}` : '';
}

function signedInAs(c: MessageContext): string {
  const who = c.displayName ?? c.user;
  return who ? `, signed in as ${who}` : '';
}

/** Where to get a new credential of this kind, phrased as the next step. */
function replaceHint(c: MessageContext): string {
  switch (c.kind) {
    case 'cloud':
    case 'cloud-scoped':
      return `Create a new token at ${tokenPageUrl(c)} and use Replace Token.`;
    case 'datacenter-pat':
      return `Create a new personal access token in your Jira profile (${tokenPageUrl(c)}) and use Replace Token.`;
    case 'datacenter-basic':
      return `Check the user name and password. Better: create a personal access token in your Jira profile (${tokenPageUrl(c)}) and switch this connection to it.`;
  }
}

function requestIdNote(c: MessageContext): string {
  return c.requestId ? ` Quote request id ${c.requestId}.` : '';
}

function seconds(ms: number | undefined): string {
  const s = Math.max(1, Math.round((ms ?? 0) / 1000));
  return s === 1 ? '1 second' : `${s} seconds`;
}

export const MESSAGES = {
  valid: (c: MessageContext): Wording => ({ message: `Jira accepted the ${credentialNoun(c.kind)}${signedInAs(c)}.` }),
  validButScoped: (c: MessageContext): Wording => ({
    message: `Jira accepted the token only through Atlassian's API gateway${signedInAs(c)}: it is a scoped API token.`,
    hint: `Use the kind “${KIND_LABELS['cloud-scoped'].label}” for this connection, so its requests go through the gateway.`,
  }),
  validButUnscoped: (c: MessageContext): Wording => ({
    message: `Jira accepted the token on the site itself, not through the API gateway${signedInAs(c)}: it is an unscoped API token.`,
    hint: `Use the kind “${KIND_LABELS.cloud.label}” for this connection, so its requests go to the site.`,
  }),
  validPastStoredExpiry: (c: MessageContext): Wording => ({
    message: `Jira accepted the ${credentialNoun(c.kind)}${signedInAs(c)}, although its recorded expiry date has passed.`,
    hint: 'Correct the expiry date stored for this connection.',
  }),

  invalid: (c: MessageContext): Wording => ({ message: `Jira refused the ${credentialNoun(c.kind)}${forUser(c)}.`, hint: replaceHint(c) }),
  invalidScoped: (c: MessageContext): Wording => ({
    message: `Jira refused the ${credentialNoun(c.kind)}${forUser(c)} on the site and through the API gateway.`,
    hint: replaceHint(c),
  }),
  anonymousAnswer: (c: MessageContext): Wording => ({
    message: `Jira answered as an anonymous visitor: it refused the ${credentialNoun(c.kind)}${forUser(c)}.`,
    hint: replaceHint(c),
  }),
  passwordsDisabled: (c: MessageContext): Wording => ({
    message: 'This Jira site no longer accepts passwords for API access.',
    hint: `Create a personal access token in your Jira profile (${tokenPageUrl(c)}) and switch this connection to it.`,
  }),
  expired: (c: MessageContext): Wording => ({
    message: `The ${credentialNoun(c.kind)}${forUser(c)} has expired.`,
    hint: c.kind === 'datacenter-pat' ? `Expired tokens cannot be renewed. ${replaceHint(c)}` : replaceHint(c),
  }),
  captcha: (c: MessageContext): Wording => ({
    message: `Jira asks for a CAPTCHA${forUser(c)} after too many failed logins, so it refuses API calls.`,
    hint: `Log in once in a browser${c.loginUrl ? ` at ${c.loginUrl}` : ''}, then test again.`,
  }),
  forbidden: (c: MessageContext): Wording => ({
    message: `Jira recognised the ${credentialNoun(c.kind)}${forUser(c)} but refused access (HTTP 403).`,
    hint: `The account may be deactivated, lack Jira access, or be blocked by an IP allowlist: ask your Jira administrator.${requestIdNote(c)}`,
  }),
  missingScope: (c: MessageContext): Wording => ({
    message: `The ${credentialNoun(c.kind)}${forUser(c)} lacks the scope needed to read the user's own profile.`,
    hint: `Create a scoped token that includes read:jira-user at ${CLOUD_TOKEN_PAGE} and use Replace Token.`,
  }),
  rateLimited: (c: MessageContext): Wording => ({
    message: 'Jira is limiting requests right now and did not check the token.',
    hint: c.retryAfterSeconds !== undefined ? `Try again in ${seconds(c.retryAfterSeconds * 1000)}.` : 'Try again in a few minutes.',
  }),
  unavailable: (c: MessageContext): Wording => ({
    message: `Jira is temporarily unavailable (HTTP ${c.httpStatus ?? 503}) and did not check the token.`,
    hint: c.retryAfterSeconds !== undefined ? `Try again in ${seconds(c.retryAfterSeconds * 1000)}.` : 'Try again in a few minutes.',
  }),
  serverError: (c: MessageContext): Wording => ({
    message: `Jira failed with a server error (HTTP ${c.httpStatus}) and did not check the token.`,
    hint: `Try again later; if it keeps failing, tell your Jira administrator.${requestIdNote(c)}`,
  }),
  unexpectedStatus: (c: MessageContext): Wording => ({
    message: `Jira gave an answer this check does not understand (HTTP ${c.httpStatus}).`,
    hint: `Check the base URL; if it is right, tell your Jira administrator.${requestIdNote(c)}`,
  }),

  notJira: (c: MessageContext): Wording => ({
    message: "This URL does not answer like Jira's REST API.",
    hint:
      c.kind === 'datacenter-pat' || c.kind === 'datacenter-basic'
        ? 'Check the base URL, including a context path such as /jira if your site has one.'
        : 'Check the base URL: it should be your site address, such as https://your-site.atlassian.net.',
  }),
  redirectedToLogin: (c: MessageContext): Wording => ({
    message: 'The server sent the request to a login page instead of answering: the site may sit behind single sign-on.',
    hint: `Check that the base URL is Jira itself and that your administrator allows token access past single sign-on${c.loginUrl ? ` (login page: ${c.loginUrl})` : ''}.`,
  }),
  redirectedElsewhere: (c: MessageContext): Wording => ({
    message: `The server redirects this request to another address (${c.redirectOrigin}), so the token was not sent.`,
    hint: `If Jira lives at ${c.redirectOrigin}, use that as the base URL.`,
  }),
  redirectedWithCredentials: (): Wording => ({
    message:
      'The server redirects this request to an address that carries its own user name and password, so the request was not sent there.',
    hint: 'Check the base URL and the server in front of Jira: a redirect must not put credentials into the address.',
  }),
  tooManyRedirects: (): Wording => ({
    message: 'The server redirected the request too many times.',
    hint: 'Check the base URL; use the address Jira finally lands on in a browser.',
  }),
  noCloudId: (): Wording => ({
    message: 'This site did not give its Cloud id, which a scoped API token needs.',
    hint: 'Check the base URL: it should be your site address, such as https://your-site.atlassian.net.',
  }),

  gatewayAsSite: (): Wording => ({
    message: "This is Atlassian's API gateway, not a Jira site address.",
    hint: 'Use your site address, such as https://your-site.atlassian.net; scoped tokens are routed through the gateway automatically.',
  }),
  cloudSiteForDataCenter: (c: MessageContext): Wording => ({
    message: `${c.host} is a Jira Cloud site, but this connection is set up for Data Center.`,
    hint: 'Add a Cloud connection with your email address and an API token instead.',
  }),
  unknownCloudId: (c: MessageContext): Wording => ({
    message: `Atlassian's API gateway does not know this site's Cloud id${c.cloudId ? ` (${c.cloudId})` : ''}.`,
    hint: 'Check the site address; if the site was renamed or moved, add the connection again so its Cloud id is looked up anew.',
  }),

  hostNotFound: (c: MessageContext): Wording => ({
    message: `The host ${c.host} could not be found.`,
    hint: 'Check the address for typos, and that you are on the right network or VPN.',
  }),
  unreachable: (c: MessageContext): Wording => ({
    message: `Could not connect to ${c.host}.`,
    hint: 'Check that the site is up and that you are on the right network or VPN.',
  }),
  proxyFailed: (c: MessageContext): Wording => ({
    message: `The proxy between this computer and ${c.host} refused or failed the connection.`,
    hint: 'Check the http.proxy setting, the proxy credentials, and whether the proxy allows this host.',
  }),
  timeout: (c: MessageContext): Wording => ({
    message: `Jira did not answer within ${seconds(c.timeoutMs)}.`,
    hint: 'The site may be slow or blocked by a firewall: try again, or check your network or VPN.',
  }),
  tlsSelfSigned: (c: MessageContext): Wording => ({
    message: `The certificate of ${c.host} is not signed by an authority this computer trusts (self-signed or a private company CA).`,
    hint: "Ask your administrator for the company's CA certificate and add it to this computer's trusted certificates.",
  }),
  tlsExpired: (c: MessageContext): Wording => ({
    message: `The certificate of ${c.host} has expired.`,
    hint: 'Tell the site administrator; do not turn certificate checks off.',
  }),
  tlsWrongHost: (c: MessageContext): Wording => ({
    message: `The certificate presented by ${c.host} belongs to a different host name.`,
    hint: 'Check the address: use the exact host name the site is known by.',
  }),
  tlsOther: (c: MessageContext): Wording => ({
    message: `A secure connection to ${c.host} could not be set up.`,
    hint: 'Check the address and any company proxy or firewall that inspects secure traffic.',
  }),

  plainHttp: (): Wording => ({
    message: 'Refusing to send a token over plain http to a non-local host.',
    hint: 'Use the https:// address of the site.',
  }),
  badUrl: (): Wording => ({
    message: 'The Jira address is not a valid https URL.',
    hint: 'Enter the site address, such as https://your-site.atlassian.net or https://jira.example.com/jira.',
  }),
  credentialsInUrl: (): Wording => ({
    message: 'The Jira address contains a user name or password.',
    hint: 'Remove them from the address: the token is stored separately.',
  }),
  missingUser: (c: MessageContext): Wording => ({
    message: c.kind === 'datacenter-basic' ? 'This connection has no user name.' : 'This connection has no email address.',
    hint: 'Edit the connection and fill it in.',
  }),
  missingToken: (c: MessageContext): Wording => ({
    message: `No ${credentialNoun(c.kind)} is stored for this connection.`,
    hint: replaceHint(c),
  }),
  cancelled: (): Wording => ({ message: 'The check was cancelled.' }),
  bug: (): Wording => ({
    message: 'The check failed unexpectedly.',
    hint: 'See the output channel for details and try again.',
  }),
} satisfies Record<string, (c: MessageContext) => Wording>;

export type MessageKey = keyof typeof MESSAGES;

export function say(key: MessageKey, context: MessageContext): Wording {
  return MESSAGES[key](context);
}
