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

export async function signUp(call: Call, clientId: string, { username, password, attributes = {} }: SignUpInput): Promise<SignUpResult> {
  const answer = await call<Delivered & { UserConfirmed?: boolean }>("SignUp", {
    ClientId: clientId,
    Username: username,
    Password: password,
    UserAttributes: attributeList(attributes),
  });
  return { userConfirmed: answer.UserConfirmed === true, ...delivery(answer) };
}

export async function confirmSignUp(call: Call, clientId: string, username: string, code: string): Promise<void> {
  await call("ConfirmSignUp", { ClientId: clientId, Username: username, ConfirmationCode: code });
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
