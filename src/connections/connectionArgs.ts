// The argument shapes the connection commands accept, so keybindings, other extensions and tests can
// drive them without prompts (common/commandArgs.ts tells them from a tree node passed by a menu).
import { type ConnectionInput } from '../core/connections/connectionInput';

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
