/**
 * Type test (checked by `npm run typecheck`, never executed): the elements augment
 * `HTMLElementTagNameMap`, `HTMLElementEventMap`, `DocumentEventMap` and `WindowEventMap`, so the
 * DOM's own APIs return the element classes and typed event details. test/e2e/package.test.ts repeats the core of this against the
 * packed `.d.ts`, as a consumer's compiler sees it.
 */
import { expectTypeOf } from "vitest";
import type {
  CognitoAuthGate,
  CognitoConfig,
  CognitoConfirmedEvent,
  CognitoErrorEvent,
  CognitoLogin,
  CognitoNavigateEvent,
  CognitoPasswordResetEvent,
  CognitoProfile,
  CognitoProfileUpdatedEvent,
  CognitoResetPassword,
  CognitoSignedInEvent,
  CognitoSignedOutEvent,
  CognitoSignedUpEvent,
  CognitoSignOut,
  CognitoSignup,
} from "../../components/index.ts";

// querySelector and createElement know every tag.
expectTypeOf(document.querySelector("cognito-login")).toEqualTypeOf<CognitoLogin | null>();
expectTypeOf(document.querySelector("cognito-signup")).toEqualTypeOf<CognitoSignup | null>();
expectTypeOf(document.querySelector("cognito-reset-password")).toEqualTypeOf<CognitoResetPassword | null>();
expectTypeOf(document.querySelector("cognito-profile")).toEqualTypeOf<CognitoProfile | null>();
expectTypeOf(document.querySelector("cognito-auth-gate")).toEqualTypeOf<CognitoAuthGate | null>();
expectTypeOf(document.querySelector("cognito-sign-out")).toEqualTypeOf<CognitoSignOut | null>();
expectTypeOf(document.createElement("cognito-config")).toEqualTypeOf<CognitoConfig>();
expectTypeOf(document.querySelectorAll("cognito-login")).toEqualTypeOf<NodeListOf<CognitoLogin>>();

// Element properties are typed through the tag map, without a cast.
const login = document.createElement("cognito-login");
expectTypeOf(login.usernameAttribute).toEqualTypeOf<"email" | "phone_number" | undefined>();
expectTypeOf(document.createElement("cognito-auth-gate").group).toEqualTypeOf<string | undefined>();

// addEventListener knows every event and its detail.
login.addEventListener("cognito-signed-in", (event) => {
  expectTypeOf(event).toEqualTypeOf<CognitoSignedInEvent>();
  expectTypeOf(event.detail.username).toEqualTypeOf<string>();
  // @ts-expect-error the detail names the user and carries nothing else (never a password)
  void event.detail.password;
});
login.addEventListener("cognito-error", (event) => {
  expectTypeOf(event).toEqualTypeOf<CognitoErrorEvent>();
  expectTypeOf(event.detail.code).toEqualTypeOf<string>();
});
login.addEventListener("cognito-navigate", (event) => {
  expectTypeOf(event).toEqualTypeOf<CognitoNavigateEvent>();
  expectTypeOf(event.detail.to).toEqualTypeOf<"sign-in" | "sign-up" | "reset-password">();
});

const signup = document.createElement("cognito-signup");
signup.addEventListener("cognito-signed-up", (event) => {
  expectTypeOf(event).toEqualTypeOf<CognitoSignedUpEvent>();
  expectTypeOf(event.detail.userConfirmed).toEqualTypeOf<boolean>();
});
signup.addEventListener("cognito-confirmed", (event) => expectTypeOf(event).toEqualTypeOf<CognitoConfirmedEvent>());

const profile = document.createElement("cognito-profile");
profile.addEventListener("cognito-profile-updated", (event) => {
  expectTypeOf(event).toEqualTypeOf<CognitoProfileUpdatedEvent>();
  expectTypeOf(event.detail.changed).toEqualTypeOf<readonly string[]>();
});
profile.addEventListener("cognito-signed-out", (event) => {
  expectTypeOf(event).toEqualTypeOf<CognitoSignedOutEvent>();
  expectTypeOf(event.detail.reason).toEqualTypeOf<"sign-out" | "everywhere" | "account-deleted">();
});
document
  .createElement("cognito-reset-password")
  .addEventListener("cognito-password-reset", (event) => expectTypeOf(event).toEqualTypeOf<CognitoPasswordResetEvent>());

// Events bubble to any ancestor element, typed there too.
document.body.addEventListener("cognito-signed-in", (event) => expectTypeOf(event.detail.username).toEqualTypeOf<string>());

// …and up to the document and the window (DocumentEventMap, WindowEventMap).
document.addEventListener("cognito-signed-in", (event) => {
  expectTypeOf(event).toEqualTypeOf<CognitoSignedInEvent>();
  expectTypeOf(event.detail.username).toEqualTypeOf<string>();
});
document.addEventListener("cognito-error", (event) => expectTypeOf(event.detail.code).toEqualTypeOf<string>());
window.addEventListener("cognito-signed-out", (event) => expectTypeOf(event).toEqualTypeOf<CognitoSignedOutEvent>());
window.addEventListener("cognito-navigate", (event) => expectTypeOf(event.detail.to).toEqualTypeOf<"sign-in" | "sign-up" | "reset-password">());
// DOM events keep their own types beside them.
document.addEventListener("keydown", (event) => expectTypeOf(event).toEqualTypeOf<KeyboardEvent>());

// A misspelt detail property is an error.
login.addEventListener("cognito-signed-in", (event) => {
  // @ts-expect-error `userName` is not `username`
  void event.detail.userName;
});
