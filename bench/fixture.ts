/**
 * The synthetic token world every gate bench shares: one 2048-bit RS256 key, its key set served
 * by a loopback server (whose request count is the key-set fetch figure), and thousands of
 * distinct valid access tokens for the issuer `${server}/${pool}`.
 */
import { startKeySetServer, type KeySetServer } from "./gate.ts";
import { BENCH_POOL, createKeySet, signMany, type KeySet } from "./tokens.ts";

export interface Fixture {
  keyServer: KeySetServer;
  keys: KeySet;
  issuer: string;
  tokens: string[];
  close(): Promise<void>;
}

export async function createFixture(tokenCount: number): Promise<Fixture> {
  const keyServer = await startKeySetServer({ keys: [] });
  const issuer = `${keyServer.url}/${BENCH_POOL}`;
  const keys = await createKeySet(issuer);
  keyServer.serve(keys.jwks);
  const tokens = await signMany(keys, tokenCount);
  return { keyServer, keys, issuer, tokens, close: () => keyServer.close() };
}
