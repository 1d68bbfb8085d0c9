import type * as TfModule from '@tensorflow/tfjs';
import { seededRandom } from '../evaluate/sample.js';
import type { ProgramTokens } from '../tasks/spec.js';
import { questionModelTokens, wordTokens } from './program-tokens.js';
import { loadTfjs } from './tfjs-wasm.js';
import { type EncodedBatch, PointerTransformer } from './transformer.js';
import { BOS, EOS, PAD, Vocabulary } from './vocabulary.js';

type Tf = typeof TfModule;

/** One training pair; `weight` (from `symgen curate`) scales the example's loss. */
export interface TrainingPair {
  readonly question: string;
  readonly program: string;
  readonly weight?: number;
}

/** Settings of {@link TaskModel.train}. */
export interface TaskModelOptions {
  /** @default 64 */
  readonly dModel?: number;
  /** @default 4 */
  readonly heads?: number;
  /** Encoder and decoder layers each. @default 2 */
  readonly layers?: number;
  /** @default 128 */
  readonly feedForward?: number;
  /** Passes over the data. @default 40 */
  readonly epochs?: number;
  /** Stop training after this many seconds, whatever the epoch (bounds the cost). @default 600 */
  readonly maxSeconds?: number;
  /** @default 32 */
  readonly batchSize?: number;
  /** Adam's learning rate. @default 0.002 */
  readonly learningRate?: number;
  /** @default 0.1 */
  readonly dropout?: number;
  /** Tokens seen fewer times than this get no embedding and are reached by copying. @default 2 */
  readonly minCount?: number;
  /** Longest question and program in tokens (longer ones are cut). @default 40 and 120 */
  readonly maxSource?: number;
  readonly maxTarget?: number;
  /** Seeds initial weights and the order of batches. @default 1 */
  readonly seed?: number;
  /** How programs become tokens and back: the task's `modelTokens`. @default {@link wordTokens} */
  readonly tokens?: ProgramTokens;
  /** Called after each epoch with its mean loss. */
  readonly onEpoch?: (epoch: number, loss: number, seconds: number) => void;
}

/** What training did. */
export interface TrainStats {
  readonly examples: number;
  readonly vocabulary: number;
  readonly parameters: number;
  readonly epochs: number;
  readonly steps: number;
  readonly seconds: number;
  /** Mean loss of the first and the last epoch. */
  readonly firstLoss: number;
  readonly finalLoss: number;
  readonly backend: string;
}

interface Prepared {
  readonly source: string[];
  readonly target: string[];
  readonly weight: number;
}

/**
 * The built-in task model: a small pointer-generator transformer trained from scratch on
 * question/program pairs with TensorFlow.js on WebAssembly, for the indirect evaluation of a
 * dataset (train on it, score on gold). Bounded by `epochs` and `maxSeconds`.
 * @example
 * const model = await TaskModel.train(pairs, { epochs: 30 });
 * const programs = await model.predict(['what is the capital of texas']);
 * model.dispose();
 */
export class TaskModel {
  private constructor(
    private readonly tf: Tf,
    private readonly network: PointerTransformer,
    private readonly vocabulary: Vocabulary,
    private readonly maxSource: number,
    /** Longest program decoded: the longest training program plus a margin, within `maxTarget`. */
    private readonly maxDecode: number,
    readonly stats: TrainStats,
    private readonly tokens: ProgramTokens,
  ) {}

