import {createHash} from "node:crypto";
import {mkdirSync, readFileSync, renameSync, writeFileSync} from "node:fs";
import {join} from "node:path";

/** A page as last read, with the validators that let the next run ask only whether it changed. */
export interface CachedPage {
  url: string;
  etag?: string;
  last_modified?: string;
  contentType: string;
  text: string;
  fetched_at: string;
}

/** Pages read before, one JSON file per address (named by its hash), so that a monthly run sends conditional requests. */
export class PageCache {
  constructor(readonly dir: string) {}

  private file(url: string): string {
    return join(this.dir, `${createHash("sha256").update(url).digest("hex").slice(0, 32)}.json`);
  }

  get(url: string): CachedPage | undefined {
    try {
      const page = JSON.parse(readFileSync(this.file(url), "utf8")) as CachedPage;
      return page.url === url ? page : undefined;
    } catch {
      return undefined;
    }
  }

  put(page: CachedPage): void {
    mkdirSync(this.dir, {recursive: true});
    const file = this.file(page.url);
    writeFileSync(`${file}.part`, JSON.stringify(page));
    renameSync(`${file}.part`, file);
  }
}
