/**
 * Runs the real `handle()` against real servers, and checks what SECURITY.md asks of every
 * refusal: the status, the origin saw nothing, nothing secret in the body or the logs.
 */
import { afterEach, beforeEach, expect, vi } from "vitest";
import { parseConfig } from "../../../worker/config.ts";
import { createDeps, handle } from "../../../worker/http.ts";
import type { Deps, DepsOptions } from "../../../worker/http.ts";
import type { Config } from "../../../worker/config.ts";
import type { Origin } from "./servers.ts";

export const GATE = "http://gate.test";

export interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

export interface Gate {
  readonly config: Config;
  readonly deps: Deps;
  send(request: Request | string, init?: RequestInit): Promise<Answer>;
  /** `send` with `Authorization: Bearer <token>` on `path` (default `/api/things`). */
  bearer(token: string, path?: string, init?: RequestInit): Promise<Answer>;
}

export function createGate(env: Record<string, string>, options: DepsOptions = {}): Gate {
  const config = parseConfig(env);
  const deps = createDeps(config, options);
  async function send(request: Request | string, init?: RequestInit): Promise<Answer> {
    const req = typeof request === "string" ? new Request(new URL(request, GATE), init) : request;
    const response = await handle(req, config, deps);
    return { status: response.status, headers: response.headers, body: await response.text() };
  }
  return {
    config,
    deps,
    send,
    bearer: (token, path = "/api/things", init = {}) => {
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${token}`);
      return send(path, { ...init, headers });
    },
  };
}

/** Every console line written during the current test. */
export function captureConsole(): string[] {
  const lines: string[] = [];
  beforeEach(() => {
    lines.length = 0;
    for (const method of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        lines.push(args.map((arg) => (arg instanceof Error ? `${arg.stack} ${String(arg.cause)}` : typeof arg === "string" ? arg : JSON.stringify(arg))).join(" "));
      });
    }
  });
  afterEach(() => vi.restoreAllMocks());
  return lines;
}

/** The token, each of its segments, and the claim values a leak would show. */
export function secretsOf(token: string, ...values: unknown[]): string[] {
  const secrets = [token, ...token.split(".")].filter((part) => part.length >= 8);
  for (const value of values) {
    if (typeof value === "string" && value.length >= 4) secrets.push(value);
  }
  return secrets;
}

export function expectNoLeak(text: string, secrets: readonly string[]): void {
  for (const secret of secrets) expect(text.includes(secret), "a token or claim value leaked").toBe(false);
}

export interface Refusal {
  origin: Origin;
  logs: readonly string[];
  secrets?: readonly string[];
  /** The `error` member of the JSON body. */
  code?: string;
}

/** Status as stated, JSON error body, no origin request, no secret in body, headers or logs. */
export function expectRefused(answer: Answer, status: number, { origin, logs, secrets = [], code }: Refusal): void {
  expect(answer.status).toBe(status);
  expect(origin.requests).toHaveLength(0);
  const body = JSON.parse(answer.body) as { error: string; message: string };
  expect(typeof body.error).toBe("string");
  if (code) expect(body.error).toBe(code);
  if (status === 401) expect(answer.headers.get("www-authenticate")).toMatch(/^Bearer realm="api"/);
  const everything = [answer.body, ...answer.headers.values(), ...logs].join("\n");
  expectNoLeak(everything, secrets);
}
