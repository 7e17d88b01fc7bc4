/**
 * What most gate test files start from: a real cognito-local with one pool, one signed-in user,
 * and a real origin that records what reaches it. Fields are filled in `beforeAll`; the origin's
 * record and canned answers are reset before each test.
 */
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startCognitoLocal } from "../../../dev/cognito-local.ts";
import type { CognitoLocal, TestPool, TestUser, Tokens, UserOptions } from "../../../dev/cognito-local.ts";
import { startOrigin } from "./servers.ts";
import type { Origin } from "./servers.ts";

export interface RealParts {
  readonly cognito: CognitoLocal;
  readonly pool: TestPool;
  readonly user: TestUser;
  readonly tokens: Tokens;
  readonly origin: Origin;
  /** Gate settings for this pool and origin, plus `extra`. */
  env(extra?: Record<string, string>): Record<string, string>;
}

export function useRealParts(userOptions: UserOptions = {}): RealParts {
  const parts = {} as { -readonly [K in keyof RealParts]: RealParts[K] };
  parts.env = (extra = {}) => ({
    COGNITO_ISSUER: parts.pool.issuer,
    COGNITO_CLIENT_ID: parts.pool.clientId,
    ORIGIN_URL: parts.origin.url,
    ...extra,
  });

  beforeAll(async () => {
    parts.cognito = await startCognitoLocal();
    parts.pool = await parts.cognito.createPool();
    parts.user = await parts.pool.createUser(userOptions);
    parts.tokens = await parts.pool.signIn(parts.user.username, parts.user.password);
    parts.origin = await startOrigin();
  });

  afterAll(async () => {
    await parts.origin?.close();
    await parts.cognito?.stop();
  });

  beforeEach(() => {
    parts.origin.requests.length = 0;
    parts.origin.responseHeaders = {};
    parts.origin.gzip = false;
  });

  return parts;
}
