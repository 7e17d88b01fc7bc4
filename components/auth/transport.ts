/**
 * The one way the client reaches Cognito: a POST of JSON to the user-pool API, the operation named
 * in `X-Amz-Target` (Cognito's "JSON 1.1" protocol). The operations used here take no AWS
 * signature: they are authorised by the app client id, a challenge session or the user's access
 * token in the body. Failures become AuthError; the raw Cognito message never leaves this file.
 */
import { AuthError, toAuthError, type AuthOperation } from "./errors.ts";

/** Where Cognito's user-pool API answers: the configured endpoint (an emulator) or the region's. */
export function userPoolEndpoint(config: { readonly endpoint: string | undefined; readonly region: string }): string {
  return config.endpoint ?? `https://cognito-idp.${config.region}.amazonaws.com/`;
}

export type Call = <T = Record<string, unknown>>(operation: string, body: object, context?: AuthOperation) => Promise<T>;

/** The `X-Amz-Target` prefixes: the user-pool API, and the identity-pool API (credentials.ts). */
type Service = "AWSCognitoIdentityProviderService" | "AWSCognitoIdentityService";

/**
 * `call(operation, body)` against `endpoint`. Rejects with AuthError: `network` when nothing
 * answered, `service_unavailable` for a 5xx, else the code of Cognito's `__type`.
 */
export function createCall(endpoint: string, service: Service = "AWSCognitoIdentityProviderService"): Call {
  return async <T>(operation: string, body: object, context: AuthOperation = "other"): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": `${service}.${operation}`,
        },
        body: JSON.stringify(body),
        // Token requests must never be served from or stored in an HTTP cache.
        cache: "no-store",
      });
    } catch {
      throw new AuthError("network");
    }
    const json = (await response.json().catch(() => undefined)) as { __type?: unknown; message?: unknown } | undefined;
    if (response.ok && json) return json as T;
    const exception = exceptionName(json?.__type ?? response.headers.get("x-amzn-errortype"));
    // cognito-local answers what it does not implement (USER_SRP_AUTH …) with a 500 of its own.
    if (exception === "Unsupported") {
      warnDeveloper(operation, json?.message, "does not support");
      throw new AuthError("unsupported", exception);
    }
    if (response.status >= 500) throw new AuthError("service_unavailable", exception);
    if (exception === "InvalidParameterException") warnDeveloper(operation, json?.message, "refused");
    throw toAuthError({ name: exception }, context);
  };
}

/**
 * A request Cognito refused as malformed, or an emulator could not serve, is usually the page's
 * setup ("Username should be an email." for a pool that signs in by email; USER_SRP_AUTH against
 * cognito-local): the user sees a friendly message, the developer sees Cognito's in the console.
 * Quoted values are cut out, so nothing the user typed is logged.
 */
function warnDeveloper(operation: string, message: unknown, what: "refused" | "does not support"): void {
  if (typeof message !== "string" || typeof console === "undefined") return;
  const safe = message.replace(/'[^']*'|"[^"]*"/g, "…").slice(0, 300);
  console.warn(`cognito-elements: Cognito ${what} ${operation}: ${safe}`);
}

/** `com.amazonaws…#NotAuthorizedException` or `NotAuthorizedException:http://…` → `NotAuthorizedException`. */
function exceptionName(type: unknown): string | undefined {
  if (typeof type !== "string") return undefined;
  const name = type.split("#").pop()!.split(":")[0]!;
  return /^\w{1,100}$/.test(name) ? name : undefined;
}
