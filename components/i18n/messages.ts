/**
 * Every string the elements show, in one typed table per locale. English lives here; other
 * locales are opt-in modules under components/i18n/locales/ that register themselves. A new locale is
 * another object of type `Messages`; the compiler lists anything it forgot.
 */
import type { AuthErrorCode } from "../auth/errors.ts";
import type { ConfigProblem } from "../auth/config.ts";

export type PasswordRule = "upper" | "lower" | "number" | "symbol";

export interface Messages {
  readonly errors: Readonly<Record<AuthErrorCode, string>>;
  readonly config: (setting: string, problem: ConfigProblem) => string;
  /** A form's code (loaded on first use) could not be fetched. */
  readonly loadFailed: string;
  readonly validation: {
    readonly required: (label: string) => string;
    readonly passwordRules: string;
    readonly email: string;
    readonly phone: string;
  };
  readonly fields: {
    readonly username: string;
    readonly email: string;
    readonly phone: string;
    readonly password: string;
    readonly newPassword: string;
    readonly currentPassword: string;
    readonly code: string;
  };
  /** Labels of standard attributes; `custom:` ones show their name. */
  readonly attributes: Readonly<Record<string, string>>;
  readonly password: {
    readonly rulesTitle: string;
    readonly minLength: (length: number) => string;
    readonly rule: Readonly<Record<PasswordRule, string>>;
    readonly met: string;
    readonly unmet: string;
    /** The show-password button's label, by state. */
    readonly show: string;
    readonly hide: string;
  };
  readonly login: {
    readonly title: string;
    readonly submit: string;
    readonly newPasswordTitle: string;
    readonly newPasswordHint: string;
    readonly newPasswordSubmit: string;
    readonly mfaTitle: string;
    readonly mfaHint: (destination: string | undefined) => string;
    readonly totpHint: string;
    readonly mfaSubmit: string;
    readonly selectMfaTitle: string;
    readonly mfaOption: (type: string) => string;
    readonly mfaSetupTitle: string;
    readonly mfaSetupHint: string;
    readonly resetRequired: string;
    readonly signedInAs: (username: string) => string;
    readonly toSignUp: string;
    readonly toReset: string;
    readonly loading: string;
    /** Hosted UI buttons (issue 9): one per identity provider, and one without a provider. */
    readonly provider: (name: string) => string;
    readonly hostedUi: string;
    /** Between the hosted UI buttons and the password form. */
    readonly or: string;
    readonly completing: string;
    /** On the sign-in form after a password reset. */
    readonly passwordChanged: string;
    /** Choice-based sign-in (`factors`): the username step's button, the factor choice and steps. */
    readonly next: string;
    readonly chooseTitle: string;
    /** A factor's button: `passkey`, `email-otp`, `sms-otp` or `password`. */
    readonly factor: (factor: string) => string;
    readonly passkeyTitle: string;
    readonly passkeyWaiting: string;
    /** The ceremony was cancelled or failed (browsers do not say which). */
    readonly passkeyFailed: string;
    readonly retry: string;
    readonly otherWays: string;
    readonly passwordTitle: string;
  };
  readonly confirm: {
    readonly title: string;
    readonly hint: (destination: string | undefined) => string;
    readonly submit: string;
    readonly resend: string;
    readonly resent: (destination: string | undefined) => string;
    /** Back to the form, to fix the address or username (`label` names it). */
    readonly back: (label: string) => string;
    /** The resend button while it cools down. */
    readonly resendIn: (seconds: number) => string;
  };
  readonly signup: {
    readonly title: string;
    readonly submit: string;
    readonly optional: string;
    readonly confirmed: string;
    readonly toSignIn: string;
    /** After a passwordless sign-up (`passkey-prompt`). */
    readonly passkeyPrompt: string;
    readonly later: string;
  };
  readonly signOut: {
    readonly button: string;
    readonly everywhere: string;
  };
  readonly reset: {
    readonly title: string;
    readonly hint: string;
    readonly submit: string;
    /** The same for an account that exists and one that does not (no account enumeration). */
    readonly codeHint: (username: string) => string;
    readonly confirmSubmit: string;
    readonly done: string;
    readonly toSignIn: string;
  };
  readonly profile: {
    readonly title: string;
    readonly save: string;
    readonly saved: string;
    readonly unchanged: string;
    readonly verified: string;
    readonly unverified: string;
    readonly verifyTitle: (label: string) => string;
    readonly verifyHint: (label: string) => string;
    readonly verifySubmit: string;
    readonly passwordTitle: string;
    readonly passwordSubmit: string;
    readonly passwordChanged: string;
    readonly deleteTitle: string;
    readonly deleteButton: string;
    readonly deleteWarning: string;
    readonly deleteConfirm: string;
    readonly cancel: string;
    readonly signedOut: string;
    readonly wrongCurrentPassword: string;
    /** After Cancel on a changed email or phone waiting for its code. */
    readonly pending: (label: string) => string;
  };
  /** Two-step verification (MFA) in the profile; the login's MFA steps use `login.*`. */
  readonly mfa: {
    readonly title: string;
    readonly on: string;
    readonly off: string;
    readonly setup: string;
    readonly turnOff: string;
    readonly qrLabel: string;
    readonly manualEntry: string;
    readonly enabled: string;
    readonly disabled: string;
    readonly turnOffConfirm: string;
    readonly turnOffYes: string;
    readonly copy: string;
    readonly copied: string;
    readonly openApp: string;
  };
  /** Passkeys in the profile. */
  readonly passkeys: {
    readonly title: string;
    readonly none: string;
    readonly add: string;
    readonly added: string;
    readonly created: (date: string) => string;
    readonly delete: string;
    readonly deleteConfirm: string;
    readonly deleteYes: string;
    readonly deleted: string;
    /** Where the browser has no PublicKeyCredential. */
    readonly unsupported: string;
    readonly failed: string;
    /** A passkey without a name. */
    readonly unnamed: string;
    /** Where the passkey lives: `platform`, `cross-platform`; "" when Cognito does not say. */
    readonly attachment: (kind: string) => string;
  };
  readonly gate: {
    readonly forbidden: string;
  };
  readonly busy: string;
}

