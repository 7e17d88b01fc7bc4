/**
 * What every example page needs to reach the test's user pool. The test server embeds it in the
 * page as `<script type="application/json" id="cognito-settings">`; a real app would hard-code
 * its pool, or read it from its own config.
 */
export interface PoolSettings {
  readonly poolId: string;
  readonly clientId: string;
  /** cognito-local's URL; omit for AWS. */
  readonly endpoint: string;
}

export function readSettings(): PoolSettings {
  const element = document.getElementById("cognito-settings");
  if (!element?.textContent) throw new Error("the page has no #cognito-settings");
  return JSON.parse(element.textContent) as PoolSettings;
}
