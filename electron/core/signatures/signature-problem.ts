/**
 * Why a signature, certificate or timestamp cannot be trusted, in words a plant engineer can act
 * on (e.g. "the signing certificate has expired (valid until 2023-06-27)"). Verifiers throw it
 * for input they cannot read and turn it into a `reason`; callers show `message` as it is.
 */
export class SignatureProblem extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SignatureProblem';
  }
}
