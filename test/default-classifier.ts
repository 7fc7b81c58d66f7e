import {loadClassifier, type Classifier} from "../pipeline/classify/classify.ts";

let loaded: Promise<Classifier> | undefined;

/**
 * The default classifier, loaded once for all of a test file's ingests (loading takes seconds, and an ingest given
 * no classifier loads its own): those runs then share its answers, as the caller's choice.
 */
export function defaultClassifier(): Promise<Classifier> {
  return (loaded ??= loadClassifier());
}
