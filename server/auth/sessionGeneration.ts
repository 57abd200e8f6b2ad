/**
 * Why: tile requests may reuse a session read for a moment (server/auth/tileSessions.ts), and
 * that memo must not outlive a change to who is signed in. Every write to sessions or users
 * in this process (sign-out, revocation, role, jurisdiction or password change, deletion)
 * bumps this counter, and memoised reads of an older generation are ignored at once.
 * Its own module because both sides (the writers in sessions.ts/users.ts and the memo) import it.
 */
let generation = 0;

/** The current generation of session and user state in this process. */
export const sessionGeneration = () => generation;

/** Called after any write that may change what a session resolves to. */
export function sessionsChanged(): void {
  generation++;
}