export const en: Messages = {
  errors: {
    invalid_credentials: "Incorrect username or password.",
    user_not_found: "We couldn't find that account.",
    password_policy: "That password doesn't meet the requirements.",
    username_exists: "An account with that username already exists.",
    user_not_confirmed: "This account isn't confirmed yet. Enter the code we sent you.",
    code_mismatch: "That code isn't right. Check it and try again.",
    code_expired: "That code has expired. Ask for a new one.",
    limit_exceeded: "Too many requests. Please wait a moment and try again.",
    too_many_failed_attempts: "Too many wrong attempts. Please wait a while and try again.",
    invalid_parameter: "Some of the details aren't valid. Check the form and try again.",
    password_reset_required: "You need to reset your password before you can sign in.",
    network: "We couldn't reach the sign-in service. Check your connection and try again.",
    service_unavailable: "The sign-in service isn't answering right now. Please try again in a moment.",
    not_authorized: "You're not allowed to do that. Please sign in again.",
    not_signed_in: "You're not signed in.",
    origin_not_allowed: "This request can't carry your sign-in: its address isn't allowed.",
    unsupported: "This sign-in step isn't supported here.",
    state_mismatch: "This sign-in couldn't be verified. Please start again.",
    authorization_code_invalid: "This sign-in has expired or was already used. Please sign in again.",
    provider_refused: "Sign-in was cancelled or refused. Please try again.",
    guests_not_allowed: "Sign in first.",
    unknown: "Something went wrong. Please try again.",
  },
  loadFailed: "This form couldn't load. Check your connection and reload the page.",
  config: (setting, problem) =>
    problem === "missing"
      ? `Sign-in isn't set up: the setting "${setting}" is missing.`
      : `Sign-in isn't set up: the setting "${setting}" is not valid.`,
  validation: {
    required: (label) => `${label} is required.`,
    passwordRules: "The password doesn't meet every rule below.",
    email: "Enter an email address like name@example.com.",
    phone: "Enter the number with its country code, like +14155550123.",
  },
  fields: {
    username: "Username",
    email: "Email",
    phone: "Phone number",
    password: "Password",
    newPassword: "New password",
    currentPassword: "Current password",
    code: "Code",
  },
  attributes: {
    email: "Email",
    name: "Name",
    given_name: "First name",
    family_name: "Last name",
    middle_name: "Middle name",
    nickname: "Nickname",
    preferred_username: "Preferred username",
    phone_number: "Phone number",
    birthdate: "Date of birth",
    gender: "Gender",
    address: "Address",
    locale: "Language",
    zoneinfo: "Time zone",
    website: "Website",
    profile: "Profile page",
    picture: "Picture URL",
  },
  password: {
    rulesTitle: "Your password needs",
    minLength: (length) => `at least ${length} characters`,
    rule: {
      upper: "an uppercase letter",
      lower: "a lowercase letter",
      number: "a number",
      symbol: "a symbol",
    },
    met: "(done)",
    unmet: "(not yet)",
    show: "Show password",
    hide: "Hide password",
  },
  login: {
    title: "Sign in",
    submit: "Sign in",
    newPasswordTitle: "Choose a new password",
    newPasswordHint: "Your account needs a new password before you can continue.",
    newPasswordSubmit: "Set password and sign in",
    mfaTitle: "Enter your code",
    mfaHint: (destination) => (destination ? `We sent a code to ${destination}.` : "We sent you a code."),
    totpHint: "Enter the code from your authenticator app.",
    mfaSubmit: "Verify",
    selectMfaTitle: "How do you want to get your code?",
    mfaOption: (type) => (type === "SMS_MFA" ? "Text message" : type === "SOFTWARE_TOKEN_MFA" ? "Authenticator app" : type),
    mfaSetupTitle: "Set up an authenticator app",
    mfaSetupHint: "Add this key to your authenticator app, then enter the code it shows.",
    resetRequired: "You need to reset your password before you can sign in.",
    signedInAs: (username) => `Signed in as ${username}.`,
    toSignUp: "Create an account",
    toReset: "Forgot your password?",
    loading: "Checking your session…",
    provider: (name) => `Continue with ${name}`,
    hostedUi: "Sign in with your organisation",
    or: "or",
    completing: "Finishing sign-in…",
    passwordChanged: "Your password is changed. Sign in with the new one.",
    next: "Continue",
    chooseTitle: "How do you want to sign in?",
    factor: (factor) => ({ passkey: "Sign in with a passkey", "email-otp": "Email me a code", "sms-otp": "Text me a code", password: "Use my password" })[factor] ?? factor,
    passkeyTitle: "Sign in with a passkey",
    passkeyWaiting: "Follow your browser's prompt to use your passkey.",
    passkeyFailed: "Your passkey was not used: the prompt was closed, timed out, or found no passkey for this site. Try again, or choose another way to sign in.",
    retry: "Try again",
    otherWays: "Other ways to sign in",
    passwordTitle: "Enter your password",
  },
  confirm: {
    title: "Confirm your account",
    hint: (destination) => (destination ? `Enter the code we sent to ${destination}.` : "Enter the code we sent you."),
    submit: "Confirm",
    resend: "Send a new code",
    resent: (destination) => (destination ? `A new code is on its way to ${destination}.` : "A new code is on its way."),
    back: (label) => `Change ${label.toLowerCase()}`,
    resendIn: (seconds) => `Send a new code in ${seconds} s`,
  },
  signup: {
    title: "Create an account",
    submit: "Create account",
    optional: "(optional)",
    confirmed: "Your account is confirmed. You can sign in now.",
    toSignIn: "Sign in",
    passkeyPrompt: "Sign in faster next time: add a passkey to this device.",
    later: "Not now",
  },
  signOut: {
    button: "Sign out",
    everywhere: "Sign out everywhere",
  },
  reset: {
    title: "Reset your password",
    hint: "We'll send you a code to set a new password.",
    submit: "Send code",
    codeHint: (username) => `If ${username} has an account, we sent it a code. Enter the code and choose a new password.`,
    confirmSubmit: "Set new password",
    done: "Your password has been reset. You can sign in with the new one.",
    toSignIn: "Back to sign in",
  },
  profile: {
    title: "Your profile",
    save: "Save changes",
    saved: "Your changes are saved.",
    unchanged: "Nothing to save.",
    verified: "(verified)",
    unverified: "(not verified)",
    verifyTitle: (label) => `Verify your ${label.toLowerCase()}`,
    verifyHint: (label) => `Enter the code we sent to your new ${label.toLowerCase()}.`,
    verifySubmit: "Verify",
    passwordTitle: "Change password",
    passwordSubmit: "Change password",
    passwordChanged: "Your password has been changed.",
    deleteTitle: "Delete account",
    deleteButton: "Delete my account…",
    deleteWarning: "This deletes your account and everything in it. It cannot be undone.",
    deleteConfirm: "Yes, delete my account",
    cancel: "Cancel",
    signedOut: "You're not signed in.",
    wrongCurrentPassword: "Your current password is incorrect.",
    pending: (label) => `Your new ${label.toLowerCase()} is waiting for its code. Until you verify it, it can't be used to sign in or receive codes.`,
  },
  mfa: {
    title: "Two-step verification",
    on: "On",
    off: "Off",
    setup: "Set up authenticator app",
    turnOff: "Turn off two-step verification",
    qrLabel: "QR code to scan with your authenticator app",
    manualEntry: "Can't scan it? Enter this setup key instead:",
    enabled: "Two-step verification is on.",
    disabled: "Two-step verification is off.",
    turnOffConfirm: "Turn off two-step verification? Signing in will need only your password.",
    turnOffYes: "Yes, turn it off",
    copy: "Copy key",
    copied: "Copied.",
    openApp: "Open in authenticator app",
  },
  passkeys: {
    title: "Passkeys",
    none: "You have no passkeys yet.",
    add: "Add a passkey",
    added: "Passkey added. You can sign in with it now.",
    created: (date) => `Added ${date}`,
    delete: "Delete",
    deleteConfirm: "Delete this passkey? You will not be able to sign in with it any more.",
    deleteYes: "Yes, delete it",
    deleted: "Passkey deleted.",
    unsupported: "This browser cannot create or use passkeys (it has no WebAuthn), so they are not shown here.",
    failed: "No passkey was added: the prompt was closed or failed.",
    unnamed: "Passkey",
    attachment: (kind) => (kind === "platform" ? "Built into a device" : kind === "cross-platform" ? "Security key or phone" : ""),
  },
  gate: {
    forbidden: "You don't have access to this content.",
  },
  busy: "Please wait…",
};

