import {loadClassifier, type Classifier} from "../classify/classify.ts";
import {IngestStats} from "./ingest-stats.ts";
import {SupplierMemo} from "./supplier-memo.ts";

/**
 * The state of one ingest run, made where the run starts and handed to whatever reads its files, so that two
 * runs in one process share nothing: its classifier, what that classifier has answered, and the run's stats.
 */
export class IngestRun {
  readonly stats = new IngestStats();
  readonly suppliers = new SupplierMemo();
  private loaded?: Promise<Classifier>;

  /** Without a classifier, the default one is loaded once a file needs classifying, once per run. */
  constructor(private readonly given?: Classifier) {}

  classifier(): Promise<Classifier> {
    return (this.loaded ??= this.given ? Promise.resolve(this.given) : loadClassifier());
  }
}
