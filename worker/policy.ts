/**
 * Per-route rules: `ROUTE_POLICIES`, then `PUBLIC_PATHS`, then `REQUIRED_GROUPS`/`REQUIRED_SCOPES`.
 *
 * `ROUTE_POLICIES` holds entries separated by `;`, each `[METHODS ]PATTERN REQUIREMENT…`:
 * - `METHODS`: a comma list (`GET,HEAD`); absent, the entry applies to every method. `GET`
 *   includes `HEAD`.
 * - `PATTERN`: as in `PUBLIC_PATHS` (`/a/b` exactly, `/a/*` for `/a` and below).
 * - `REQUIREMENT`s: `public` (no token at all), `token` (any valid token), or any number of
 *   `group:NAME` (one of the listed groups suffices) and `scope:NAME` (every listed scope needed).
 *
 * The first entry matching the method and path decides. A path no entry matches is public if
 * `PUBLIC_PATHS` says so, else it needs `REQUIRED_GROUPS`/`REQUIRED_SCOPES`. An entry is parsed
 * once, at start; a malformed one is a configuration error naming its position, never its text.
 *
 * A path an origin could route otherwise once it decodes escapes, reads `\` as `/` or merges
 * slashes (`/%61dmin`, `/admin%2fx`, `//admin`) is decided twice, as sent and as decoded, and the
 * request must meet both rules: the gate cannot know which one the origin applies. A path holding
 * an encoded `/`, `\` or `%` is never public (SECURITY 39), whatever an entry says.
 */
import { GateError } from "./errors.ts";
import { ambiguous, listedPlainly, matches, parsePattern, readings } from "./paths.ts";
import type { PathPattern } from "./paths.ts";

/** What a rule looks at in a verified identity (worker/verify.ts `Identity`). */
interface Holder {
  readonly groups: readonly string[];
  readonly scopes: readonly string[];
}

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

const PUBLIC: Rule = { public: true };

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
    // HEAD is GET without the body (RFC 9110 §9.3.2), and origins answer it with the GET route:
    // a GET rule must hold for it too, or HEAD would fall through to a weaker rule.
    if (methods.has("GET")) methods.add("HEAD");
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
  for (let i = 0; i < routePolicies.length; i++) {
    const policy = routePolicies[i]!;
    // The path first: most entries fail on it, and comparing it allocates nothing.
    if (!matches(pathname, policy.pattern)) continue;
    if (policy.methods !== undefined && !policy.methods.has(method)) continue;
    // A public entry holds only for a path no origin could read as another (SECURITY 39): the
    // only case that needs `ambiguous`.
    if (!policy.rule.public || !ambiguous(pathname)) return i;
  }
  return listedPlainly(pathname, settings.publicPaths) ? -1 : -2;
}

function ruleOf(decision: number, settings: PolicySettings): Rule {
  if (decision === -1) return PUBLIC;
  return decision === -2 ? settings.fallback : settings.routePolicies[decision]!.rule;
}

export type TokenRule = Extract<Rule, { public: false }>;

/**
 * The token rules a request's method (upper case) and path must meet: none for a public one. A
 * path with a percent-escape, a backslash or an empty segment is also decided as an origin that
 * decodes it would route it, and must meet both rules; one that does not decode at all is
 * refused. `paths` are the path's `readings` (paths.ts), for a caller that has them already.
 */
export function rulesFor(method: string, pathname: string, settings: PolicySettings, paths: readonly string[] = readings(pathname)): readonly TokenRule[] {
  const rules: TokenRule[] = [];
  for (const path of paths) {
    const rule = ruleOf(decide(method, path, settings), settings);
    if (!rule.public && !rules.includes(rule)) rules.push(rule);
  }
  return rules;
}

/** Throws `insufficient_scope` unless the identity meets every rule. Exact names: `admins` is not `admin`. */
export function authorize(identity: Holder, rules: readonly TokenRule[]): void {
  for (const rule of rules) meets(identity, rule);
}

function meets(identity: Holder, rule: TokenRule): void {
  if (rule.groups.length > 0 && !rule.groups.some((group) => identity.groups.includes(group))) {
    throw new GateError("insufficient_scope", "The token lacks a required group");
  }
  if (!rule.scopes.every((scope) => identity.scopes.includes(scope))) {
    throw new GateError("insufficient_scope", "The token lacks a required scope");
  }
}