/** Any part of a table: strings and functions replace, groups merge. */
export type MessageOverrides<T = Messages> = {
  readonly [K in keyof T]?: T[K] extends string | ((...args: never[]) => unknown) ? T[K] : MessageOverrides<T[K]>;
};

// Registered tables by lower-case language tag; a locale module registers itself on import, so
// the main bundle carries English only.
const tables = new Map<string, Messages>([["en", en]]);
/** Host overrides: `*` for every locale, else by locale. */
const overrides = new Map<string, object>();
const merged = new Map<string, Messages>();
const listeners = new Set<() => void>();
let chosen: string | undefined;
let rendering: Messages | undefined;

function merge(base: object, patch: object | undefined): any {
  if (!patch) return base;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const was = out[key];
    out[key] = value && typeof value === "object" && was && typeof was === "object" ? merge(was, value) : value;
  }
  return out;
}

function changed(): void {
  merged.clear();
  for (const listener of listeners) listener();
}

/** The registered locale for a language tag: exact (`pt-br`), else its language (`pt`). */
function match(tag: string | null | undefined): string | undefined {
  const lower = tag?.toLowerCase();
  if (!lower) return undefined;
  const language = lower.split("-")[0]!;
  return tables.has(lower) ? lower : tables.has(language) ? language : undefined;
}

