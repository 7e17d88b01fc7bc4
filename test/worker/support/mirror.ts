/** A counting key-set server that serves the keys of a real cognito-local pool. */
import type { JWK } from "jose";
import type { TestPool } from "../../../dev/cognito-local.ts";
import { startKeySetServer } from "./servers.ts";
import type { KeySetServer } from "./servers.ts";

export async function mirrorKeySet(pool: TestPool): Promise<KeySetServer> {
  const { keys } = (await (await fetch(pool.jwksUri)).json()) as { keys: JWK[] };
  return startKeySetServer(keys);
}
