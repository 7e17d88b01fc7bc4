/**
 * cognito-elements/credentials: AWS credentials from a Cognito identity pool for the page's user
 * (issue 16). Its own entry, not re-exported by the package's main entry, so pages that never call
 * AWS directly do not load it; it shares the main entry's auth store (one signed-in user per page).
 */
export { getAwsCredentials, IdentityCredentials, REFRESH_MARGIN_SECONDS } from "./auth/credentials.ts";
export type { AwsCredentials, IdentityCredentialsOptions } from "./auth/credentials.ts";
