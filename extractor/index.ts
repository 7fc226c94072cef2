// The public API of @cellforge/extractor.
export * from "./notebook/index.ts";
