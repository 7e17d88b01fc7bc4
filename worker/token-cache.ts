/**
 * Verified-token cache (issue 6): a token that passed full verification is answered from memory
 * on its next requests, sparing the signature check (the bulk of the gate's CPU), while keeping
 * every guarantee of a full check:
 *
 * - Only successes are stored, and only under the exact token string: a failure cannot be
 *   cached, and no other string (not even one sharing the signature segment) can hit an entry.
 * - Never past `exp`, and no clock tolerance on a hit: a hit is refused from `exp` on, where a
 *   full check would still allow its few seconds of leeway. Never before `nbf`/`iat` either.
 * - Only while the key that verified it is in the key set, and only while that set is fresh
 *   (jose's `cacheMaxAge`): a stale set makes every lookup miss, the full check that follows
 *   makes jose refetch, and a key gone from the new set takes its tokens with it (SECURITY 21).
 * - Group/scope checks are not cached: they run on the identity for every request.
 *
 * Memory is bounded by the tokens' own size (≤ 8 KB each, `MAX_TOKEN_LENGTH`) plus a flat
 * allowance per entry and a charge per group and scope for the identity; the oldest entries go
 * first (insertion order). A Workers isolate has 128 MB: the default 8 MB holds about 6,000 ~1 KB
 * Cognito tokens, about an hour of distinct callers for an isolate, and 1,000 tokens of the
 * maximum size.
 */
import type { JSONWebKeySet, JWK } from "jose";
import type { KeySet } from "./jwks.ts";
import type { Verified } from "./verify.ts";

interface Entry extends Verified {
  /** The key-set snapshot and key the token was last known good under. */
  set: JSONWebKeySet;
  key: JWK;
  readonly bytes: number;
}

export interface TokenCache {
  /** What verifying this token found earlier, if it is still good at `now` under the current key set. */
  get(token: string, now: number): Verified | undefined;
  /**
   * Stores a token that just passed full verification. `setBefore` is `keys.current()` read
   * before verification began: if the set was refetched meanwhile, the key that verified the
   * token is not known for sure, and nothing is stored.
   */
  add(token: string, verified: Verified, setBefore: object | undefined, now: number): void;
  readonly size: number;
}

/** Identity, entry and Map overhead, counted on top of the token's characters. */
const ENTRY_OVERHEAD_BYTES = 512;
/**
 * Each group and scope is a string of its own plus an array slot: ~1,500 one-letter groups fit in
 * an 8 KB token and would cost several times the token's size, uncounted.
 */
const LIST_ITEM_OVERHEAD_BYTES = 32;

function entryBytes(token: string, { groups, scopes }: Verified["identity"]): number {
  let bytes = token.length + ENTRY_OVERHEAD_BYTES;
  for (const item of [...groups, ...scopes]) bytes += LIST_ITEM_OVERHEAD_BYTES + 2 * item.length;
  return bytes;
}

function keyIn(set: JSONWebKeySet, kid: string): JWK | undefined {
  return set.keys.find((key) => key.kid === kid);
}

/** The same public key and usage, as fetched in another copy of the set. */
function sameKey(a: JWK, b: JWK): boolean {
  return a.kty === b.kty && a.n === b.n && a.e === b.e && a.alg === b.alg && a.use === b.use;
}

export function createTokenCache(keys: Pick<KeySet, "current">, maxBytes: number): TokenCache {
  const entries = new Map<string, Entry>();
  let bytes = 0;

  function drop(token: string, entry: Entry): void {
    entries.delete(token);
    bytes -= entry.bytes;
  }

  /** Whether the entry's key is in `set` (rebinding the entry to a refetched copy of it). */
  function keyStillIn(entry: Entry, set: JSONWebKeySet): boolean {
    if (set === entry.set) return true;
    const key = keyIn(set, entry.kid);
    if (key === undefined || !sameKey(key, entry.key)) return false;
    entry.set = set;
    entry.key = key;
    return true;
  }

  return {
    get(token, now) {
      const entry = entries.get(token);
      if (entry === undefined) return undefined;
      const set = keys.current();
      // A stale set: miss, so that the full check refetches it; the entry stays for the new set.
      if (set === undefined) return undefined;
      if (now < entry.fromMs || now >= entry.expMs || !keyStillIn(entry, set)) {
        drop(token, entry);
        return undefined;
      }
      return entry;
    },
    add(token, verified, setBefore, now) {
      const set = keys.current();
      if (set === undefined || set !== setBefore || now >= verified.expMs || now < verified.fromMs) return;
      const key = keyIn(set, verified.kid);
      const size = entryBytes(token, verified.identity);
      if (key === undefined || size > maxBytes) return;
      const old = entries.get(token);
      if (old) drop(token, old);
      entries.set(token, { ...verified, set, key, bytes: size });
      bytes += size;
      for (const [oldest, entry] of entries) {
        if (bytes <= maxBytes) break;
        drop(oldest, entry);
      }
    },
    get size() {
      return entries.size;
    },
  };
}
