/** No key of the subject is left: nothing was ever sealed for them, or it was erased already. */
export class PersonalDataNotHeld extends Error {
  constructor(readonly subjectId: string) {
    super(`No personal data is held for ${subjectId}`);
    this.name = 'PersonalDataNotHeld';
  }
}
