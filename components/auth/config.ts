/**
 * Pool settings for the page, validated once. A bad or missing setting throws a ConfigError naming
 * it in the form the developer wrote it (`pool-id` on `<cognito-config>`, `poolId` in `configure`).
 */

export type AuthFlow = "USER_SRP_AUTH" | "USER_PASSWORD_AUTH" | "USER_AUTH";
export type StorageKind = "local" | "session" | "memory";
/** What a pool signs in with instead of a username (its `UsernameAttributes`). */
export type UsernameAttribute = "email" | "phone_number";

/** What `configure()` accepts. */
export interface AuthOptions {
  /** User pool id, `<region>_<id>` (e.g. `eu-west-1_AbC123`). */
  poolId: string;
  /** App client id (a public client: no secret). */
  clientId: string;
  /** AWS region; default: the part of the pool id before `_`. */
  region?: string;
  /** Cognito API endpoint, for a local emulator; default: the region's AWS endpoint. `https:` except on loopback. */
  endpoint?: string;
  /**
   * Default `USER_SRP_AUTH` (the password never leaves the browser). `USER_AUTH`: Cognito's
   * choice-based sign-in (passkeys, email or SMS codes, the password by SRP); needs `ALLOW_USER_AUTH`
   * on the app client.
   */
  authFlow?: AuthFlow;
  /** `email` or `phone_number` when the pool signs in with that instead of a username; every element asks for it. */
  usernameAttribute?: UsernameAttribute;
  /** Where tokens are kept. Default `local` (survives reloads, shared by tabs). */
  storage?: StorageKind;
  /**
   * Origins `authFetch` may send the access token to (`https://api.example.com`), as a list or
   * separated by spaces or commas. Default: the page's own origin. The token can change the
   * user's email, turn off MFA or delete the account, so it goes nowhere else.
   */
  apiOrigins?: string | readonly string[];
  /**
   * Hosted UI domain, for social and enterprise sign-in (issue 9): `auth.example.com`,
   * `myprefix.auth.eu-west-1.amazoncognito.com` (https assumed) or a full URL.
   */
  domain?: string;
  /** Where the hosted UI sends the user back; must be one of the app client's callback URLs. Required with `domain`. */
  redirectUri?: string;
  /** OAuth scopes asked of the hosted UI, space-separated. Default `openid email profile`. */
  scopes?: string;
  /**
   * Identity pool id, `<region>:<uuid>`, for `getAwsCredentials()` (cognito-elements/credentials);
   * its region is the part before `:`.
   */
  identityPoolId?: string;
  /** cognito-identity endpoint, for a local emulator; default the identity pool region's. `https:` except on loopback. */
  identityEndpoint?: string;
}

/** A validated configuration with every default applied. */
export interface AuthConfig {
  readonly poolId: string;
  readonly clientId: string;
  readonly region: string;
  readonly endpoint: string | undefined;
  readonly authFlow: AuthFlow;
  readonly storage: StorageKind;
  readonly usernameAttribute: UsernameAttribute | undefined;
  /** Origins `authFetch` sends the token to. */
  readonly apiOrigins: readonly string[];
  /** Hosted UI origin (`https://…`, no trailing slash), when set. */
  readonly domain: string | undefined;
  readonly redirectUri: string | undefined;
  readonly scopes: string;
  readonly identityPoolId: string | undefined;
  readonly identityEndpoint: string | undefined;
}

export type ConfigSetting = keyof AuthOptions;
export type ConfigProblem = "missing" | "invalid";

/** How settings are named where they were written. */
export type ConfigSource = "options" | "attributes";

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code = "config";
  /** The setting as the developer wrote it: `pool-id` or `poolId`. */
  readonly setting: string;
  readonly problem: ConfigProblem;

  constructor(setting: ConfigSetting, problem: ConfigProblem, source: ConfigSource) {
    const named = source === "attributes" ? setting.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`) : setting;
    super(`cognito-elements: setting "${named}" is ${problem}`);
    this.setting = named;
    this.problem = problem;
  }
}

const AUTH_FLOWS: readonly AuthFlow[] = ["USER_SRP_AUTH", "USER_PASSWORD_AUTH", "USER_AUTH"];
const STORAGES: readonly StorageKind[] = ["local", "session", "memory"];
const USERNAME_ATTRIBUTES: readonly UsernameAttribute[] = ["email", "phone_number"];
// Shapes from the Cognito API reference (UserPoolIdType, ClientIdType); region loosened so
// emulators (`local_…`) pass.
const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
const CLIENT_ID = /^[\w+]{1,128}$/;
const REGION = /^[a-z0-9-]{1,32}$/;
// IdentityPoolIdType in the Cognito Identity API reference: `<region>:<uuid>`, at most 55 characters.
const IDENTITY_POOL_ID = /^[a-z0-9-]{1,18}:[0-9a-f-]{1,36}$/;

function present(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}

/** `https:`, or plain `http:` on loopback only (an emulator, a dev server): tokens must not cross a network in the clear. */
function isSecureUrl(url: URL): boolean {
  return url.protocol === "https:" || (url.protocol === "http:" && /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(url.hostname));
}

/** An origin (scheme, host, port; nothing else), secure as above. */
function secureOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    return isSecureUrl(url) && url.href === `${url.origin}/` ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

// RFC 6749 §3.3 scope-token characters.
const SCOPES = /^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/;

/**
 * The hosted UI origin. Plain http only on loopback (an emulator): the code exchange returns
 * tokens, which must not cross a network in the clear.
 */
function hostedOrigin(value: string): string | undefined {
  return secureOrigin(value.includes("://") ? value : `https://${value}`);
}

