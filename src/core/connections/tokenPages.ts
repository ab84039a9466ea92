// Where a user creates and revokes the token of a connection.
import { type Connection, isCloudKind } from './connection';

export const CLOUD_TOKEN_PAGE = 'https://id.atlassian.com/manage-profile/security/api-tokens';
export const BITBUCKET_APP_PASSWORDS_PAGE = 'https://bitbucket.org/account/settings/app-passwords/';

export function tokenPageUrl(connection: Pick<Connection, 'kind' | 'baseUrl'>): string {
  if (isCloudKind(connection.kind)) return CLOUD_TOKEN_PAGE;
  // Data Center: the Personal Access Tokens tab of the user profile.
  return `${connection.baseUrl}/secure/ViewProfile.jspa?selectedTab=com.atlassian.pats.pats-plugin:jira-user-personal-access-tokens`;
}

/** Bitbucket Data Center: the user's HTTP access tokens (Manage account › HTTP access tokens). */
export function bitbucketDcTokenPageUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/plugins/servlet/access-tokens/manage`;
}