/** Makes a table available under a language tag (`registerLocale("fr", fr)`); elements re-render. */
export function registerLocale(locale: string, table: Messages): void {
  tables.set(locale.toLowerCase(), table);
  changed();
}

/** The page's locale, below any `lang` attribute on or around an element; `undefined` to unset. */
export function setLocale(locale: string | undefined): void {
  chosen = locale;
  changed();
}

/**
 * Overrides single strings, for one locale or (without `locale`) for all: `setMessages({ login: {
 * submit: "Log in" } })`. Calls add up; a locale's own overrides win over the general ones.
 */
export function setMessages(strings: MessageOverrides, locale = "*"): void {
  const key = locale.toLowerCase();
  overrides.set(key, merge(overrides.get(key) ?? {}, strings));
  changed();
}

/**
 * The locale an element shows: its own or nearest ancestor's `lang` (below `<html>`), else
 * `setLocale`'s, else `<html lang>`, else English. Tags without a registered table are skipped.
 */
export function localeOf(element?: Element): string {
  const root = typeof document === "undefined" ? undefined : document.documentElement;
  const near = element?.closest("[lang]");
  return match(near !== root ? near?.getAttribute("lang") : undefined) ?? match(chosen) ?? match(root?.getAttribute("lang")) ?? "en";
}

/**
 * The table for a locale, with the host's overrides. Without an argument: the table of the element
 * rendering right now, else the page's (`localeOf()`).
 */
export function messages(locale?: string): Messages {
  if (locale === undefined && rendering) return rendering;
  const key = match(locale ?? localeOf()) ?? "en";
  let table = merged.get(key);
  if (!table) {
    table = merge(merge(tables.get(key)!, overrides.get("*")), overrides.get(key)) as Messages;
    merged.set(key, table);
  }
  return table;
}

/** Set by an element around its render (undefined after), so `messages()` in templates reads its locale. */
export function renderingIn(locale: string | undefined): void {
  rendering = locale === undefined ? undefined : messages(locale);
}

/** Calls `listener` whenever a locale, the chosen locale or an override changes. */
export function onMessagesChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
