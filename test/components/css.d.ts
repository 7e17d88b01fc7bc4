/** Stylesheets the browser tests import as text (test/components/build.ts: `loader: { ".css": "text" }`). */
declare module "*.css" {
  const text: string;
  export default text;
}