  static async train(pairs: readonly TrainingPair[], options: TaskModelOptions = {}): Promise<TaskModel> {
    if (pairs.length === 0) throw new RangeError('Expected at least one training pair, got 0');
    const tf = await loadTfjs();
    const maxSource = options.maxSource ?? 40;
    const maxTarget = options.maxTarget ?? 120;
    const tokens = options.tokens ?? wordTokens;
    const prepared: Prepared[] = pairs.map((pair) => ({
      source: questionModelTokens(pair.question).slice(0, maxSource),
      target: tokens.encode(pair.program).slice(0, maxTarget),
      weight: pair.weight ?? 1,
    }));
    const counts = new Map<string, number>();
    for (const example of prepared) {
      for (const token of [...example.source, ...example.target])
        counts.set(token, (counts.get(token) ?? 0) + 1);
    }
    const vocabulary = new Vocabulary();
    const minCount = options.minCount ?? 2;
    for (const [token, count] of counts) if (count >= minCount) vocabulary.add(token);
    vocabulary.freeze();
    for (const token of counts.keys()) vocabulary.add(token);

    const network = new PointerTransformer(
      tf,
      {
        vocabulary: vocabulary.trainedSize,
        dModel: options.dModel ?? 64,
        heads: options.heads ?? 4,
        layers: options.layers ?? 2,
        feedForward: options.feedForward ?? 128,
        maxSource,
        maxTarget,
      },
      options.seed ?? 1,
    );
    const optimizer = tf.train.adam(options.learningRate ?? 0.002);
    const random = seededRandom((options.seed ?? 1) + 17);
    const batchSize = options.batchSize ?? 32;
    const epochs = options.epochs ?? 40;
    const maxSeconds = options.maxSeconds ?? 600;
    const dropout = options.dropout ?? 0.1;
    const started = performance.now();
    const elapsed = () => (performance.now() - started) / 1000;
    const variables = Object.values(network.variables);
    let steps = 0;
    let firstLoss = Number.NaN;
    let finalLoss = Number.NaN;
    let epoch = 0;
    while (epoch < epochs && elapsed() < maxSeconds) {
      const batches = lengthBuckets(prepared, batchSize, random);
      let sum = 0;
      let done = 0;
      for (const bucket of batches) {
        if (elapsed() >= maxSeconds) break;
        const examples = bucket.map((index) => prepared[index]!);
        const tensors = makeBatch(tf, examples, vocabulary, true);
        const full = vocabulary.size;
        const loss = optimizer.minimize(
          () => {
            const encoded = network.encode(tensors.batch, dropout);
            const probabilities = network.decode(encoded, tensors.batch, tensors.targetInput!, full, dropout);
            const picked = tf.sum(
              tf.mul(probabilities, tf.cast(tf.oneHot(tensors.targetOutput!, full), 'float32')),
              -1,
            );
            const weights = tf.mul(tensors.targetMask!, tensors.weights!);
            return tf.neg(
              tf.div(tf.sum(tf.mul(tf.log(tf.add(picked, 1e-9)), weights)), tf.sum(weights)),
            ) as TfModule.Scalar;
          },
          true,
          variables,
        );
        sum += (await loss!.data())[0]!;
        loss!.dispose();
        tensors.dispose();
        done++;
        steps++;
      }
      epoch++;
      const mean = sum / Math.max(1, done);
      if (epoch === 1) firstLoss = mean;
      finalLoss = mean;
      options.onEpoch?.(epoch, mean, elapsed());
    }
    optimizer.dispose();
    const longest = Math.max(...prepared.map((example) => example.target.length));
    return new TaskModel(
      tf,
      network,
      vocabulary,
      maxSource,
      Math.min(maxTarget, longest + 10),
      {
        examples: pairs.length,
        vocabulary: vocabulary.trainedSize,
        parameters: network.parameterCount,
        epochs: epoch,
        steps,
        seconds: elapsed(),
        firstLoss,
        finalLoss,
        backend: tf.getBackend(),
      },
      tokens,
    );
  }

  /** Greedy decoding of a program for each question, in batches. */
  async predict(questions: readonly string[], options: { batchSize?: number } = {}): Promise<string[]> {
    const tf = this.tf;
    const sources = questions.map((question) => questionModelTokens(question).slice(0, this.maxSource));
    for (const source of sources) for (const token of source) this.vocabulary.add(token);
    const full = this.vocabulary.size;
    const batchSize = options.batchSize ?? 128;
    const programs: string[] = [];
    for (let start = 0; start < sources.length; start += batchSize) {
      const chunk = sources
        .slice(start, start + batchSize)
        .map((source) => ({ source, target: [], weight: 1 }));
      const tensors = makeBatch(tf, chunk, this.vocabulary, false);
      const encodedAll = tf.tidy(() => this.network.encode(tensors.batch));
      const outputs: number[][] = chunk.map(() => []);
      // Rows still decoding; finished rows leave the batch so long programs do not make short ones pay.
      let active = chunk.map((_, row) => row);
      let view = { encoded: encodedAll, batch: tensors.batch, owned: [] as TfModule.Tensor[] };
      for (let step = 0; step < this.maxDecode && active.length > 0; step++) {
        const input = tf.tensor2d(
          active.map((row) => [
            BOS,
            ...outputs[row]!.map((id) => this.vocabulary.inputId(this.vocabulary.tokens[id]!)),
          ]),
          [active.length, step + 1],
          'int32',
        );
        const next = tf.tidy(() => {
          const probabilities = this.network.decode(view.encoded, view.batch, input, full, 0, true);
          return tf.reshape(tf.argMax(probabilities, -1), [active.length]);
        });
        const ids = await next.data();
        next.dispose();
        input.dispose();
        const still: number[] = [];
        const keep: number[] = [];
        active.forEach((row, position) => {
          if (ids[position] === EOS) return;
          outputs[row]!.push(ids[position]!);
          still.push(row);
          keep.push(position);
        });
        if (still.length < active.length && still.length > 0) {
          const indices = tf.tensor1d(keep, 'int32');
          const gathered = [
            tf.gather(view.encoded, indices),
            tf.gather(view.batch.source, indices),
            tf.gather(view.batch.sourceCopy, indices),
            tf.gather(view.batch.sourceMask, indices),
          ];
          indices.dispose();
          tf.dispose(view.owned);
          view = {
            encoded: gathered[0]!,
            batch: { source: gathered[1]!, sourceCopy: gathered[2]!, sourceMask: gathered[3]! },
            owned: gathered,
          };
        }
        active = still;
      }
      tf.dispose(view.owned);
      encodedAll.dispose();
      tensors.dispose();
      for (const tokens of outputs)
        programs.push(this.tokens.decode(tokens.map((id) => this.vocabulary.tokens[id]!)));
    }
    return programs;
  }

