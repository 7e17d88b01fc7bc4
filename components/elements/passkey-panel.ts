/**
 * The profile's passkeys: the list (ListWebAuthnCredentials: name, where it lives, when added), Add (the browser
 * creates the passkey; Cognito checks it), Delete after an explicit confirmation, and what
 * GetUserAuthFactors says the user signs in with (a user without a password gets no password
 * form). Where the browser has no WebAuthn (`PublicKeyCredential`), the panel says why there is
 * nothing to manage. The Cognito and WebAuthn code behind it loads on first use.
 */
import { html, nothing, type ReactiveControllerHost, type TemplateResult } from "lit";
import type { AuthClient, Factor, Passkey } from "../auth/client.ts";
import { toAuthError, type AuthError } from "../auth/errors.ts";
import { localeOf, messages, type Messages } from "../i18n/messages.ts";
import { passkeyProblem } from "./ceremony.ts";
import { CognitoProfileUpdatedEvent } from "./events.ts";
import { FormController } from "./form-controller.ts";
import { errorRegion, reportError } from "./parts.ts";


/** The panel's state and template; its requests run through its own FormController (`passkey-state`). */
export class PasskeyPanel {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #client: () => AuthClient | undefined;
  readonly #id: string;
  readonly #form: FormController;
  #keys: Passkey[] | undefined;
  #factors: Factor[] | undefined;
  #confirming: string | undefined;
  #notice: ((text: Messages) => string) | undefined;
  /** Why the list could not be read (a background read: not through the form, whose focus handling is for what the user started). */
  #loadError: AuthError | undefined;
  /** Bumped for every user, so a slow read for the last one is dropped. */
  #generation = 0;

  constructor(host: ReactiveControllerHost & HTMLElement, client: () => AuthClient | undefined, id: string) {
    this.#host = host;
    this.#client = client;
    this.#id = id;
    this.#form = new FormController(host, "passkey-state");
  }

  /** Whether Cognito says the user has no password (only then is the password form left out). */
  get passwordless(): boolean {
    return this.#factors !== undefined && !this.#factors.some((factor) => factor === "PASSWORD" || factor === "PASSWORD_SRP");
  }

  /** Forgets the last user's passkeys; loads the signed-in user's when `load` is set. */
  async reset(load: boolean): Promise<void> {
    this.#generation++;
    this.#keys = this.#factors = this.#confirming = this.#notice = this.#loadError = undefined;
    // An idle form stays untouched: a reset would count as a step change and move focus.
    if (this.#form.status !== "idle") this.#form.reset();
    if (load) await this.#load();
  }

  async #load(): Promise<void> {
    const client = this.#client();
    if (!client) return;
    const supported = typeof PublicKeyCredential !== "undefined";
    const generation = this.#generation;
    try {
      const [factors, keys] = await Promise.all([client.authFactors(), supported ? client.passkeys() : Promise.resolve([])]);
      if (generation !== this.#generation) return;
      [this.#factors, this.#keys, this.#loadError] = [factors, keys, undefined];
    } catch (caught) {
      if (generation !== this.#generation) return;
      this.#loadError = toAuthError(caught);
    }
    this.#host.requestUpdate();
  }

  render(): TemplateResult {
    const text = messages();
    const titleId = `${this.#id}-passkeys-title`;
    const problem = this.#form.problem ?? (this.#loadError ? { error: this.#loadError } : undefined);
    if (typeof PublicKeyCredential === "undefined") {
      return html`<div class="panel passkeys">
        <h2 id=${titleId}>${text.passkeys.title}</h2>
        <p>${text.passkeys.unsupported}</p>
      </div>`;
    }
    const keys = this.#keys;
    const pending = this.#form.pending;
    const dates = new Intl.DateTimeFormat(localeOf(this.#host), { dateStyle: "medium" });
    return html`<div class="panel passkeys">
      <h2 id=${titleId}>${text.passkeys.title}</h2>
      ${keys === undefined ? nothing : keys.length === 0 ? html`<p>${text.passkeys.none}</p>` : html`<ul aria-labelledby=${titleId}>${keys.map((key, index) => this.#item(key, index, dates))}</ul>`}
      <p class="status" role="status">${this.#notice?.(text)}</p>
      ${errorRegion(`${this.#id}-passkeys-error`, passkeyProblem(problem, (text) => text.passkeys.failed))}
      <div class="actions">
        <button type="button" class="secondary" ?disabled=${pending || !keys} aria-busy=${pending ? "true" : "false"} @click=${this.#add}>${text.passkeys.add}</button>
      </div>
    </div>`;
  }

  #item(key: Passkey, index: number, dates: Intl.DateTimeFormat): TemplateResult {
    const text = messages();
    const nameId = `${this.#id}-passkey-${index}`;
    const warningId = `${nameId}-warning`;
    const added = dates.format(key.createdAt);
    const pending = this.#form.pending;
    return html`<li>
      <span class="name" id=${nameId}>${key.name ?? text.passkeys.unnamed}</span>
      <span class="hint">${[text.passkeys.attachment(key.attachment ?? ""), text.passkeys.created(added)]
        .filter(Boolean)
        .map((part, i) => html`${i ? " · " : ""}<span>${part}</span>`)}</span>
      ${this.#confirming === key.id
        ? html`<p class="danger" id=${warningId}>${text.passkeys.deleteConfirm}</p>
            <div class="actions">
              <button type="button" class="danger" ?disabled=${pending} aria-describedby=${`${nameId} ${warningId}`} @click=${() => this.#delete(key.id)}>${text.passkeys.deleteYes}</button>
              <button type="button" class="secondary" ?disabled=${pending} @click=${() => this.#confirm(undefined)}>${messages().profile.cancel}</button>
            </div>`
        : html`<button type="button" class="secondary" ?disabled=${pending} aria-describedby=${nameId} @click=${() => this.#confirm(key.id)}>${text.passkeys.delete}</button>`}
    </li>`;
  }

  #confirm(id: string | undefined): void {
    this.#confirming = id;
    this.#notice = undefined;
    this.#host.requestUpdate();
  }

  #add = async (): Promise<void> => {
    const client = this.#client();
    if (!client || this.#form.pending) return;
    this.#notice = undefined;
    const added = await this.#form.run(() => client.addPasskey().then(() => true));
    if (!added) return this.#failed();
    this.#host.dispatchEvent(new CognitoProfileUpdatedEvent({ changed: ["passkeys"] }));
    await this.#load();
    this.#notice = (text) => text.passkeys.added;
    this.#host.requestUpdate();
  };

  async #delete(id: string): Promise<void> {
    const client = this.#client();
    if (!client || this.#form.pending) return;
    const deleted = await this.#form.run(() => client.deletePasskey(id).then(() => true));
    this.#confirming = undefined;
    if (!deleted) return this.#failed();
    this.#host.dispatchEvent(new CognitoProfileUpdatedEvent({ changed: ["passkeys"] }));
    await this.#load();
    this.#notice = (text) => text.passkeys.deleted;
    this.#host.requestUpdate();
  }

  #failed(): void {
    reportError(this.#host, this.#form.problem);
    this.#host.requestUpdate();
  }
}
