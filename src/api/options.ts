/** Limits and timings of the BILLmanager-compatible API; main.ts fills them from the configuration. */
export interface ApiOptions {
  /** A session from func=auth or su ends after this long without use. */
  sessionIdleMinutes: number;
  /** The largest request body (all parameters and attachments together). */
  maxBodyBytes: number;
  /** At most this many attached files per request. */
  maxFiles: number;
  /** A key from session.newkey must be used within this time (and only once). */
  keyTtlMinutes: number;
  /** A session ends this long after login, however busy. */
  sessionMaxHours: number;
  /** Failed logins to one account that are let through before its attempts are slowed down. */
  freeLoginFailures: number;
  /**
   * The same per remote address: higher, as users behind one NAT or proxy share an address and a
   * success clears only its own account.
   */
  freeAddressFailures: number;
  /** The first wait after the free failures; each further failure doubles it up to the maximum. */
  loginDelaySeconds: number;
  maxLoginDelaySeconds: number;
  /** Failures older than this are forgotten. */
  forgetFailuresMinutes: number;
}

export const DEFAULT_API_OPTIONS: ApiOptions = {
  sessionIdleMinutes: 60,
  sessionMaxHours: 24,
  maxBodyBytes: 10 * 1024 * 1024,
  maxFiles: 10,
  keyTtlMinutes: 60,
  freeLoginFailures: 5,
  freeAddressFailures: 20,
  loginDelaySeconds: 30,
  maxLoginDelaySeconds: 15 * 60,
  forgetFailuresMinutes: 60,
};
