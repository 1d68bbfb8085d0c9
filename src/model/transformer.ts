import type * as TfModule from '@tensorflow/tfjs';
import { seededRandom } from '../evaluate/sample.js';

type Tf = typeof TfModule;
type Tensor = TfModule.Tensor;
type Variable = TfModule.Variable;

/** Sizes of the task model. */
export interface TransformerShape {
  /** Tokens with a trained embedding and output logit. */
  readonly vocabulary: number;
  /** Width of every hidden state. @default 96 */
  readonly dModel: number;
  /** Attention heads (must divide `dModel`). @default 4 */
  readonly heads: number;
  /** Encoder layers and decoder layers (each). @default 2 */
  readonly layers: number;
  /** Width of the feed-forward blocks. @default 192 */
  readonly feedForward: number;
  /** Longest question and program, in tokens. */
  readonly maxSource: number;
  readonly maxTarget: number;
}

/** A batch as tensors; `*Copy` ids index the full (extended) vocabulary, the rest trained ids. */
export interface EncodedBatch {
  readonly source: Tensor; // [B, S] int32, trained ids (`<unk>` for copy-only words)
  readonly sourceCopy: Tensor; // [B, S] int32, full ids
  readonly sourceMask: Tensor; // [B, S] float 1/0
}

/**
 * A small encoder-decoder transformer (pre-layer-norm, learnt positions) with a pointer-generator
 * head (See et al. 2017): each output token mixes the vocabulary distribution with attention over
 * the question's words, so values the model never saw (`'tempe'`) are copied from the question.
 * Embeddings are a one-hot matrix product rather than a gather, since every kernel used here has a
 * gradient on the WebAssembly backend.
 */
export class PointerTransformer {
  readonly variables: Record<string, Variable> = {};
  private readonly dropoutSeed: number;

  constructor(
    private readonly tf: Tf,
    readonly shape: TransformerShape,
    seed = 1,
  ) {
    this.dropoutSeed = seed;
    const random = seededRandom(seed);
    const normal = () => {
      const u = Math.max(random(), 1e-12);
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
    };
    const weight = (name: string, shape: number[], std?: number) => {
      const size = shape.reduce((product, value) => product * value, 1);
      const scale = std ?? Math.sqrt(2 / (shape[0]! + shape[shape.length - 1]!));
      const values = new Float32Array(size);
      for (let index = 0; index < size; index++) values[index] = normal() * scale;
      this.variables[name] = tf.variable(tf.tensor(values, shape), true, name);
    };
    const constant = (name: string, shape: number[], value: number) => {
      this.variables[name] = tf.variable(tf.fill(shape, value), true, name);
    };
    const { dModel: d, feedForward: ff, vocabulary: v } = shape;
    weight('embedding', [v, d], 0.1);
    weight('sourcePosition', [shape.maxSource, d], 0.02);
    weight('targetPosition', [shape.maxTarget + 1, d], 0.02);
    const attention = (prefix: string) => {
      for (const part of ['q', 'k', 'v', 'o']) weight(`${prefix}.${part}`, [d, d]);
    };
    const block = (prefix: string) => {
      constant(`${prefix}.ln.g`, [d], 1);
      constant(`${prefix}.ln.b`, [d], 0);
    };
    const feedForward = (prefix: string) => {
      weight(`${prefix}.w1`, [d, ff]);
      constant(`${prefix}.b1`, [ff], 0);
      weight(`${prefix}.w2`, [ff, d]);
      constant(`${prefix}.b2`, [d], 0);
    };
    for (let layer = 0; layer < shape.layers; layer++) {
      block(`enc${layer}.a`);
      attention(`enc${layer}.self`);
      block(`enc${layer}.f`);
      feedForward(`enc${layer}.ff`);
      block(`dec${layer}.a`);
      attention(`dec${layer}.self`);
      block(`dec${layer}.c`);
      attention(`dec${layer}.cross`);
      block(`dec${layer}.f`);
      feedForward(`dec${layer}.ff`);
    }
    block('enc.final');
    block('dec.final');
    weight('out.w', [d, v]);
    constant('out.b', [v], 0);
    weight('pointer.q', [d, d]);
    weight('pointer.k', [d, d]);
    weight('gate.w', [d, 1]);
    constant('gate.b', [1], 0);
  }

