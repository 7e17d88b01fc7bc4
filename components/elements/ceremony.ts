/**
 * A passkey prompt that ended without a credential: the user cancelled it, it timed out, or the
 * browser found no passkey for the site. Browsers report all of these as one `NotAllowedError`
 * on purpose (a page must not learn which passkeys exist), so the elements say so in one message.
 */
import type { AuthError } from "../auth/errors.ts";
import type { FormProblem, MessageOf } from "./form-controller.ts";

/** Whether `error` is a WebAuthn ceremony's refusal (webauthn.ts puts the DOMException's name in `exception`). */
export function ceremonyFailed(error: AuthError | undefined): boolean {
  return error?.code === "unknown" && /Error$/.test(error.exception ?? "");
}

/** `problem` as a form's alert words it: a ceremony's refusal as `refused`, anything else as usual. */
export function passkeyProblem(problem: FormProblem | undefined, refused: MessageOf): FormProblem | undefined {
  return problem && ceremonyFailed(problem.error) ? { ...problem, text: refused } : problem;
}
