/** Bun bundles imported CSS into the stylesheet; TypeScript only needs to know the import exists. */
declare module "*.css";
