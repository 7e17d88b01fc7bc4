/**
 * The verifier alone, for bench rows that compare it with aws-jwt-verify and with the whole
 * handler: no verified-token cache, no proxying.
 */
import type { Config } from "../worker/config.ts";
import type { KeySet } from "../worker/jwks.ts";
import { verifyToken } from "../worker/verify.ts";
import type { Identity } from "../worker/verify.ts";

export async function verifyAccessToken(token: string, config: Config, keys: KeySet, now: number): Promise<Identity> {
  return (await verifyToken(token, config, keys, now)).identity;
}
