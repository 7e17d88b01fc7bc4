/**
 * Browser-side helpers for the element tests: mocha's globals typed, small asserts, polling waits
 * (no blind sleeps), server commands that reach the real cognito-local, request counting.
 */
import { executeServerCommand } from "@web/test-runner-commands";
import { configure, type AuthClient, type AuthOptions } from "../../components/index.ts";

type Hook = (fn: (this: unknown) => unknown) => void;
type Suite = (name: string, fn: () => void) => void;
type Test = (name: string, fn: (this: unknown) => unknown) => void;
const mocha = globalThis as unknown as { describe: Suite; it: Test; before: Hook; after: Hook; beforeEach: Hook; afterEach: Hook };
export const { describe, it, before, after, beforeEach, afterEach } = mocha;

export const CODE = "123456";
export const PASSWORD = "Passw0rd!Test";

export class AssertionError extends Error {}

export function ok(value: unknown, message = "expected a truthy value"): asserts value {
  if (!value) throw new AssertionError(message);
}

export function equal<T>(actual: T, expected: T, message = ""): void {
  if (!Object.is(actual, expected)) {
    throw new AssertionError(`${message ? `${message}: ` : ""}expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

export function deepEqual(actual: unknown, expected: unknown, message = ""): void {
  const a = JSON.stringify(actual);
  const b = JSON.stringify(expected);
  if (a !== b) throw new AssertionError(`${message ? `${message}: ` : ""}expected ${b}, got ${a}`);
}

/** Polls `condition` every animation frame until it returns a truthy value. */
export async function waitFor<T>(condition: () => T, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = condition();
    if (value) return value as NonNullable<T>;
    if (performance.now() > deadline) throw new AssertionError(`timed out waiting for ${what}`);
    await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
  }
}

export interface Pool {
  readonly poolId: string;
  readonly clientId: string;
  readonly issuer: string;
  readonly endpoint: string;
}

export interface User {
  readonly username: string;
  readonly password: string;
  readonly sub: string;
}

export const server = {
  createPool: (options: Record<string, unknown> = {}) => executeServerCommand<Pool, unknown>("cognito:createPool", options),
  createUser: (pool: Pool, options: Record<string, unknown> = {}) =>
    executeServerCommand<User, unknown>("cognito:createUser", { poolId: pool.poolId, ...options }),
  getUser: async (pool: Pool, username: string) =>
    (await executeServerCommand<Record<string, any> | false, unknown>("cognito:getUser", { poolId: pool.poolId, username })) || null,
  call: async (target: string, body: unknown) => {
    const result = await executeServerCommand<any, unknown>("cognito:call", { target, body });
    if (result && typeof result.error === "string") throw Object.assign(new Error(`${target} failed: ${result.error}`), { code: result.error });
    return result;
  },
  deadEndpoint: () => executeServerCommand<string, unknown>("cognito:deadEndpoint"),
  standIn: () => executeServerCommand<{ endpoint: string }, unknown>("standIn:start"),
  rotationStandIn: () => executeServerCommand<{ endpoint: string }, unknown>("rotationStandIn:start"),
  rotations: () => executeServerCommand<Array<{ accepted: boolean }>, unknown>("rotationStandIn:rotations"),
  standInCalls: () => executeServerCommand<Array<{ target: string; body: Record<string, unknown> }>, unknown>("standIn:calls"),
  startGate: (pool: Pool) => executeServerCommand<{ gateUrl: string; index: number }, unknown>("gate:start", { poolId: pool.poolId, pageOrigin: location.origin }),
  originRequests: (index: number) => executeServerCommand<Array<{ path: string; sub: string | null }>, unknown>("gate:originRequests", { index }),
  startFlakyApi: () => executeServerCommand<{ url: string; index: number }, unknown>("flaky:start", { pageOrigin: location.origin }),
  flakyAuthorizations: (index: number) => executeServerCommand<number[], unknown>("flaky:authorizations", { index }),
  screenshot: (name: string, element?: Element) => {
    const rect = element?.getBoundingClientRect();
    const clip = rect && { x: Math.max(0, rect.x - 8), y: Math.max(0, rect.y - 8), width: rect.width + 16, height: rect.height + 16 };
    return executeServerCommand<string, unknown>("screenshot", clip ? { name, clip } : { name });
  },
};

/** Makes `pool` the page's pool, with the password flow cognito-local signs in with; `extra` overrides. */
export function configurePool(pool: Pool, extra: Partial<AuthOptions> = {}): AuthClient {
  return configure({ poolId: pool.poolId, clientId: pool.clientId, endpoint: pool.endpoint, authFlow: "USER_PASSWORD_AUTH", ...extra });
}

/** A new pool (`options` as server.createPool takes them), no tokens stored, configured as the page's pool. */
export async function freshPool(options: Record<string, unknown> = {}, extra: Partial<AuthOptions> = {}): Promise<Pool> {
  const pool = await server.createPool(options);
  localStorage.clear();
  configurePool(pool, extra);
  return pool;
}

let userCount = 0;
export function uniqueName(prefix = "user"): string {
  return `${prefix}${++userCount}-${Date.now().toString(36)}`;
}

/** Creates `tag` with attributes inside a fresh container appended to the body. */
export function mount<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  const container = document.createElement("div");
  container.className = "test-mount";
  container.append(element);
  document.body.append(container);
  return element;
}

export function unmountAll(): void {
  for (const container of document.querySelectorAll(".test-mount")) container.remove();
}

export function input(root: Element, name: string): HTMLInputElement {
  const found = root.querySelector<HTMLInputElement>(`input[name="${CSS.escape(name)}"]`);
  if (!found) throw new AssertionError(`no input named ${name} in <${root.localName}>`);
  return found;
}

/** Types like a user: sets the value and fires `input`. */
export function fill(root: Element, values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    const field = input(root, name);
    field.value = value;
    field.dispatchEvent(new InputEvent("input", { bubbles: true }));
  }
}

/** The button of `root` whose text is `label`. */
export function button(root: Element, label: string): HTMLButtonElement {
  const found = [...root.querySelectorAll("button")].find((candidate) => candidate.textContent?.trim() === label);
  if (!found) throw new Error(`no button "${label}" in <${root.localName}>`);
  return found;
}

export function submitButton(root: Element): HTMLButtonElement {
  const button = root.querySelector<HTMLButtonElement>('form button[type="submit"]');
  if (!button) throw new AssertionError(`no submit button in <${root.localName}>`);
  return button;
}

export function errorText(root: Element): string {
  return root.querySelector('[role="alert"]')?.textContent?.trim() ?? "";
}

/** The message under field `name` (client-side validation), as its aria-describedby names it. */
export function fieldError(root: Element, name: string): string {
  const input = root.querySelector<HTMLInputElement>(`input[name="${name}"]`);
  const ids = input?.getAttribute("aria-describedby")?.split(" ") ?? [];
  const message = ids.map((id) => root.querySelector(`#${CSS.escape(id)}.field-error`)).find(Boolean);
  return message?.textContent?.trim() ?? "";
}

export function heading(root: Element): string {
  return root.querySelector("h2")?.textContent?.trim() ?? "";
}

/** Waits until the element's form settled (done or error) after a submit. */
export function settled(root: Element): Promise<string> {
  return waitFor(() => {
    const state = root.getAttribute("form-state");
    return state === "done" || state === "error" || state === "idle" ? state : "";
  }, `<${root.localName}> to settle`);
}

/** Records the Cognito operation (X-Amz-Target) of every fetch the page makes. */
export function countRequests(): { readonly targets: string[]; restore(): void } {
  const original = window.fetch;
  const targets: string[] = [];
  window.fetch = (resource: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    targets.push((headers.get("x-amz-target") ?? "").split(".").pop() || String(resource));
    return original(resource, init);
  };
  return { targets, restore: () => (window.fetch = original) };
}

/** Every SDK key of a client in a storage. */
export function sdkKeys(storage: Storage, clientId: string): string[] {
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key?.startsWith(`CognitoIdentityServiceProvider.${clientId}.`)) keys.push(key);
  }
  return keys;
}

