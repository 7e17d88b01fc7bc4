/**
 * Per-route rules: `ROUTE_POLICIES`, then `PUBLIC_PATHS`, then `REQUIRED_GROUPS`/`REQUIRED_SCOPES`.
 *
 * `ROUTE_POLICIES` holds entries separated by `;`, each `[METHODS ]PATTERN REQUIREMENT…`:
 * - `METHODS`: a comma list (`GET,HEAD`); absent, the entry applies to every method.
 * - `PATTERN`: as in `PUBLIC_PATHS` (`/a/b` exactly, `/a/*` for `/a` and below).
 * - `REQUIREMENT`s: `public` (no token at all), `token` (any valid token), or any number of
 *   `group:NAME` (one of the listed groups suffices) and `scope:NAME` (every listed scope needed).
 *
 * The first entry matching the method and path decides. A path no entry matches is public if
 * `PUBLIC_PATHS` says so, else it needs `REQUIRED_GROUPS`/`REQUIRED_SCOPES`. An entry is parsed
 * once, at start; a malformed one is a configuration error naming its position, never its text.
 *
 * A path an origin could decode to another route (`/reports%2fsecret`, `%252e`) is matched twice,
 * as sent and as decoded: when the two answers name different token rules, neither can be trusted
 * to be the one the origin applies, and the request is refused (400). A "public" answer for such a
 * path never stands: it falls to the rule the decoded path gets, or the fallback.
 */
import { GateError } from "./errors.ts";
import { ambiguous, decodedPath, isPublicPath, matches, parsePattern } from "./paths.ts";
import type { PathPattern } from "./paths.ts";
import type { Identity } from "./verify.ts";

/** What a request must bring. Groups: any one; scopes: all of them. */
export type Rule = { readonly public: true } | { readonly public: false; readonly groups: readonly string[]; readonly scopes: readonly string[] };

export interface RoutePolicy {
  /** Upper-case method names, or undefined for every method. */
  readonly methods: ReadonlySet<string> | undefined;
  readonly pattern: PathPattern;
  readonly rule: Rule;
}

export interface PolicySettings {
  readonly routePolicies: readonly RoutePolicy[];
  readonly publicPaths: readonly PathPattern[];
  /** The rule of a path nothing else matches: `REQUIRED_GROUPS`/`REQUIRED_SCOPES`. */
  readonly fallback: Rule;
}

export const PUBLIC: Rule = { public: true };

/** RFC 9110 §5.6.2 token characters, as methods are spelled; upper case by convention. */
const METHOD = /^[A-Z][A-Z0-9!#$%&'*+.^_`|~-]*$/;
/** Group and scope names as Cognito allows them: no whitespace, no `;` (the entry separator). */
const NAME = /^[^\s;]+$/;

function bad(position: number, rule: string): never {
  throw new GateError("config_invalid", `ROUTE_POLICIES entry ${position} ${rule}`);
}

function requirements(words: readonly string[], position: number): Rule {
  if (words.length === 0) bad(position, "needs a requirement: public, token, group:NAME or scope:NAME");
  if (words.includes("public") || words.includes("token")) {
    if (words.length !== 1) bad(position, "must use public or token alone");
    return words[0] === "public" ? PUBLIC : { public: false, groups: [], scopes: [] };
  }
  const groups: string[] = [];
  const scopes: string[] = [];
  for (const word of words) {
    const colon = word.indexOf(":");
    const kind = word.slice(0, colon);
    const name = word.slice(colon + 1);
    if (colon < 1 || (kind !== "group" && kind !== "scope") || !NAME.test(name)) {
      bad(position, "has a requirement that is not public, token, group:NAME or scope:NAME");
    }
    (kind === "group" ? groups : scopes).push(name);
  }
  return { public: false, groups, scopes };
}

function entry(text: string, position: number): RoutePolicy {
  const words = text.split(/\s+/).filter(Boolean);
  let methods: Set<string> | undefined;
  if (words[0] !== undefined && !words[0].startsWith("/")) {
    const names = words.shift()!.split(",");
    if (!names.every((name) => METHOD.test(name))) bad(position, "has a method list that is not like GET,HEAD");
    methods = new Set(names);
  }
  const pattern = words[0] === undefined ? undefined : parsePattern(words.shift()!);
  if (pattern === undefined) bad(position, "needs a path like /reports/* or /health");
  return { methods, pattern, rule: requirements(words, position) };
}

/** `ROUTE_POLICIES` parsed; an empty or absent setting is no entries. Positions count from 1. */
export function parseRoutePolicies(value: string | undefined): RoutePolicy[] {
  if (value === undefined) return [];
  const entries = value.split(";").map((item) => item.trim());
  // One trailing `;` is forgiven; an empty entry elsewhere is a mistake.
  if (entries.length > 1 && entries.at(-1) === "") entries.pop();
  return entries.map((text, index) => (text === "" ? bad(index + 1, "is empty") : entry(text, index + 1)));
}

/**
 * Index of the first matching policy, -1 for a public path, -2 for the fallback. A path an origin
 * could read otherwise is never public (`paths.ts`), whichever setting says so.
 */
function decide(method: string, pathname: string, settings: PolicySettings): number {
  const { routePolicies } = settings;
  const unclear = ambiguous(pathname);
  for (let i = 0; i < routePolicies.length; i++) {
    const policy = routePolicies[i]!;
    if (policy.methods !== undefined && !policy.methods.has(method)) continue;
    if (matches(pathname, policy.pattern) && !(unclear && policy.rule.public)) return i;
  }
  return isPublicPath(pathname, settings.publicPaths) ? -1 : -2;
}

function ruleOf(decision: number, settings: PolicySettings): Rule {
  if (decision === -1) return PUBLIC;
  return decision === -2 ? settings.fallback : settings.routePolicies[decision]!.rule;
}

const ambiguity = () => new GateError("request_invalid", "The request path can be read as more than one route");

/**
 * The rule for a request's method and path (already free of `..;` segments). A path with a
 * percent-escape or a backslash is also decided as an origin that decodes it would route it.
 */
export function ruleFor(method: string, pathname: string, settings: PolicySettings): Rule {
  const decision = decide(method, pathname, settings);
  if (!/[%\\]/.test(pathname)) return ruleOf(decision, settings);
  const decoded = decodedPath(pathname);
  if (decoded === undefined) throw ambiguity();
  const other = decide(method, decoded, settings);
  const sent = ruleOf(decision, settings);
  if (other === decision) return sent;
  const read = ruleOf(other, settings);
  if (read.public) return sent;
  if (sent.public) return read;
  throw ambiguity();
}

/** Throws `insufficient_scope` unless the identity meets a token rule. Exact names: `admins` is not `admin`. */
export function authorize(identity: Identity, rule: Rule): void {
  if (rule.public) return;
  if (rule.groups.length > 0 && !rule.groups.some((group) => identity.groups.includes(group))) {
    throw new GateError("insufficient_scope", "The token lacks a required group");
  }
  if (!rule.scopes.every((scope) => identity.scopes.includes(scope))) {
    throw new GateError("insufficient_scope", "The token lacks a required scope");
  }
}
