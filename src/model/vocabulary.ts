/** Special token ids shared by every vocabulary. */
export const PAD = 0;
export const BOS = 1;
export const EOS = 2;
export const UNK = 3;
const SPECIALS = ['<pad>', '<s>', '</s>', '<unk>'];

/**
 * One vocabulary for question words and SQL tokens. Tokens seen in training are `trained` (they
 * have learnt embeddings); tokens added later (words of the questions to answer) only serve as copy
 * targets: their embedding input is `<unk>` and the model reaches them by pointing at the question.
 */
export class Vocabulary {
  readonly tokens: string[] = [...SPECIALS];
  private readonly ids = new Map<string, number>(SPECIALS.map((token, index) => [token, index]));
  /** Ids below this have trained embeddings. */
  trainedSize = SPECIALS.length;

  add(token: string): number {
    let id = this.ids.get(token);
    if (id === undefined) {
      id = this.tokens.length;
      this.tokens.push(token);
      this.ids.set(token, id);
    }
    return id;
  }

  /** Close the trained part: tokens added after this are copy targets only. */
  freeze(): void {
    this.trainedSize = this.tokens.length;
  }

  id(token: string): number {
    return this.ids.get(token) ?? UNK;
  }

  /** The id to embed: `<unk>` for tokens without a trained embedding. */
  inputId(token: string): number {
    const id = this.id(token);
    return id < this.trainedSize ? id : UNK;
  }

  get size(): number {
    return this.tokens.length;
  }
}