  dispose(): void {
    this.network.dispose();
  }
}

/**
 * Batches of similar target length (less padding, so less work per step): shuffle, sort by length
 * within windows of 8 batches, cut, then shuffle the batches.
 */
function lengthBuckets(prepared: readonly Prepared[], batchSize: number, random: () => number): number[][] {
  const order = prepared.map((_, index) => index);
  for (let index = order.length - 1; index > 0; index--) {
    const pick = Math.floor(random() * (index + 1));
    [order[index], order[pick]] = [order[pick]!, order[index]!];
  }
  const window = batchSize * 8;
  const batches: number[][] = [];
  for (let start = 0; start < order.length; start += window) {
    const part = order
      .slice(start, start + window)
      .sort((left, right) => prepared[left]!.target.length - prepared[right]!.target.length);
    for (let offset = 0; offset < part.length; offset += batchSize)
      batches.push(part.slice(offset, offset + batchSize));
  }
  for (let index = batches.length - 1; index > 0; index--) {
    const pick = Math.floor(random() * (index + 1));
    [batches[index], batches[pick]] = [batches[pick]!, batches[index]!];
  }
  return batches;
}

function makeBatch(
  tf: Tf,
  examples: readonly Prepared[],
  vocabulary: Vocabulary,
  withTargets: boolean,
): {
  batch: EncodedBatch;
  targetInput?: TfModule.Tensor;
  targetOutput?: TfModule.Tensor;
  targetMask?: TfModule.Tensor;
  weights?: TfModule.Tensor;
  dispose: () => void;
} {
  const b = examples.length;
  const s = Math.max(1, ...examples.map((example) => example.source.length));
  const source = new Int32Array(b * s);
  const sourceCopy = new Int32Array(b * s);
  const sourceMask = new Float32Array(b * s);
  examples.forEach((example, row) => {
    example.source.forEach((token, column) => {
      source[row * s + column] = vocabulary.inputId(token);
      sourceCopy[row * s + column] = vocabulary.id(token);
      sourceMask[row * s + column] = 1;
    });
  });
  const tensors: TfModule.Tensor[] = [
    tf.tensor2d(source, [b, s], 'int32'),
    tf.tensor2d(sourceCopy, [b, s], 'int32'),
    tf.tensor2d(sourceMask, [b, s], 'float32'),
  ];
  const batch = { source: tensors[0]!, sourceCopy: tensors[1]!, sourceMask: tensors[2]! };
  if (!withTargets) return { batch, dispose: () => tf.dispose(tensors) };
  const t = Math.max(...examples.map((example) => example.target.length)) + 1;
  const input = new Int32Array(b * t).fill(PAD);
  const output = new Int32Array(b * t).fill(PAD);
  const mask = new Float32Array(b * t);
  examples.forEach((example, row) => {
    input[row * t] = BOS;
    example.target.forEach((token, column) => {
      output[row * t + column] = vocabulary.id(token);
      mask[row * t + column] = 1;
      if (column + 1 < t) input[row * t + column + 1] = vocabulary.inputId(token);
    });
    output[row * t + example.target.length] = EOS;
    mask[row * t + example.target.length] = 1;
  });
  const more = [
    tf.tensor2d(input, [b, t], 'int32'),
    tf.tensor2d(output, [b, t], 'int32'),
    tf.tensor2d(mask, [b, t], 'float32'),
    tf.tensor2d(
      examples.map((example) => [example.weight]),
      [b, 1],
      'float32',
    ),
  ];
  tensors.push(...more);
  return {
    batch,
    targetInput: more[0]!,
    targetOutput: more[1]!,
    targetMask: more[2]!,
    weights: more[3]!,
    dispose: () => tf.dispose(tensors),
  };
}