  /** Parameters in the model. */
  get parameterCount(): number {
    return Object.values(this.variables).reduce((sum, variable) => sum + variable.size, 0);
  }

  /**
   * Matrix product whose gradient transposes explicitly: the WebAssembly backend's matMul with a
   * transposed operand is about ten times slower than a transpose followed by a plain matMul, and
   * tfjs's own gradient uses the transposed forms.
   */
  private readonly matMul = (a: Tensor, b: Tensor, transposeB = false): Tensor => {
    const tf = this.tf;
    const swap = (x: Tensor) => {
      const rank = x.rank;
      const axes = Array.from({ length: rank }, (_, index) => index);
      [axes[rank - 2], axes[rank - 1]] = [axes[rank - 1]!, axes[rank - 2]!];
      return tf.transpose(x, axes);
    };
    const product = tf.customGrad((left, right, save) => {
      const x = left as Tensor;
      const y = right as Tensor;
      (save as unknown as (tensors: Tensor[]) => void)([x, y]);
      return {
        value: tf.matMul(x, y),
        gradFunc: (dy: Tensor, saved: Tensor[]) => [
          tf.matMul(dy, swap(saved[1]!)),
          tf.matMul(swap(saved[0]!), dy),
        ],
      };
    });
    return product(a, transposeB ? swap(b) : b) as Tensor;
  };

  private get(name: string): Variable {
    return this.variables[name]!;
  }

  private dense(x: Tensor, weight: string, bias?: string): Tensor {
    const tf = this.tf;
    const [b, l, d] = x.shape as [number, number, number];
    const w = this.get(weight);
    let y = this.matMul(tf.reshape(x, [b * l, d]), w);
    if (bias) y = tf.add(y, this.get(bias));
    return tf.reshape(y, [b, l, w.shape[1]!]);
  }

  private layerNorm(x: Tensor, prefix: string): Tensor {
    const tf = this.tf;
    const { mean, variance } = tf.moments(x, -1, true);
    const normed = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
    return tf.add(tf.mul(normed, this.get(`${prefix}.ln.g`)), this.get(`${prefix}.ln.b`));
  }

  private embed(ids: Tensor, position: string): Tensor {
    const tf = this.tf;
    const [b, l] = ids.shape as [number, number];
    const oneHot = tf.oneHot(tf.reshape(ids, [b * l]), this.shape.vocabulary);
    const vectors = tf.reshape(this.matMul(tf.cast(oneHot, 'float32'), this.get('embedding')), [
      b,
      l,
      this.shape.dModel,
    ]);
    const positions = tf.slice(this.get(position), [0, 0], [l, this.shape.dModel]);
    return tf.add(tf.mul(vectors, Math.sqrt(this.shape.dModel) / 4), positions);
  }

  /** Multi-head attention; `bias` is added to the scores ([B|1, 1, Tq|1, Tk]). */
  private attention(query: Tensor, memory: Tensor, prefix: string, bias: Tensor | undefined): Tensor {
    const tf = this.tf;
    const { heads, dModel } = this.shape;
    const dk = dModel / heads;
    const split = (x: Tensor) => {
      const [b, l] = x.shape as [number, number, number];
      return tf.transpose(tf.reshape(x, [b, l, heads, dk]), [0, 2, 1, 3]);
    };
    const q = split(this.dense(query, `${prefix}.q`));
    const k = split(this.dense(memory, `${prefix}.k`));
    const v = split(this.dense(memory, `${prefix}.v`));
    let scores = tf.mul(this.matMul(q, k, true), 1 / Math.sqrt(dk));
    if (bias) scores = tf.add(scores, bias);
    const mixed = this.matMul(tf.softmax(scores), v);
    const [b, , l] = mixed.shape as [number, number, number, number];
    return this.dense(tf.reshape(tf.transpose(mixed, [0, 2, 1, 3]), [b, l, dModel]), `${prefix}.o`);
  }

  private feedForward(x: Tensor, prefix: string, dropout: number): Tensor {
    const hidden = this.tf.relu(this.dense(x, `${prefix}.w1`, `${prefix}.b1`));
    return this.dense(this.drop(hidden, dropout), `${prefix}.w2`, `${prefix}.b2`);
  }

  /** Dropout masks drawn so far: each mask gets its own seed, so a training run repeats exactly. */
  private dropouts = 0;

