/** A file (or a row in it) that cannot be read, with the reason in words a publisher would understand. */
export class ReadError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly row?: number
  ) {
    super(`${file}${row ? `, row ${row}` : ""}: ${reason}`);
    this.name = "ReadError";
  }
}
