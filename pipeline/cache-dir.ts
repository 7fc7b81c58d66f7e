import {join} from "node:path";

/** The one folder where the pipeline keeps what it computed, each file named for what it depends on. */
export const CACHE_DIR = join("node_modules", ".cache", "vcse-spend");
