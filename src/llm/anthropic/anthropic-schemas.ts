import { z } from 'zod';

/** A Messages API response (lenient: new block types and usage fields appear over time). */
export const messagesResponseSchema = z.looseObject({
  model: z.string().nullish(),
  content: z.array(z.looseObject({ type: z.string(), text: z.string().nullish() })),
  stop_reason: z.string().nullish(),
  usage: z
    .looseObject({
      input_tokens: z.number().nullish(),
      output_tokens: z.number().nullish(),
      cache_read_input_tokens: z.number().nullish(),
      cache_creation_input_tokens: z.number().nullish(),
      // anthropic-sdk-python types/usage.py: the cache writes split by lifetime
      cache_creation: z
        .looseObject({
          ephemeral_5m_input_tokens: z.number().nullish(),
          ephemeral_1h_input_tokens: z.number().nullish(),
        })
        .nullish(),
    })
    .nullish(),
});

export type MessagesResponse = z.infer<typeof messagesResponseSchema>;
