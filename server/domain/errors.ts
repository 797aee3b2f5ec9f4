/** Bad input found below the edge (a cursor, a cell id): the router answers BAD_REQUEST naming the field. */
export class BadInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
