/**
 * Stands in for `isomorphic-unfetch` in browser builds: amazon-cognito-identity-js imports it only
 * for its side effect, installing a `fetch` polyfill where none exists. Every browser the build
 * targets (ES2022) has `fetch`, so nothing is installed.
 */
export {};
