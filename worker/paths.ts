/**
 * Path patterns (`PUBLIC_PATHS`, `ROUTE_POLICIES`, `REVOCATION_CHECK_PATHS`,
 * `SHARED_CACHE_PATHS`) and the rules that keep the gate and the origin reading a path the same
 * way.
 *
 * `/a/b` matches only `/a/b`; `/a/*` matches `/a` and anything under `/a/`. Matching is on the
 * path as the URL parser left it: `.`/`..` and `%2e%2e` already resolved, everything else still
 * percent-encoded. An origin may decode further (an encoded slash, a backslash, `%25` decoded
 * twice): `ambiguous` says when it could, and `readings` what it could then see.
 */
import { GateError } from "./errors.ts";

export interface PathPattern {
  readonly path: string;
  readonly prefix: boolean;
}

/** A pattern from configuration, or undefined when the entry is not one. */
export function parsePattern(entry: string): PathPattern | undefined {
  const prefix = entry.endsWith("/*");
  const path = prefix ? entry.slice(0, -2) : entry;
  if (!path.startsWith("/") || /[?#\\%*\s]/.test(path) || (prefix && path === "")) return undefined;
  return { path, prefix };
}

const SLASH = 0x2f;

/** Runs on every request for every entry: compares in place, allocating nothing. */
export function matches(pathname: string, { path, prefix }: PathPattern): boolean {
  if (pathname === path) return true;
  return prefix && pathname.length > path.length && pathname.charCodeAt(path.length) === SLASH && pathname.startsWith(path);
}

/**
 * An encoded slash or backslash, a backslash, or an encoded `%`: an origin that decodes the path
 * (once, or twice for `%25`) could route it elsewhere than the gate matched (`/public/..%2fadmin`,
 * `/public/%252e%252e/admin`).
 */
export function ambiguous(pathname: string): boolean {
  return /%2f|%5c|%25|\\/i.test(pathname);
}

/**
 * Whether `paths` list the path (`/a/b` exactly, `/a/*` below) and no origin could read it as
 * another: how `PUBLIC_PATHS` and `SHARED_CACHE_PATHS` are read (SECURITY 39, 48).
 */
export function listedPlainly(pathname: string, paths: readonly PathPattern[]): boolean {
  return paths.some((pattern) => matches(pathname, pattern)) && !ambiguous(pathname);
}

/** A segment whose name before its first `;` is `.` or `..`, dots and `;` plain or percent-encoded. */
const DOT_SEGMENT_WITH_PARAMETER = /(?:^|\/)(?:\.|%2e){1,2}(?:;|%3b)/i;

/**
 * A segment that is `.` or `..` once `%2e` is read as a dot and a `;` parameter is cut off. The
 * URL parser resolves `..` and `%2e%2e` but keeps `..;x`, which Tomcat, Jetty and Spring resolve
 * after stripping the parameter: `/public/..;/admin` would be public to the gate and `/admin` to
 * the origin, and `/..;/x` would leave ORIGIN_URL's path.
 */
export function hasDotSegment(pathname: string): boolean {
  // Without a parameter, `.` and `..` (plain or encoded) were already resolved by the URL parser.
  return DOT_SEGMENT_WITH_PARAMETER.test(pathname);
}

const MAX_DECODES = 3;

/** A percent-escape, a backslash or an empty segment: an origin may route it as another path. */
function mayReadOtherwise(pathname: string): boolean {
  return /[%\\]|\/\//.test(pathname);
}

/**
 * The path an origin would route that decodes percent-escapes (up to three times), reads `\` as
 * `/` and merges repeated slashes (nginx's `merge_slashes`), with dot segments resolved;
 * undefined when it does not decode to text at all.
 */
function decodedPath(pathname: string): string | undefined {
  let path = pathname;
  for (let round = 0; round < MAX_DECODES && mayReadOtherwise(path); round++) {
    try {
      path = decodeURIComponent(path).replace(/\\/g, "/").replace(/\/{2,}/g, "/");
    } catch {
      return undefined;
    }
    // Resolve what decoding revealed (`/a/../b`) as the URL parser would, on a fixed host.
    path = new URL(path.replace(/[?#]/g, encodeURIComponent), "http://path.invalid").pathname;
  }
  return path;
}

/**
 * The paths the gate must honour for a request: the one sent, and, when an origin may read it
 * otherwise, the one it would then route (`decodedPath`); every check applies to both. A path
 * that does not decode at all is refused.
 */
export function readings(pathname: string): readonly string[] {
  if (!mayReadOtherwise(pathname)) return [pathname];
  const decoded = decodedPath(pathname);
  if (decoded === undefined) throw new GateError("request_invalid", "The request path does not decode");
  return [pathname, decoded];
}
