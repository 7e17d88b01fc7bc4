/**
 * Settings the workerd and Deno tests share: a rule of each kind, and a revocation-checked path
 * answered by the GetUser stand-in (its endpoint is added by each test as `COGNITO_ENDPOINT`).
 */
export const RUNTIME_RULES = {
  ROUTE_POLICIES: "PATCH /public/* group:admin; /admin/* group:admin; /health public",
  PUBLIC_PATHS: "/public/*",
  REVOCATION_CHECK_PATHS: "/account/*",
  REVOCATION_CHECK_SECONDS: "0",
} as const;
