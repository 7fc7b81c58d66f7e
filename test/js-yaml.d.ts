// js-yaml (4.x, installed with eslint) ships no types: the one function the workflow test uses.
declare module "js-yaml" {
  export function load(text: string): unknown;
  const yaml: {load: typeof load};
  export default yaml;
}
