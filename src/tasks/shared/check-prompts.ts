import type { PromptText } from '../spec.js';

/**
 * The relabel and judge prompts of a task, written once for every language: `program` names what
 * the programs are ("SQL query", "Bash command"), `fence` the code block a correction goes in.
 * Variables: `knowledge`, `question`, `program`.
 */
export function checkPrompts(program: string, fence: string): { relabel: PromptText; judge: PromptText } {
  const context = `{% if knowledge %}\n{{ knowledge }}\n\n{% endif %}Question: {{ question }}\n${program}: {{ program }}`;
  return {
    relabel: {
      user: `You check training data of ${program}s for questions. Decide whether the ${program} answers the question exactly.\n\n${context}\n\nAnswer on the first line with "VERDICT: correct" or "VERDICT: wrong".\nIf wrong and you can fix it, put the corrected ${program} after it in a \`\`\`${fence} code block.`,
    },
    judge: {
      user: `You grade training pairs of questions and ${program}s. Does the ${program} do exactly what the question asks for?\n\n${context}\n\nAnswer YES or NO on the first line, then one sentence of reason.`,
    },
  };
}
