export function median(values: Iterable<number>): number | undefined;
