/**
 * AWS credentials from a Cognito identity pool (issue 16): the signed-in user's ID token, or
 * nothing for a guest, traded through GetId and GetCredentialsForIdentity for temporary
 * credentials in the shape AWS SDK v3 credential providers return, so
 * `new S3Client({ credentials: getAwsCredentials })` works. Both operations are unsigned (Cognito
 * Identity API reference). Credentials stay in memory only and never reach an error, a log or an
 * event; errors carry a code and an exception name, nothing else.
 */
import type { AuthClient } from "./client.ts";
import { ConfigError } from "./config.ts";
import { AuthError } from "./errors.ts";
import { authStore, type AuthSnapshot } from "./store.ts";
import { claims } from "./tokens.ts";
import { createCall, type Call } from "./transport.ts";

/** What a credential provider of the AWS SDK v3 resolves with, and the identity it belongs to. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
  /** The identity pool's id for this user (or guest): `<region>:<uuid>`. */
  readonly identityId: string;
}

/** Credentials are fetched again this long before they expire: the margin the AWS SDK v3 uses. */
export const REFRESH_MARGIN_SECONDS = 300;

export interface IdentityCredentialsOptions {
  /** The clock, in milliseconds; default `Date.now`. */
  readonly now?: () => number;
}

/** Who asks: a guest, or a user of the pool with the ID token that proves it. */
interface Login {
  /** The key of this caller's identity id: the identity pool, and the provider and `sub`, or `guest`. */
  readonly key: string;
  readonly logins?: Readonly<Record<string, string>>;
}

interface GetIdAnswer {
  readonly IdentityId?: unknown;
}

interface CredentialsAnswer {
  readonly IdentityId?: unknown;
  readonly Credentials?: { readonly AccessKeyId?: unknown; readonly SecretKey?: unknown; readonly SessionToken?: unknown; readonly Expiration?: unknown };
}

/** Where cognito-identity answers: the configured endpoint (an emulator) or the identity pool region's. */
export function identityEndpoint(config: { readonly identityPoolId: string; readonly identityEndpoint: string | undefined }): string {
  return config.identityEndpoint ?? `https://cognito-identity.${config.identityPoolId.split(":")[0]}.amazonaws.com/`;
}

/** The JSON protocol sends timestamps as epoch seconds (AWS JSON 1.1); a string is read as a date. */
function expirationOf(value: unknown): Date | undefined {
  const date = typeof value === "number" ? new Date(value * 1000) : typeof value === "string" ? new Date(value) : undefined;
  return date && Number.isFinite(date.getTime()) ? date : undefined;
}

/** The credentials of an answer, or AuthError `unknown` when any part is missing. */
function credentialsOf(answer: CredentialsAnswer, identityId: string): AwsCredentials {
  const { AccessKeyId, SecretKey, SessionToken, Expiration } = answer.Credentials ?? {};
  const expiration = expirationOf(Expiration);
  if (typeof AccessKeyId !== "string" || typeof SecretKey !== "string" || typeof SessionToken !== "string" || !expiration) {
    throw new AuthError("unknown");
  }
  return { accessKeyId: AccessKeyId, secretAccessKey: SecretKey, sessionToken: SessionToken, expiration, identityId };
}

/**
 * A copy each caller may keep and change without touching the cache: not frozen, since the AWS SDK
 * v3 marks a credentials object given to a client as it is (it adds `$source`).
 */
function copy(credentials: AwsCredentials): AwsCredentials {
  return { ...credentials, expiration: new Date(credentials.expiration) };
}

/**
 * One app client's identity-pool credentials: cached until REFRESH_MARGIN_SECONDS before they
 * expire, one request at a time (concurrent callers share it), an identity id kept per identity
 * pool and user (a guest's is never sent with a user's token: Cognito would link the two).
 */
export class IdentityCredentials {
  readonly #client: Pick<AuthClient, "config" | "idToken">;
  readonly #call: Call;
  readonly #poolId: string;
  readonly #provider: string;
  readonly #now: () => number;
  readonly #identities = new Map<string, string>();
  #cached: { readonly key: string; readonly credentials: AwsCredentials } | undefined;
  #pending: Promise<AwsCredentials> | undefined;
  /** Bumped by clear(), so an answer that arrives after it is not kept. */
  #generation = 0;

  /** Throws ConfigError when the client's configuration has no `identityPoolId`. */
  constructor(client: Pick<AuthClient, "config" | "idToken">, options: IdentityCredentialsOptions = {}) {
    const { identityPoolId, identityEndpoint: endpoint, region, poolId } = client.config;
    if (!identityPoolId) throw new ConfigError("identityPoolId", "missing", "options");
    this.#client = client;
    this.#poolId = identityPoolId;
    this.#call = createCall(identityEndpoint({ identityPoolId, identityEndpoint: endpoint }), "AWSCognitoIdentityService");
    // The `Logins` key of a user pool (Cognito Identity API reference, GetId).
    this.#provider = `cognito-idp.${region}.amazonaws.com/${poolId}`;
    this.#now = options.now ?? (() => Date.now());
  }

