// The argument shapes the connection commands accept, so keybindings, other extensions and tests can
// drive them without prompts. A tree node passed by a menu is recognised too.
import { ConnectionInput } from '../core/connections/connectionInput';
import { ConnectionNode, DetailNode } from './connectionsTree';

export interface AddConnectionArgs extends ConnectionInput {
  /** Check the token against Jira before saving; a failed check saves nothing. */
  verify?: boolean;
  /** Save even when the token's shape contradicts the kind. */
  allowShapeMismatch?: boolean;
}

export interface ConnectionRef {
  id: string;
}

export interface EditConnectionArgs extends ConnectionRef {
  label?: string;
  baseUrl?: string;
  email?: string;
  username?: string;
  /** ISO date or YYYY-MM-DD; an empty string clears the expiry. */
  expiresAt?: string;
}

export interface ReplaceTokenArgs extends ConnectionRef {
  token: string;
  expiresAt?: string;
  allowShapeMismatch?: boolean;
}

/** How a replacement token reached Replace Token: typed or picked by the user, or given by a command's argument object. */
export interface ReplaceOptions {
  /** Called from Add Connection's "Replace Its Token": the user types the token. */
  fromAdd?: boolean;
  /** The user chose this connection for the token (the leak quick fix's pick list). */
  userChose?: boolean;
}

/** True when the command was given its inputs (and so must not prompt). */
export function isArgumentObject(arg: unknown): arg is Record<string, unknown> {
  return typeof arg === 'object' && arg !== null && !(arg instanceof ConnectionNode) && !(arg instanceof DetailNode) && !Array.isArray(arg);
}

/** The connection id a command was invoked on: `{id}`, a tree node, or nothing (then the command asks). */
export function connectionIdOf(arg: unknown): string | undefined {
  if (arg instanceof ConnectionNode) return arg.connection.id;
  if (arg instanceof DetailNode) return arg.connectionId;
  if (isArgumentObject(arg) && typeof arg.id === 'string') return arg.id;
  return undefined;
}
