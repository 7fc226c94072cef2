// The notebook contract shared by the extractor, the lint rules and the runtime (none of them imports another).
export { didYouMean } from "./did-you-mean.ts";
export * from "./dataset-types.ts";
