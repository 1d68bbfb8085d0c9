import { z } from 'zod';

// Lenient on purpose: vLLM, Ollama, llama.cpp and LM Studio each add or omit fields.

const usageSchema = z
  .looseObject({
    prompt_tokens: z.number().nullish(),
    completion_tokens: z.number().nullish(),
    prompt_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
  })
  .nullish();

/** A `/chat/completions` response. */
export const chatResponseSchema = z.looseObject({
  model: z.string().nullish(),
  choices: z.array(
    z.looseObject({
      index: z.number().nullish(),
      message: z.looseObject({ content: z.string().nullish() }),
      finish_reason: z.string().nullish(),
      logprobs: z
        .looseObject({
          content: z.array(z.looseObject({ token: z.string().nullish(), logprob: z.number() })).nullish(),
        })
        .nullish(),
    }),
  ),
  usage: usageSchema,
});

/** A legacy `/completions` response. */
export const completionResponseSchema = z.looseObject({
  model: z.string().nullish(),
  choices: z.array(
    z.looseObject({
      index: z.number().nullish(),
      text: z.string().nullish(),
      finish_reason: z.string().nullish(),
      logprobs: z.looseObject({ token_logprobs: z.array(z.number().nullable()).nullish() }).nullish(),
    }),
  ),
  usage: usageSchema,
});

/** A `/models` response. */
export const modelListSchema = z.looseObject({
  data: z.array(z.looseObject({ id: z.string() })),
});

export type ChatResponse = z.infer<typeof chatResponseSchema>;
export type CompletionResponse = z.infer<typeof completionResponseSchema>;
