/**
 * What a signed-in user can do to their own account, authorised by their access token: read and
 * change attributes, verify an email or phone, change the password, second factors, sign out
 * everywhere, delete the account. Shapes: the AWS Cognito API reference (GetUser,
 * UpdateUserAttributes, GetUserAttributeVerificationCode, VerifyUserAttribute, ChangePassword,
 * AssociateSoftwareToken, VerifySoftwareToken, SetUserMFAPreference, GlobalSignOut, DeleteUser).
 */
import { attributeList } from "./account.ts";
import { AuthError } from "./errors.ts";
import { mfaTypes, type MfaType } from "./sign-in.ts";
import type { Call } from "./transport.ts";

/** The second factors the signed-in user has turned on, and the one Cognito asks for first. */
export interface MfaState {
  readonly enabled: readonly MfaType[];
  readonly preferred?: MfaType;
}

interface UserData {
  readonly attributes: Record<string, string>;
  readonly mfa: MfaState;
}

interface GetUserAnswer {
  readonly UserAttributes?: ReadonlyArray<{ readonly Name: string; readonly Value?: string }>;
  readonly UserMFASettingList?: readonly string[];
  readonly PreferredMfaSetting?: string;
  readonly MFAOptions?: readonly unknown[];
}

export async function getUser(call: Call, accessToken: string): Promise<UserData> {
  const answer = await call<GetUserAnswer>("GetUser", { AccessToken: accessToken });
  const attributes: Record<string, string> = {};
  for (const { Name, Value } of answer.UserAttributes ?? []) attributes[Name] = Value ?? "";
  // Users given SMS MFA through the legacy SetUserSettings have MFAOptions and no settings list.
  const legacySms = Array.isArray(answer.MFAOptions) && answer.MFAOptions.length > 0 ? ["SMS_MFA"] : [];
  const enabled = mfaTypes(Array.isArray(answer.UserMFASettingList) ? answer.UserMFASettingList : legacySms);
  const preferred = enabled.find((type) => type === answer.PreferredMfaSetting);
  return { attributes, mfa: preferred ? { enabled, preferred } : { enabled } };
}

/** Updates attributes; resolves with the ones Cognito sent a verification code for. */
export async function updateAttributes(call: Call, accessToken: string, changes: Readonly<Record<string, string>>): Promise<string[]> {
  const answer = await call<{ CodeDeliveryDetailsList?: ReadonlyArray<{ AttributeName?: string }> }>("UpdateUserAttributes", {
    AccessToken: accessToken,
    UserAttributes: attributeList(changes),
  });
  return (answer.CodeDeliveryDetailsList ?? []).map((item) => item.AttributeName ?? "").filter(Boolean);
}

export async function sendAttributeCode(call: Call, accessToken: string, name: string): Promise<void> {
  await call("GetUserAttributeVerificationCode", { AccessToken: accessToken, AttributeName: name });
}

export async function verifyAttribute(call: Call, accessToken: string, name: string, code: string): Promise<void> {
  await call("VerifyUserAttribute", { AccessToken: accessToken, AttributeName: name, Code: code });
}

/** A wrong current password reads like a wrong sign-in password (`invalid_credentials`). */
export async function changePassword(call: Call, accessToken: string, oldPassword: string, newPassword: string): Promise<void> {
  await call("ChangePassword", { AccessToken: accessToken, PreviousPassword: oldPassword, ProposedPassword: newPassword }, "sign-in");
}

/** TOTP setup, step 1: a new secret for the signed-in user. */
export async function associateTotp(call: Call, accessToken: string): Promise<{ readonly secret: string }> {
  const answer = await call<{ SecretCode?: string }>("AssociateSoftwareToken", { AccessToken: accessToken });
  if (!answer.SecretCode) throw new AuthError("unknown");
  return { secret: answer.SecretCode };
}

/** TOTP setup, step 2: checks the app's first code, then makes TOTP the preferred MFA. */
export async function enableTotp(call: Call, accessToken: string, code: string): Promise<void> {
  const answer = await call<{ Status?: string }>("VerifySoftwareToken", { AccessToken: accessToken, UserCode: code, FriendlyDeviceName: "cognito-elements" });
  if (answer.Status !== "SUCCESS") throw new AuthError("code_mismatch");
  await call("SetUserMFAPreference", { AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } });
}

/** Turns every second factor off (fails where the pool requires MFA). */
export async function disableMfa(call: Call, accessToken: string): Promise<void> {
  const off = { Enabled: false, PreferredMfa: false };
  await call("SetUserMFAPreference", { AccessToken: accessToken, SMSMfaSettings: off, SoftwareTokenMfaSettings: off });
}

export async function globalSignOut(call: Call, accessToken: string): Promise<void> {
  await call("GlobalSignOut", { AccessToken: accessToken });
}

export async function deleteUser(call: Call, accessToken: string): Promise<void> {
  await call("DeleteUser", { AccessToken: accessToken });
}