  private drop(x: Tensor, rate: number): Tensor {
    if (rate <= 0) return x;
    this.dropouts++;
    return this.tf.dropout(x, rate, undefined, this.dropoutSeed * 1_000_003 + this.dropouts);
  }

  /** Encode a batch of questions: hidden states [B, S, d]. */
  encode(batch: EncodedBatch, dropout = 0): Tensor {
    const tf = this.tf;
    const [b, s] = batch.source.shape as [number, number];
    const bias = tf.reshape(tf.mul(tf.sub(1, batch.sourceMask), -1e9), [b, 1, 1, s]);
    let x = this.drop(this.embed(batch.source, 'sourcePosition'), dropout);
    for (let layer = 0; layer < this.shape.layers; layer++) {
      const normed = this.layerNorm(x, `enc${layer}.a`);
      x = tf.add(x, this.drop(this.attention(normed, normed, `enc${layer}.self`, bias), dropout));
      x = tf.add(
        x,
        this.drop(this.feedForward(this.layerNorm(x, `enc${layer}.f`), `enc${layer}.ff`, dropout), dropout),
      );
    }
    return this.layerNorm(x, 'enc.final');
  }

  /**
   * Probabilities over the full vocabulary (`fullVocabulary` >= trained size) of the next token at
   * every target position: [B, T, fullVocabulary] (with `lastOnly`, at the last position: [B, 1, fullVocabulary]).
   */
  decode(
    encoded: Tensor,
    batch: EncodedBatch,
    targetInput: Tensor,
    fullVocabulary: number,
    dropout = 0,
    lastOnly = false,
  ): Tensor {
    const tf = this.tf;
    const [b, s] = batch.source.shape as [number, number];
    const t = targetInput.shape[1]!;
    const sourceBias = tf.reshape(tf.mul(tf.sub(1, batch.sourceMask), -1e9), [b, 1, 1, s]);
    const causal = tf.reshape(tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([t, t]), -1, 0)), -1e9), [
      1,
      1,
      t,
      t,
    ]);
    let x = this.drop(this.embed(targetInput, 'targetPosition'), dropout);
    for (let layer = 0; layer < this.shape.layers; layer++) {
      const normed = this.layerNorm(x, `dec${layer}.a`);
      x = tf.add(x, this.drop(this.attention(normed, normed, `dec${layer}.self`, causal), dropout));
      x = tf.add(
        x,
        this.drop(
          this.attention(this.layerNorm(x, `dec${layer}.c`), encoded, `dec${layer}.cross`, sourceBias),
          dropout,
        ),
      );
      x = tf.add(
        x,
        this.drop(this.feedForward(this.layerNorm(x, `dec${layer}.f`), `dec${layer}.ff`, dropout), dropout),
      );
    }
    let h = this.layerNorm(x, 'dec.final');
    // When decoding greedily only the newest position's distribution is needed.
    if (lastOnly) h = tf.slice(h, [0, t - 1, 0], [b, 1, this.shape.dModel]);
    let vocabulary = tf.softmax(this.dense(h, 'out.w', 'out.b'));
    if (fullVocabulary > this.shape.vocabulary) {
      vocabulary = tf.pad(vocabulary, [
        [0, 0],
        [0, 0],
        [0, fullVocabulary - this.shape.vocabulary],
      ]);
    }
    const pointerScores = tf.add(
      tf.mul(
        this.matMul(this.dense(h, 'pointer.q'), this.dense(encoded, 'pointer.k'), true),
        1 / Math.sqrt(this.shape.dModel),
      ),
      tf.reshape(tf.mul(tf.sub(1, batch.sourceMask), -1e9), [b, 1, s]),
    );
    const pointer = tf.softmax(pointerScores); // [B, T, S]
    const sourceOneHot = tf.cast(tf.oneHot(batch.sourceCopy, fullVocabulary), 'float32'); // [B, S, V]
    const copy = this.matMul(pointer, sourceOneHot);
    const gate = tf.sigmoid(this.dense(h, 'gate.w', 'gate.b')); // [B, T, 1]
    return tf.add(tf.mul(gate, vocabulary), tf.mul(tf.sub(1, gate), copy));
  }

  dispose(): void {
    for (const variable of Object.values(this.variables)) variable.dispose();
  }
}
