/** A failure whose message is meant for the user as is: plain words, the next step, never a secret. */
export class UserFacingError extends Error {}
