/**
 * The store the site's data loaders read: $VCSE_STORE when set (`update --site` and scripts/build-site.ts set it
 * to the store they verified), else ./store.
 */
export function siteStore(): string {
  return process.env.VCSE_STORE || "store";
}
