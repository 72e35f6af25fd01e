/** No integrity check has this id (it was never started, or the id is no UUID). */
export class IntegrityCheckNotFound extends Error {
  constructor(readonly id: string) {
    super(`No integrity check has the id ${id}`);
    this.name = 'IntegrityCheckNotFound';
  }
}
