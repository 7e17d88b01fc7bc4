/**
 * Account operations before anyone is signed in: sign-up and its confirmation, and the password
 * reset. Shapes: the AWS Cognito API reference (SignUp, ConfirmSignUp, ResendConfirmationCode,
 * ForgotPassword, ConfirmForgotPassword).
 */
import type { Call } from "./transport.ts";

export interface SignUpInput {
  readonly username: string;
  readonly password: string;
  /** Standard and `custom:` attributes, by their Cognito name. */
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface SignUpResult {
  readonly userConfirmed: boolean;
  /** Where the confirmation code went (masked by Cognito), if it said. */
  readonly destination?: string;
}

export interface CodeDelivery {
  readonly destination?: string;
}

type Delivered = { readonly CodeDeliveryDetails?: { readonly Destination?: string } };

function delivery(answer: Delivered): CodeDelivery {
  const destination = answer.CodeDeliveryDetails?.Destination;
  return typeof destination === "string" && destination ? { destination } : {};
}

/** `{ name: value }` as Cognito's AttributeType list. */
export function attributeList(attributes: Readonly<Record<string, string>>): Array<{ Name: string; Value: string }> {
  return Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }));
}

/** SignUp; without a password for a passwordless pool (the field is then left out of the request). */
export async function signUp(
  call: Call,
  clientId: string,
  { username, password, attributes = {} }: Omit<SignUpInput, "password"> & { readonly password?: string },
): Promise<SignUpResult> {
  const answer = await call<Delivered & { UserConfirmed?: boolean }>("SignUp", {
    ClientId: clientId,
    Username: username,
    Password: password,
    UserAttributes: attributeList(attributes),
  });
  return { userConfirmed: answer.UserConfirmed === true, ...delivery(answer) };
}

/** ConfirmSignUp; resolves with the `Session` Cognito returns to sign a passwordless user in, if any. */
export async function confirmSignUp(call: Call, clientId: string, username: string, code: string): Promise<string | undefined> {
  const answer = await call<{ Session?: string }>("ConfirmSignUp", { ClientId: clientId, Username: username, ConfirmationCode: code });
  return typeof answer.Session === "string" && answer.Session ? answer.Session : undefined;
}

export async function resendCode(call: Call, clientId: string, username: string): Promise<CodeDelivery> {
  return delivery(await call<Delivered>("ResendConfirmationCode", { ClientId: clientId, Username: username }));
}

export async function forgotPassword(call: Call, clientId: string, username: string): Promise<CodeDelivery> {
  return delivery(await call<Delivered>("ForgotPassword", { ClientId: clientId, Username: username }));
}

export async function confirmPassword(call: Call, clientId: string, username: string, code: string, newPassword: string): Promise<void> {
  await call("ConfirmForgotPassword", { ClientId: clientId, Username: username, ConfirmationCode: code, Password: newPassword });
}
