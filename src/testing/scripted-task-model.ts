import { createHash } from 'node:crypto';
import type { RecordedRequest, TestServerReply } from './llm-test-server.js';

/** One benchmark item the scripted model knows: a question as a model writes it, and its gold program. */
export interface ScriptedItem {
  readonly question: string;
  readonly program: string;
}

/** What the scripted model does with a question's candidates. */
export type ScriptedKind = 'agree' | 'scatter' | 'prose';

/** Options of {@link createScriptedTaskModel}. */
export interface ScriptedTaskModelOptions {
  /** The questions it writes and answers, with their gold programs (a benchmark slice). */
  readonly items: readonly ScriptedItem[];
  /**
   * The question as the run stores it (the task's `generation.question(text).question`), so the
   * model can find which question a `gen_a` prompt asks. Default: the text as written.
   */
  readonly asked?: (question: string) => string;
  /** The code fence of the task's answers (`sql`, `python`, `bash`; empty for none). */
  readonly fence?: string;
  /** Milliseconds before each answer (a number, or drawn per request). */
  readonly latencyMs?: number | (() => number);
}

/** The prose answer of the scripted model: no program in it for any built-in task. */
export const PROSE_ANSWER = 'I am not sure how to answer that.';

/**
 * Deterministic kind of a question: half agree on the gold program, a quarter scatter (the gold
 * program once, other programs, no majority), a quarter answer in prose only.
 */
export function scriptedKind(question: string): ScriptedKind {
  const value = createHash('sha256').update(question).digest().readUInt32LE(0) % 4;
  return value < 2 ? 'agree' : value === 2 ? 'scatter' : 'prose';
}

/**
 * A scripted OpenAI-compatible chat model over a benchmark slice, for any task (a `respond` of
 * `createLlmTestServer`). A prompt that holds one of the items' questions is a `gen_a` prompt; any
 * other is a `gen_q` prompt and gets questions of the slice (chosen by the prompt and its seed), with
 * a too-short one and normalised duplicates (the first line in capitals) among them. `gen_a` prompts
 * get candidates by the question's
 * {@link scriptedKind}: `agree`, the gold program written three ways (fenced, after prose, bare),
 * one other item's program and one prose answer; `scatter`, the gold program once and other
 * items' programs; `prose`, prose only. Answers depend only on the request, never on the order or
 * time requests arrive.
 */
export function createScriptedTaskModel(options: ScriptedTaskModelOptions) {
  const items = options.items;
  const asked = options.asked ?? ((question: string) => question);
  const forms = items.map((item) => asked(item.question));
  const fence = options.fence ?? '';
  const latency = () =>
    typeof options.latencyMs === 'function' ? options.latencyMs() : (options.latencyMs ?? 0);
  const fenced = (program: string) => `\`\`\`${fence}\n${program}\n\`\`\``;
  return (request: RecordedRequest): TestServerReply | undefined => {
    if (request.path !== '/v1/chat/completions') return undefined;
    const body = request.body as {
      messages: { role: string; content: string }[];
      n?: number;
      logprobs?: boolean;
      model?: string;
      seed?: number;
    };
    const n = body.n ?? 1;
    const user = body.messages[body.messages.length - 1]?.content ?? '';
    const start = createHash('sha256')
      .update(`${user}\u0000${body.seed ?? ''}`)
      .digest()
      .readUInt32LE(0);
    // a gen_a prompt asks one of the items' questions: the one whose stored form appears last
    let found = -1;
    let at = -1;
    forms.forEach((form, index) => {
      const position = user.lastIndexOf(form);
      if (position > at || (position === at && position >= 0 && form.length > forms[found]!.length)) {
        at = position;
        found = index;
      }
    });
    let texts: string[];
    if (found < 0) {
      texts = Array.from({ length: n }, (_, index) => {
        const item = items[(start + index * 7) % items.length]!;
        if (index % 6 === 5) return 'ok?';
        if (index % 6 === 4) {
          // the previous question again, its first line in capitals: a normalised duplicate
          const [first = '', ...rest] = items[(start + (index - 1) * 7) % items.length]!.question.split('\n');
          return [first.toUpperCase(), ...rest].join('\n');
        }
        return item.question;
      });
    } else {
      const item = items[found]!;
      const kind = scriptedKind(item.question);
      const other = (offset: number) => items[(found + 1 + offset) % items.length]!.program;
      texts = Array.from({ length: n }, (_, index) => {
        if (kind === 'prose' || index % 6 === 5) return PROSE_ANSWER;
        if (kind === 'scatter') return index === 0 ? fenced(item.program) : fenced(other(index));
        if (index % 6 === 3) return fenced(other(index));
        if (index % 6 === 1) return `Here is the answer:\n${fenced(item.program)}`;
        if (index % 6 === 4) return item.program;
        return fenced(item.program);
      });
    }
    return {
      delayMs: latency(),
      body: {
        object: 'chat.completion',
        model: body.model ?? 'scripted-model',
        choices: texts.map((text, index) => ({
          index,
          message: { role: 'assistant', content: text },
          finish_reason: 'stop',
          logprobs: body.logprobs ? { content: [{ token: 'x', logprob: -0.1 * ((index % 4) + 1) }] } : null,
        })),
        usage: { prompt_tokens: Math.ceil(user.length / 4), completion_tokens: 12 * n },
      },
    };
  };
}
