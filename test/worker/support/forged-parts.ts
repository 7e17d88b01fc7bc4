/**
 * What the key-set tests start from: a key-set server the test controls (it counts fetches and
 * can fail on demand), one RSA signer whose key it serves, and a real origin that records what
 * reaches it. Fields are filled in `beforeAll` and reset before each test.
 */
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startKeySetServer, startOrigin } from "./servers.ts";
import type { KeySetServer, Origin } from "./servers.ts";
import { rsaSigner } from "./tokens.ts";
import type { Signer } from "./tokens.ts";

export interface ForgedParts {
  readonly origin: Origin;
  readonly keySet: KeySetServer;
  readonly signer: Signer;
}

export function useForgedParts(): ForgedParts {
  const parts = {} as { -readonly [K in keyof ForgedParts]: ForgedParts[K] };

  beforeAll(async () => {
    parts.origin = await startOrigin();
    parts.signer = await rsaSigner();
    parts.keySet = await startKeySetServer();
  });

  afterAll(async () => {
    await parts.origin?.close();
    await parts.keySet?.close();
  });

  beforeEach(() => {
    parts.origin.requests.length = 0;
    parts.keySet.fetches = 0;
    parts.keySet.keys = [parts.signer.jwk];
    parts.keySet.mode = "ok";
  });

  return parts;
}
