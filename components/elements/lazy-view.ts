/**
 * An element's view, loaded on its first render: sign-up, password reset and the profile keep
 * their forms, state and handlers in a module of their own, an `import()` away, so a page that
 * only signs in never loads them. The element class, its attributes and its properties stay
 * registered up front: `customElements.get`, `:defined`, properties set before the load and
 * framework bindings work at once, and `updateComplete` waits for the view (the host's
 * `scheduleUpdate` waits on `loading()`). Once loaded, updates run exactly as an eager element's.
 */
import { html, type PropertyValues, type ReactiveControllerHost, type TemplateResult } from "lit";
import { messages } from "../i18n/messages.ts";
import type { NavigateTarget } from "./events.ts";

/** How to fetch the view of each form a link may show in place (view-switch.ts). */
const preloads = new Map<NavigateTarget, () => Promise<unknown>>();

/** Registers `load` as the way to fetch the view of the form `to` names. */
export function preloadable(to: NavigateTarget, load: () => Promise<unknown>): void {
  preloads.set(to, load);
}

/**
 * Starts fetching the view of the form `to` names, if it has one, as the pointer or focus reaches
 * a link to it: by the click it is there, and the form shows in place without a blank moment. A
 * failed fetch is left for the element's own load to report.
 */
export function preload(to: NavigateTarget): void {
  preloads.get(to)?.().catch(() => undefined);
}

export interface View {
  render(): unknown;
  willUpdate?(changed: PropertyValues): void;
}

export class LazyView<V extends View> {
  readonly #load: () => Promise<V>;
  #view: V | undefined;
  #failed = false;
  #pending: Promise<void> | undefined;

  constructor(load: () => Promise<V>) {
    this.#load = load;
  }

  /**
   * The first load, to wait on before updating; undefined once it settled, so later updates keep
   * Lit's timing. A failed load (offline, a stale deploy) renders a message instead of the view.
   */
  loading(): Promise<void> | undefined {
    if (this.#view || this.#failed) return undefined;
    return (this.#pending ??= this.#load().then(
      (view) => void (this.#view = view),
      () => void (this.#failed = true),
    ));
  }

  willUpdate(changed: PropertyValues): void {
    this.#view?.willUpdate?.(changed);
  }

  render(): unknown {
    return this.#view ? this.#view.render() : failed();
  }
}

function failed(): TemplateResult {
  return html`<p class="config-error" role="alert">${messages().loadFailed}</p>`;
}

/**
 * Makes `keys` of a view reactive, as Lit's state properties are on an element: assigning a new
 * value asks the host to render again. Call it at the end of the view's constructor.
 */
export function reactive<T extends object>(view: T, host: ReactiveControllerHost, keys: ReadonlyArray<keyof T>): void {
  for (const key of keys) {
    let value = view[key];
    Object.defineProperty(view, key, {
      get: () => value,
      set: (next: T[keyof T]) => {
        if (next === value) return;
        value = next;
        host.requestUpdate();
      },
    });
  }
}