  /**
   * Credentials for whoever is signed in, or for a guest when no one is. Rejects with AuthError:
   * `guests_not_allowed` when the pool refuses guests, `network`, `service_unavailable`,
   * `not_authorized` (the pool does not trust this user pool, or the token), or a refresh failure.
   */
  get(): Promise<AwsCredentials> {
    let pending = this.#pending;
    if (!pending) {
      const started = this.#obtain().finally(() => {
        if (this.#pending === started) this.#pending = undefined;
      });
      this.#pending = pending = started;
    }
    return pending.then(copy);
  }

  /** Forgets the credentials (not the identity ids): after sign-out, or when another user signs in. */
  clear(): void {
    this.#generation++;
    this.#cached = undefined;
    this.#pending = undefined;
  }

  async #obtain(): Promise<AwsCredentials> {
    const generation = this.#generation;
    const login = await this.#login();
    const cached = this.#cached;
    if (cached?.key === login.key && cached.credentials.expiration.getTime() - this.#now() > REFRESH_MARGIN_SECONDS * 1000) {
      return cached.credentials;
    }
    const credentials = await this.#exchange(login);
    if (generation === this.#generation) this.#cached = { key: login.key, credentials };
    return credentials;
  }

  async #login(): Promise<Login> {
    let idToken: string;
    try {
      idToken = await this.#client.idToken();
    } catch (failure) {
      if (failure instanceof AuthError && failure.code === "not_signed_in") return { key: `${this.#poolId} guest` };
      throw failure;
    }
    const { sub } = claims(idToken);
    return { key: `${this.#poolId} ${this.#provider} ${String(sub)}`, logins: { [this.#provider]: idToken } };
  }

  async #exchange(login: Login): Promise<AwsCredentials> {
    const known = this.#identities.get(login.key);
    try {
      return await this.#credentialsFor(known ?? (await this.#getId(login)), login);
    } catch (failure) {
      // An identity removed from the pool since it was kept: ask for a new one, once.
      if (!known || !(failure instanceof AuthError && failure.exception === "ResourceNotFoundException")) throw failure;
      this.#identities.delete(login.key);
      return this.#credentialsFor(await this.#getId(login), login);
    }
  }

  async #getId(login: Login): Promise<string> {
    const body = { IdentityPoolId: this.#poolId, ...(login.logins && { Logins: login.logins }) };
    const answer = await this.#send<GetIdAnswer>("GetId", body, login).catch((failure: unknown) => {
      // GetId names no identity, so "not found" is the pool: the setting is wrong.
      if (failure instanceof AuthError && failure.exception === "ResourceNotFoundException") throw new ConfigError("identityPoolId", "invalid", "options");
      throw failure;
    });
    if (typeof answer.IdentityId !== "string" || !answer.IdentityId) throw new AuthError("unknown");
    this.#identities.set(login.key, answer.IdentityId);
    return answer.IdentityId;
  }

  async #credentialsFor(identityId: string, login: Login): Promise<AwsCredentials> {
    const body = { IdentityId: identityId, ...(login.logins && { Logins: login.logins }) };
    const answer = await this.#send<CredentialsAnswer>("GetCredentialsForIdentity", body, login);
    return credentialsOf(answer, typeof answer.IdentityId === "string" && answer.IdentityId ? answer.IdentityId : identityId);
  }

  /** A guest refused is NotAuthorizedException ("Unauthenticated access is not supported for this identity pool"). */
  async #send<T>(operation: string, body: object, login: Login): Promise<T> {
    try {
      return await this.#call<T>(operation, body);
    } catch (failure) {
      if (!login.logins && failure instanceof AuthError && failure.code === "not_authorized") throw new AuthError("guests_not_allowed", failure.exception);
      throw failure;
    }
  }
}

// --- the page's credentials, bound to authStore

let current: { readonly client: AuthClient; readonly credentials: IdentityCredentials } | undefined;
let watching = false;

/** Who the snapshot says is signed in; `loading` only while a new configuration restores. */
function signedInAs(snapshot: AuthSnapshot): string {
  return snapshot.status === "signed-in" ? `user ${snapshot.username}` : snapshot.status;
}

/** Drops the credentials when the user signs out, another signs in, or the pool changes. */
function watchStore(): void {
  if (watching) return;
  watching = true;
  let last = signedInAs(authStore.snapshot);
  authStore.subscribe(() => {
    if (current && current.client !== authStore.client) {
      current.credentials.clear();
      current = undefined;
    }
    const now = signedInAs(authStore.snapshot);
    if (now !== last && now !== "loading") current?.credentials.clear();
    last = now;
  });
}

/**
 * Temporary AWS credentials for the page's user, from the identity pool `identityPoolId` names
 * (`<cognito-config identity-pool-id>` or `configure({ identityPoolId })`): the signed-in user's
 * own, or a guest's when no one is signed in and the pool allows guests. A credential provider
 * for the AWS SDK v3 as it is: `new S3Client({ region, credentials: getAwsCredentials })`.
 *
 * Cached until five minutes before they expire; concurrent calls share one request; dropped on
 * sign-out and when another user signs in. Rejects with ConfigError (no or a wrong
 * `identityPoolId`, or a bad configuration), or AuthError as IdentityCredentials.get() does.
 */
export async function getAwsCredentials(): Promise<AwsCredentials> {
  const config = authStore.config;
  if (config.state === "error") throw config.error;
  const client = authStore.client;
  if (!client) throw new ConfigError("poolId", "missing", "options");
  watchStore();
  if (current?.client !== client) current = { client, credentials: new IdentityCredentials(client) };
  return current.credentials.get();
}
