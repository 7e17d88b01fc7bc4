/**
 * Checks a whole form before any request, so every problem shows at once, each under its field.
 * Formats are checked only as far as the server would refuse them: an email needs one `@` and a
 * dot in its domain; a phone number is E.164 (`+` and up to 15 digits), the only form Cognito takes.
 */
import type { FieldProblem, MessageOf } from "./form-controller.ts";
import { formValue } from "./parts.ts";
import { meetsPolicy, type PasswordPolicy } from "./password-rules.ts";

export interface FieldRule {
  readonly name: string;
  /** The field's label, for the "is required" message. */
  readonly label: MessageOf;
  readonly required?: boolean;
  readonly format?: "email" | "phone";
  /** A new password: must meet this policy (and is checked as typed, never trimmed). */
  readonly policy?: PasswordPolicy;
  /** A password: checked as typed, never trimmed. */
  readonly secret?: boolean;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const E164 = /^\+[1-9]\d{1,14}$/;

/** The input format of a Cognito attribute or username attribute, where it has one. */
export function formatOf(name: string | undefined): FieldRule["format"] {
  return name === "email" ? "email" : name === "phone_number" ? "phone" : undefined;
}

function problemOf(rule: FieldRule, raw: string): MessageOf | undefined {
  const value = rule.policy || rule.secret ? raw : raw.trim();
  if (value === "") return rule.required ? (text) => text.validation.required(rule.label(text)) : undefined;
  if (rule.format === "email" && !EMAIL.test(value)) return (text) => text.validation.email;
  if (rule.format === "phone" && !E164.test(value)) return (text) => text.validation.phone;
  if (rule.policy && !meetsPolicy(rule.policy, value)) return (text) => text.validation.passwordRules;
  return undefined;
}

/** Every problem of `form` under `rules`, in their order (the first gets focus). */
export function validate(form: HTMLFormElement, rules: readonly FieldRule[]): FieldProblem[] {
  return rules.flatMap((rule) => {
    const text = problemOf(rule, formValue(form, rule.name));
    return text ? [{ field: rule.name, text }] : [];
  });
}