/** Loads test/.build/frame.html (the elements, configured from the query) in an iframe. */
export async function openFrame(pool: Pool, extra: Record<string, string> = {}): Promise<HTMLIFrameElement> {
  const frame = document.createElement("iframe");
  frame.className = "test-mount";
  frame.style.cssText = "width: 480px; height: 600px";
  const query = new URLSearchParams({ "pool-id": pool.poolId, "client-id": pool.clientId, endpoint: pool.endpoint, "auth-flow": "USER_PASSWORD_AUTH", ...extra });
  frame.src = `/test/.build/frame.html?${query}`;
  document.body.append(frame);
  await waitFor(() => frameStatus(frame) && frameStatus(frame) !== "loading", "the frame to read its session");
  return frame;
}

/** The auth status the frame's own store reports. */
export function frameStatus(frame: HTMLIFrameElement): string {
  const win = frame.contentWindow as (Window & { cognitoTest?: { status(): string } }) | null;
  return win?.cognitoTest?.status() ?? "";
}

export function inFrame<K extends keyof HTMLElementTagNameMap>(frame: HTMLIFrameElement, tag: K): HTMLElementTagNameMap[K] {
  const found = frame.contentDocument?.querySelector(tag);
  if (!found) throw new AssertionError(`no <${tag}> in the frame`);
  return found as HTMLElementTagNameMap[K];
}
