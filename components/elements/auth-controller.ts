/**
 * The one way an element reaches auth state: subscribes to the page's store while connected,
 * re-renders the host on every change, and mirrors the status in the host's `auth-state`
 * attribute (for CSS and tests). It also keeps the host in its language: re-renders when a
 * locale, an override or any `lang` attribute changes, and renders with the host's locale.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { AuthClient } from "../auth/client.ts";
import type { ConfigError } from "../auth/config.ts";
import { localeOf, onMessagesChange, renderingIn } from "../i18n/messages.ts";
import { authStore, type AuthSnapshot } from "../auth/store.ts";
import type { SignedInDetail } from "./events.ts";
import type { UsernameAttribute } from "./parts.ts";

// One observer for the page: `lang` may change on any ancestor of any element.
const connected = new Set<() => void>();
let langObserver: MutationObserver | undefined;

function watchLang(): void {
  if (langObserver || typeof MutationObserver === "undefined") return;
  langObserver = new MutationObserver(() => connected.forEach((changed) => changed()));
  langObserver.observe(document.documentElement, { attributes: true, attributeFilter: ["lang"], subtree: true });
}

export class AuthController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  #unsubscribe: (() => void) | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
    host.addController(this);
  }

  get snapshot(): AuthSnapshot {
    return authStore.snapshot;
  }

  /** The configured client; undefined while unconfigured or misconfigured. */
  get client(): AuthClient | undefined {
    return authStore.client;
  }

  /** The configuration problem to show instead of a form, if any. */
  get configError(): ConfigError | undefined {
    const config = authStore.config;
    return config.state === "error" ? config.error : undefined;
  }

  /** What users sign in with: the element's own `username-attribute`, else the config's. */
  usernameAttribute(own: UsernameAttribute): UsernameAttribute {
    return own ?? this.client?.config.usernameAttribute;
  }

  /** Who a `cognito-signed-in` names: the signed-in user, else `username` as it was typed. */
  signedIn(username: string): SignedInDetail {
    const snapshot = this.snapshot;
    return snapshot.status === "signed-in" ? { username: snapshot.username, loginId: snapshot.loginId } : { username, loginId: username };
  }

  hostConnected(): void {
    const stopStore = authStore.subscribe(this.#changed);
    const stopMessages = onMessagesChange(this.#relabel);
    connected.add(this.#relabel);
    watchLang();
    this.#unsubscribe = () => {
      stopStore();
      stopMessages();
      connected.delete(this.#relabel);
    };
    this.#changed();
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  // Lit renders between these two calls, synchronously: plain `messages()` in templates (and in
  // shared parts) then reads the host's locale.
  hostUpdate(): void {
    renderingIn(localeOf(this.#host));
  }

  hostUpdated(): void {
    renderingIn(undefined);
  }

  #relabel = (): void => this.#host.requestUpdate();

  #changed = (): void => {
    const state = this.configError ? "config-error" : this.snapshot.status;
    this.#host.setAttribute("auth-state", state);
    this.#host.requestUpdate();
  };
}