/** The page's own origin, where there is a page. */
function pageOrigin(): string[] {
  return typeof location !== "undefined" && /^https?:$/.test(location.protocol) ? [location.origin] : [];
}

function originList(value: unknown): unknown[] | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "string") return value.split(/[\s,]+/).filter(Boolean);
  return Array.isArray(value) ? value : [value];
}

function oneOf<T extends string>(value: string, allowed: readonly T[]): value is T {
  return (allowed as readonly string[]).includes(value);
}

/** Validates options and applies defaults; throws ConfigError for the first bad setting. */
export function parseConfig(options: Partial<Record<ConfigSetting, unknown>>, source: ConfigSource = "options"): AuthConfig {
  const fail = (setting: ConfigSetting, problem: ConfigProblem): never => {
    throw new ConfigError(setting, problem, source);
  };
  const { poolId, clientId, region, endpoint, authFlow, storage, usernameAttribute, apiOrigins, domain, redirectUri, scopes, identityPoolId, identityEndpoint } = options;
  if (!present(poolId)) fail("poolId", "missing");
  if (!POOL_ID.test((poolId as string).trim())) fail("poolId", "invalid");
  if (!present(clientId)) fail("clientId", "missing");
  if (!CLIENT_ID.test((clientId as string).trim())) fail("clientId", "invalid");
  const pool = (poolId as string).trim();
  const resolvedRegion = present(region) ? region.trim() : pool.slice(0, pool.indexOf("_"));
  if (!REGION.test(resolvedRegion)) fail("region", "invalid");
  const checkEndpoint = (setting: "endpoint" | "identityEndpoint", value: unknown) => {
    if (value && (typeof value !== "string" || !isHttpUrl(value) || !isSecureUrl(new URL(value)))) fail(setting, "invalid");
  };
  checkEndpoint("endpoint", endpoint);
  const identityPool = present(identityPoolId) ? identityPoolId.trim() : undefined;
  if (identityPool && !IDENTITY_POOL_ID.test(identityPool)) fail("identityPoolId", "invalid");
  checkEndpoint("identityEndpoint", identityEndpoint);
  const flow = present(authFlow) ? authFlow.trim() : "USER_SRP_AUTH";
  if (!oneOf(flow, AUTH_FLOWS)) fail("authFlow", "invalid");
  const store = present(storage) ? storage.trim() : "local";
  if (!oneOf(store, STORAGES)) fail("storage", "invalid");
  const signInWith = present(usernameAttribute) ? usernameAttribute.trim() : undefined;
  if (signInWith !== undefined && !oneOf(signInWith, USERNAME_ATTRIBUTES)) fail("usernameAttribute", "invalid");
  const listed = originList(apiOrigins);
  const origins = listed ? listed.map((origin) => (typeof origin === "string" && secureOrigin(origin.trim())) || fail("apiOrigins", "invalid")) : pageOrigin();
  let hosted: string | undefined;
  if (present(domain)) hosted = hostedOrigin(domain.trim()) ?? fail("domain", "invalid");
  if (present(redirectUri) && !hosted) fail("domain", "missing");
  if (hosted && !present(redirectUri)) fail("redirectUri", "missing");
  // Compared character for character with the registered callback URLs: no fragment (RFC 6749 §3.1.2).
  if (hosted && (!isHttpUrl((redirectUri as string).trim()) || (redirectUri as string).includes("#"))) fail("redirectUri", "invalid");
  const scope = present(scopes) ? scopes.trim().split(/\s+/).join(" ") : "openid email profile";
  if (!SCOPES.test(scope)) fail("scopes", "invalid");
  return {
    poolId: pool,
    clientId: (clientId as string).trim(),
    region: resolvedRegion,
    endpoint: present(endpoint) ? endpoint : undefined,
    authFlow: flow as AuthFlow,
    storage: store as StorageKind,
    usernameAttribute: signInWith as UsernameAttribute | undefined,
    apiOrigins: Object.freeze([...new Set(origins)]),
    domain: hosted,
    redirectUri: hosted ? (redirectUri as string).trim() : undefined,
    scopes: scope,
    identityPoolId: identityPool,
    identityEndpoint: (identityEndpoint as string) || undefined,
  };
}
