import { writeFileSync } from 'node:fs';

// Writes a minimal valid GGUF v3 file: a 2-layer llama with random F32 weights and a small
// SentencePiece-style vocabulary (3 control tokens, 256 byte tokens, a few words). It loads and
// decodes; what it writes is gibberish by construction.

enum ValueType {
  Uint32 = 4,
  Int32 = 5,
  Float32 = 6,
  String = 8,
  Array = 9,
}

type Value =
  | { type: 'u32'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'string'; value: string }
  | { type: 'strings'; value: string[] }
  | { type: 'f32s'; value: number[] }
  | { type: 'i32s'; value: number[] };

class Writer {
  private readonly chunks: Buffer[] = [];
  length = 0;
  push(buffer: Buffer) {
    this.chunks.push(buffer);
    this.length += buffer.length;
  }
  u32(value: number) {
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32LE(value);
    this.push(buffer);
  }
  u64(value: number) {
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64LE(BigInt(value));
    this.push(buffer);
  }
  string(value: string) {
    const bytes = Buffer.from(value, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }
  pad(alignment: number) {
    const rest = this.length % alignment;
    if (rest) this.push(Buffer.alloc(alignment - rest));
  }
  result() {
    return Buffer.concat(this.chunks);
  }
}

function writeValue(writer: Writer, value: Value) {
  switch (value.type) {
    case 'u32':
      writer.u32(ValueType.Uint32);
      writer.u32(value.value);
      return;
    case 'f32': {
      writer.u32(ValueType.Float32);
      const buffer = Buffer.alloc(4);
      buffer.writeFloatLE(value.value);
      writer.push(buffer);
      return;
    }
    case 'string':
      writer.u32(ValueType.String);
      writer.string(value.value);
      return;
    case 'strings':
      writer.u32(ValueType.Array);
      writer.u32(ValueType.String);
      writer.u64(value.value.length);
      for (const item of value.value) writer.string(item);
      return;
    case 'f32s':
    case 'i32s': {
      writer.u32(ValueType.Array);
      writer.u32(value.type === 'f32s' ? ValueType.Float32 : ValueType.Int32);
      writer.u64(value.value.length);
      const buffer = Buffer.alloc(4 * value.value.length);
      value.value.forEach((item, index) => {
        if (value.type === 'f32s') buffer.writeFloatLE(item, index * 4);
        else buffer.writeInt32LE(item, index * 4);
      });
      writer.push(buffer);
      return;
    }
  }
}

/**
 * Writes a tiny random-weight llama GGUF (about 0.5 MB) to `path` for tests of local-model code;
 * `seed` makes the weights reproducible. Its output is gibberish.
 */
export function writeTinyLlamaGguf(path: string, seed = 1): void {
  const embedding = 64;
  const heads = 4;
  const feedForward = 128;
  const layers = 2;
  const words = ['▁the', '▁a', '▁SELECT', '▁FROM', '▁WHERE', '▁count', '▁name', '▁table', '▁and', '▁of'];
  const bytes = Array.from(
    { length: 256 },
    (_, byte) => `<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`,
  );
  const tokens = ['<unk>', '<s>', '</s>', ...bytes, ...words];
  const tokenTypes = [2, 3, 3, ...bytes.map(() => 6), ...words.map(() => 1)];
  const scores = tokens.map((_, index) => (index < 259 ? 0 : -index));
  const vocabulary = tokens.length;

  const metadata: [string, Value][] = [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: 'symgen-tiny-random' }],
    ['llama.context_length', { type: 'u32', value: 256 }],
    ['llama.embedding_length', { type: 'u32', value: embedding }],
    ['llama.block_count', { type: 'u32', value: layers }],
    ['llama.feed_forward_length', { type: 'u32', value: feedForward }],
    ['llama.attention.head_count', { type: 'u32', value: heads }],
    ['llama.attention.head_count_kv', { type: 'u32', value: heads }],
    ['llama.rope.dimension_count', { type: 'u32', value: embedding / heads }],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'f32', value: 1e-5 }],
    ['llama.vocab_size', { type: 'u32', value: vocabulary }],
    ['general.file_type', { type: 'u32', value: 0 }],
    ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: 'strings', value: tokens }],
    ['tokenizer.ggml.scores', { type: 'f32s', value: scores }],
    ['tokenizer.ggml.token_type', { type: 'i32s', value: tokenTypes }],
    ['tokenizer.ggml.unknown_token_id', { type: 'u32', value: 0 }],
    ['tokenizer.ggml.bos_token_id', { type: 'u32', value: 1 }],
    ['tokenizer.ggml.eos_token_id', { type: 'u32', value: 2 }],
  ];

  const tensors: { name: string; dims: number[] }[] = [
    { name: 'token_embd.weight', dims: [embedding, vocabulary] },
    { name: 'output_norm.weight', dims: [embedding] },
    { name: 'output.weight', dims: [embedding, vocabulary] },
  ];
  for (let layer = 0; layer < layers; layer++) {
    const prefix = `blk.${layer}`;
    tensors.push(
      { name: `${prefix}.attn_norm.weight`, dims: [embedding] },
      { name: `${prefix}.attn_q.weight`, dims: [embedding, embedding] },
      { name: `${prefix}.attn_k.weight`, dims: [embedding, embedding] },
      { name: `${prefix}.attn_v.weight`, dims: [embedding, embedding] },
      { name: `${prefix}.attn_output.weight`, dims: [embedding, embedding] },
      { name: `${prefix}.ffn_norm.weight`, dims: [embedding] },
      { name: `${prefix}.ffn_gate.weight`, dims: [embedding, feedForward] },
      { name: `${prefix}.ffn_up.weight`, dims: [embedding, feedForward] },
      { name: `${prefix}.ffn_down.weight`, dims: [feedForward, embedding] },
    );
  }

  const alignment = 32;
  const writer = new Writer();
  writer.push(Buffer.from('GGUF', 'ascii'));
  writer.u32(3);
  writer.u64(tensors.length);
  writer.u64(metadata.length);
  for (const [key, value] of metadata) {
    writer.string(key);
    writeValue(writer, value);
  }
  let offset = 0;
  const datas: Buffer[] = [];
  let state = seed >>> 0 || 1;
  const random = () => {
    // xorshift32: reproducible weights without a dependency
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  for (const tensor of tensors) {
    const count = tensor.dims.reduce((a, b) => a * b, 1);
    const data = Buffer.alloc(count * 4);
    const isNorm = tensor.name.endsWith('norm.weight');
    for (let index = 0; index < count; index++)
      data.writeFloatLE(isNorm ? 1 : (random() - 0.5) * 0.2, index * 4);
    writer.string(tensor.name);
    writer.u32(tensor.dims.length);
    for (const dim of tensor.dims) writer.u64(dim);
    writer.u32(0); // F32
    writer.u64(offset);
    datas.push(data);
    offset += data.length + ((alignment - (data.length % alignment)) % alignment);
  }
  writer.pad(alignment);
  for (const data of datas) {
    writer.push(data);
    writer.pad(alignment);
  }
  writeFileSync(path, writer.result());
}
