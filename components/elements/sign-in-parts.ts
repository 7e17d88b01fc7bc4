/**
 * What `<cognito-login>`'s first step and the steps after it (login-steps.ts) share: the factors
 * as the `factors` attribute names them, and which input an error is about.
 */
import type { Factor } from "../auth/client.ts";
import type { AuthError } from "../auth/errors.ts";

/** A factor as the `factors` attribute names it. */
export type LoginFactor = "passkey" | "email-otp" | "sms-otp" | "password";

export const COGNITO_FACTOR: Readonly<Record<Exclude<LoginFactor, "password">, Exclude<Factor, "PASSWORD" | "PASSWORD_SRP">>> = {
  passkey: "WEB_AUTHN",
  "email-otp": "EMAIL_OTP",
  "sms-otp": "SMS_OTP",
};

export function loginFactor(factor: Factor): LoginFactor {
  return factor === "WEB_AUTHN" ? "passkey" : factor === "EMAIL_OTP" ? "email-otp" : factor === "SMS_OTP" ? "sms-otp" : "password";
}

/** The `factors` attribute, known tokens only; no passkey where the browser has no WebAuthn. */
export function wantedFactors(attribute: string | undefined): LoginFactor[] {
  const tokens = (attribute ?? "").split(/\s+/).filter((token): token is LoginFactor => /^(passkey|email-otp|sms-otp|password)$/.test(token));
  const webauthn = typeof PublicKeyCredential !== "undefined";
  return [...new Set(tokens)].filter((factor) => factor !== "passkey" || webauthn);
}

/** Which input an error is about, for aria-invalid. */
export function fieldFor(error: AuthError): string | undefined {
  switch (error.code) {
    case "invalid_credentials":
      return "password";
    case "code_mismatch":
    case "code_expired":
      return "code";
    case "password_policy":
      return "new-password";
    default:
      return undefined;
  }
}
