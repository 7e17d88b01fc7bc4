/**
 * The body of an element that loads on first connect (issue 6, bundle weight). The element class
 * (properties, attributes, docblock, registration) stays in the package's first load; its
 * templates and handlers live in a view module it `import()`s when it first connects — for a tag
 * already in the page, as soon as the tag is defined. Bundlers with code splitting put the view in
 * a chunk of its own, so a page that never shows the element never fetches it.
 *
 * States: initial → pending → complete | error. Until complete the element shows what `waiting`
 * renders; if the chunk cannot be fetched, the network error, never a blank. `loaded` settles
 * either way; the element awaits it in `getUpdateComplete`, so `await el.updateComplete` still
 * means "the real content has rendered".
 *
 * A view module also imports the package's entry (`import "../index.ts"`). At run time that costs
 * nothing: a view loads only after the package has. It is there for esbuild's code splitting,
 * which groups modules by the set of entries (dynamic imports included) that reach them: without
 * it, every module a view shares with the first load moves to a chunk of its own, and the first
 * load becomes several files, each gzipped alone (about 1 KB gzip more, measured with
 * `BENCH_ONLY=bundle npx tsx bench/run.ts`). With it, the first load is one file and a re-export.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from "lit";
import { localeOf, messages } from "../auth/messages.ts";

/** What a view module's class is: a controller of the host that renders its light DOM. */
export interface View extends ReactiveController {
  render(): TemplateResult | typeof nothing;
}

type Host = ReactiveControllerHost & HTMLElement;

export class LazyView implements ReactiveController {
  readonly #host: Host;
  readonly #load: () => Promise<View>;
  #state: "initial" | "pending" | "complete" | "error" = "initial";
  #view: View | undefined;
  #settle!: () => void;
  /** Settles once the view has loaded (and the host has been asked to render it) or failed to. */
  readonly loaded = new Promise<void>((resolve) => (this.#settle = resolve));

  /** `load` imports the view module and creates the view for the host. */
  constructor(host: Host, load: () => Promise<View>) {
    this.#host = host;
    this.#load = load;
    host.addController(this);
  }

  hostConnected(): void {
    if (this.#state !== "initial") return;
    this.#state = "pending";
    this.#load().then(
      (view) => {
        this.#view = view;
        this.#state = "complete";
        // A controller added late: Lit connects it at once when the host is connected.
        this.#host.addController(view);
      },
      () => (this.#state = "error"),
    ).finally(() => {
      this.#host.requestUpdate();
      this.#settle();
    });
  }

  render(waiting: () => TemplateResult | typeof nothing = () => nothing): TemplateResult | typeof nothing {
    if (this.#view) return this.#view.render();
    if (this.#state !== "error") return waiting();
    return html`<p class="error" role="alert">${messages(localeOf(this.#host)).errors.network}</p>`;
  }
}
