/**
 * JSX types for React 19 (issue 14, finding 12): `import "cognito-elements/react";` once in a
 * React app types every `<cognito-*>` tag. The module is empty at run time; it exists for its
 * types, and is the only one that names React, so apps without React never need `@types/react`.
 *
 * Everything is derived, so a new element, property or event is typed without an edit here:
 * the tags from `HTMLElementTagNameMap`, each tag's props from its element class, the handlers
 * from the event map. React 19 sets a prop the element has as a property (`signupHref`),
 * any other as an attribute (`signup-href`), and adds `on<event-name>` as a listener
 * (https://react.dev/reference/react-dom/components#custom-html-elements).
 */
import type { LitElement } from "lit";
import type { DetailedHTMLProps, HTMLAttributes } from "react";
// Imported by name so the declaration file keeps the import, and with it the elements'
// `HTMLElementTagNameMap` entries, in a consumer's program.
import type { CognitoEventMap } from "./index.ts";

type Primitive = string | number | boolean;

/** True when `K` of `T` is readonly (a getter): React would throw assigning it. */
type IsReadonly<T, K extends keyof T> =
  (<V>() => V extends { [Q in K]: T[K] } ? 1 : 2) extends <V>() => V extends { -readonly [Q in K]: T[K] } ? 1 : 2 ? false : true;

/** The element's own settable properties: not LitElement's or HTMLElement's, no methods, no getters. */
type OwnProperties<E> = {
  [K in keyof E as K extends keyof LitElement | symbol | number
    ? never
    : E[K] extends (...args: never[]) => unknown
      ? never
      : IsReadonly<E, K> extends true
        ? never
        : K]: E[K];
};

/**
 * `passwordMinLength` → `password-min-length`, the attribute Lit observes for each property here
 * (test/e2e/react-types.test.ts checks every element keeps to it).
 */
type Dashed<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? "" : "-"}${Lowercase<Head>}${Dashed<Tail>}`
  : S;

/** Dashed attribute names for properties with a primitive value; one-word names are the property's. */
type Attributes<P> = {
  [K in keyof P & string as Dashed<K> extends K ? never : Exclude<P[K], undefined> extends Primitive ? Dashed<K> : never]?: Exclude<
    P[K],
    undefined
  >;
};

/**
 * `oncognito-signed-in={(event) => event.detail.username}`, from the map `HTMLElementEventMap`
 * extends; on every element, since the events bubble.
 */
export type CognitoEventHandlers = {
  [N in keyof CognitoEventMap as `on${N}`]?: (event: CognitoEventMap[N]) => void;
};

/** The props of one element in JSX: its properties, their attributes, its events, and React's own (`ref`, `key`, `slot` …). */
export type CognitoElementProps<E extends HTMLElement> = Partial<OwnProperties<E>> &
  Attributes<OwnProperties<E>> &
  CognitoEventHandlers &
  Omit<DetailedHTMLProps<HTMLAttributes<E>, E>, keyof OwnProperties<E>>;

/** Every `<cognito-*>` tag with its props. */
export type CognitoIntrinsicElements = {
  [T in keyof HTMLElementTagNameMap as T extends `cognito-${string}` ? T : never]: CognitoElementProps<HTMLElementTagNameMap[T]>;
};

declare module "react" {
  namespace JSX {
    // `jsx: "react-jsx"` reads `react/jsx-runtime`'s JSX, which extends this one.
    interface IntrinsicElements extends CognitoIntrinsicElements {}
  }
}
