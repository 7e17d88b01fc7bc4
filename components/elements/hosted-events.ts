/**
 * The events of a hosted UI round trip: when the redirect completes (auth/hosted.ts), the page's
 * login (or, with none, the document) fires `cognito-signed-in` or `cognito-error`, as a sign-in
 * typed into the form would. Imported for its effect by the login's provider buttons and the
 * package entry.
 */
import { hostedStatus, onHostedStatus } from "../auth/hosted-state.ts";
import { CognitoErrorEvent, CognitoSignedInEvent } from "./events.ts";

onHostedStatus(() => {
  const status = hostedStatus();
  // By the time a callback completes the page has been parsed: its login is there if it has one.
  const target = typeof document === "undefined" ? undefined : (document.querySelector("cognito-login") ?? document);
  if (status.signedIn) target?.dispatchEvent(new CognitoSignedInEvent({ username: status.signedIn.username, loginId: status.signedIn.loginId }));
  else if (status.error) target?.dispatchEvent(new CognitoErrorEvent({ code: status.error.code }));
});
