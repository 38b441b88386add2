/**
 * An error in the user's table or options (a missing column, an unseen category, a ragged row): the CLI
 * prints its message as one line without a stack trace.
 */
export class TableError extends Error {
  override name = 'TableError';
}
