/**
 * The pool's password policy, shown before submit and checked as the user types. Defaults are
 * Cognito's: at least 8 characters with an uppercase letter, a lowercase letter, a number and a
 * symbol.
 */
import { html, type TemplateResult } from "lit";
import { messages, type PasswordRule } from "../i18n/messages.ts";

export interface PasswordPolicy {
  readonly minLength: number;
  readonly rules: readonly PasswordRule[];
}

const ALL_RULES: readonly PasswordRule[] = ["upper", "lower", "number", "symbol"];

// Cognito's special characters (user pool password policy docs), plus the non-leading space.
const TESTS: Readonly<Record<PasswordRule, RegExp>> = {
  upper: /\p{Lu}/u,
  lower: /\p{Ll}/u,
  number: /[0-9]/,
  symbol: /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/,
};

/** From `password-min-length` and `password-rules` ("upper lower number symbol"; "" for none). */
export function parsePolicy(minLength: number | undefined, rules: string | undefined | null): PasswordPolicy {
  const length = Number.isInteger(minLength) && (minLength as number) > 0 ? (minLength as number) : 8;
  const chosen = rules === undefined || rules === null ? ALL_RULES : ALL_RULES.filter((rule) => rules.split(/\s+/).includes(rule));
  return { minLength: length, rules: chosen };
}

export interface RuleCheck {
  readonly text: string;
  readonly met: boolean;
}

export function checkPassword(policy: PasswordPolicy, password: string): RuleCheck[] {
  const text = messages().password;
  return [
    { text: text.minLength(policy.minLength), met: [...password].length >= policy.minLength },
    ...policy.rules.map((rule) => ({ text: text.rule[rule], met: TESTS[rule].test(password) })),
  ];
}

export function meetsPolicy(policy: PasswordPolicy, password: string): boolean {
  return checkPassword(policy, password).every((check) => check.met);
}

export function passwordRules(id: string, policy: PasswordPolicy, password: string): TemplateResult {
  const text = messages().password;
  return html`<div id=${id} class="rules">
    <p class="hint">${text.rulesTitle}</p>
    <ul>
      ${checkPassword(policy, password).map(
        (check) => html`<li class=${check.met ? "met" : "unmet"}>${check.text} <span class="visually-hidden">${check.met ? text.met : text.unmet}</span></li>`,
      )}
    </ul>
  </div>`;
}
